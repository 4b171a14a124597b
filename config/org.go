package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"

	"github.com/spf13/viper"
)

// OrgFlags are the org settings given on the command line.
type OrgFlags struct {
	URL      string
	Token    string // only from a non-echoing source such as --token-stdin
	TokenEnv string // the name of an env var holding the token
	// TokenFrom names where Token came from (default --token-stdin).
	TokenFrom string
	// Profile is --profile: named org settings in the tool's config file.
	Profile string
}

// Authorization modes, in the Okta SDK's words (OKTA_CLIENT_AUTHORIZATIONMODE).
const (
	ModeSSWS       = "SSWS"
	ModePrivateKey = "PrivateKey"
)

// OrgSettings is the org to talk to, how to authenticate, and where each part came
// from.
type OrgSettings struct {
	URL      string
	AuthMode string // ModeSSWS or ModePrivateKey
	Token    Secret // SSWS
	// PrivateKey mode: the service app's client id, private key (PEM or JWK), key id
	// ("" when the app has one key) and the scopes to request (nil: the tool's default).
	ClientID     string
	PrivateKey   Secret
	PrivateKeyID string
	Scopes       []string
	Profile      string // the profile in use, "" for none
	// Source says where each setting came from, e.g. "url from env
	// OKTA_CLIENT_ORGURL, token from ~/.okta/okta.yaml"; Sources the same by setting
	// (url, mode, token, clientId, privateKey, privateKeyId, scopes).
	Source   string
	Sources  map[string]string
	Insecure bool // http on a loopback host
}

// Secrets are the secret values of the settings, for masking (redact.Set.Add masks
// each form, each line of a key included).
func (s OrgSettings) Secrets() []string {
	var out []string
	for _, v := range []Secret{s.Token, s.PrivateKey} {
		if !v.IsZero() {
			out = append(out, v.Value())
		}
	}
	return out
}

// ResolveOptions injects the environment, the Okta SDK config path and the tool's
// config file.
type ResolveOptions struct {
	LookupEnv    func(string) (string, bool)
	OktaYAMLPath string // default ~/.okta/okta.yaml
	ConfigPath   string // the tool's config file (profiles); default ToolConfigPath
	Stdin        io.Reader
	// AllowSharedSecretFiles reads secret files that group or others can access,
	// or that another user owns (refused otherwise).
	AllowSharedSecretFiles bool
}

// source is one place org settings may come from: get reads a plain setting, secret
// a secret one (token, privateKey), scopes the scopes, each with where it came from;
// holds tells whether the place has a setting without reading a secret.
type source struct {
	name   string // the place, for a mode implied by its credentials
	get    func(key string) (v, from string, ok bool, err error)
	secret func(key string) (v Secret, from string, ok bool, err error)
	scopes func() (v []string, from string, ok bool, err error)
	holds  func(key string) bool
	// warnings, when set, are what taking a secret from the place is worth saying.
	warnings func() []Problem
}

// ResolveOrg picks each setting from the first of these that has it:
//
//  1. flags (--org-url, --token-stdin, --token-env);
//  2. the profile named by --profile, in the tool's config file;
//  3. env OKTA_CLIENT_ORGURL, _TOKEN, _AUTHORIZATIONMODE, _CLIENTID, _PRIVATEKEY,
//     _PRIVATEKEYID, _SCOPES (the Okta SDK's variables);
//  4. the profile named by env OKTASCIM_PROFILE;
//  5. the file's org block;
//  6. ~/.okta/okta.yaml (the Okta SDK's file, read with a fresh viper only when a
//     setting falls through to it; a secret file, refused when shared, once the
//     token or an inline private key is taken from it).
//
// A profile given with --profile is a choice made on the command line, so it beats
// the environment; OKTASCIM_PROFILE is a default, so the environment beats it. The
// authorization mode is that of the first place that names one or holds
// credentials (a token: SSWS; a client id or private key: PrivateKey); the mode's
// settings are then picked one by one, as the SDK does. It returns warnings (http
// on loopback, profile warnings) and an error naming every place it looked when
// something is missing. No secret is ever part of a message.
func ResolveOrg(flags OrgFlags, file *File, opts ResolveOptions) (OrgSettings, []Problem, error) {
	lookup := opts.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	fileName := "the oktascim file"
	var fileOrg *Org
	if file != nil {
		fileName = filepath.Base(file.Path)
		fileOrg = file.Org
	}
	yamlPath := opts.OktaYAMLPath
	if yamlPath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			yamlPath = filepath.Join(home, ".okta", "okta.yaml")
		}
	}
	var s OrgSettings
	var warnings []Problem

	profile, explicit := strings.TrimSpace(flags.Profile), true
	if profile == "" {
		v, _ := lookup(ProfileEnv)
		profile, explicit = strings.TrimSpace(v), false
	}
	var profileOrg *Org
	if profile != "" {
		path := opts.ConfigPath
		if path == "" {
			var err error
			if path, err = ToolConfigPath(lookup); err != nil {
				return s, nil, err
			}
		}
		org, w, err := LoadProfile(path, profile, LoadOptions{LookupEnv: lookup, Stdin: opts.Stdin, AllowSharedSecretFiles: opts.AllowSharedSecretFiles})
		if err != nil {
			return s, nil, err
		}
		warnings = append(warnings, w...)
		profileOrg, s.Profile = org, profile
	}

	sources := []source{flagSource(flags, lookup)}
	if profileOrg != nil && explicit {
		sources = append(sources, orgSource("profile "+profile, profileOrg))
	}
	sources = append(sources, envSource(lookup, opts.AllowSharedSecretFiles))
	if profileOrg != nil && !explicit {
		sources = append(sources, orgSource("profile "+profile+" ("+ProfileEnv+")", profileOrg))
	}
	if fileOrg != nil {
		sources = append(sources, orgSource(fileName, fileOrg))
	}
	sources = append(sources, oktaYAMLSource(yamlPath, opts.AllowSharedSecretFiles))

	s.Sources = map[string]string{}
	pick := func(key string) (string, error) {
		for _, src := range sources {
			v, from, ok, err := src.get(key)
			if err != nil {
				return "", err
			}
			if ok {
				s.Sources[key] = from
				return v, nil
			}
		}
		return "", nil
	}
	pickSecret := func(key string) (Secret, error) {
		for _, src := range sources {
			v, from, ok, err := src.secret(key)
			if err != nil {
				return Secret{}, err
			}
			if ok {
				s.Sources[key] = from
				if src.warnings != nil {
					warnings = append(warnings, src.warnings()...)
				}
				return v, nil
			}
		}
		return Secret{}, nil
	}

	v, err := pick("url")
	if err != nil {
		return s, warnings, err
	}
	if v == "" {
		return s, warnings, fmt.Errorf("no Okta org URL: use --org-url, set OKTA_CLIENT_ORGURL, write org.url in %s, url in a profile (--profile), or okta.client.orgUrl in ~/.okta/okta.yaml", fileName)
	}
	clean, problem, warning := CheckOrgURL(v)
	if problem != "" {
		if from := s.Sources["url"]; from != "" && !strings.HasPrefix(from, "--") {
			problem = hideValue(problem, v, from) // not a value the user typed on this command line
		}
		return s, warnings, fmt.Errorf("Okta org URL (from %s): %s", s.Sources["url"], problem)
	}
	s.URL = clean
	if warning != "" {
		s.Insecure = true
		warnings = append(warnings, Problem{File: s.Sources["url"], Message: "Okta org URL: " + warning})
	}

	// The mode: the first source that names one or holds credentials.
	for _, src := range sources {
		mode, from, ok, err := src.get("mode")
		if err != nil {
			return s, warnings, err
		}
		if !ok {
			switch {
			case src.holds("token"):
				mode, ok = ModeSSWS, true
			case src.holds("clientId") || src.holds("privateKey"):
				mode, ok = ModePrivateKey, true
			}
			from = src.name
		}
		if ok {
			s.AuthMode, s.Sources["mode"] = mode, from
			break
		}
	}
	switch strings.ToLower(s.AuthMode) {
	case "", "ssws":
		s.AuthMode = ModeSSWS
		if s.Token, err = pickSecret("token"); err != nil {
			return s, warnings, err
		}
		if s.Token.IsZero() {
			return s, warnings, fmt.Errorf("no Okta API token: set OKTA_CLIENT_TOKEN, write org.token: { env: NAME } in %s, or okta.client.token in ~/.okta/okta.yaml; or use an OAuth service app (OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey, or org.auth in %s)", fileName, fileName)
		}
		s.Source = "url from " + s.Sources["url"] + ", token from " + s.Sources["token"]
		return s, warnings, nil
	case "privatekey":
		s.AuthMode = ModePrivateKey
	default:
		return s, warnings, fmt.Errorf("authorization mode %q (from %s) is not one oktascim uses: SSWS (an API token) or PrivateKey (an OAuth service app)", s.AuthMode, s.Sources["mode"])
	}
	missing := func(what, env, fileKey, yamlKey string) error {
		return fmt.Errorf("PrivateKey mode (from %s) needs the service app's %s: set %s, write org.auth.%s in %s or in a profile, or okta.client.%s in ~/.okta/okta.yaml", s.Sources["mode"], what, env, fileKey, fileName, yamlKey)
	}
	if s.ClientID, err = pick("clientId"); err != nil {
		return s, warnings, err
	}
	if s.ClientID == "" {
		return s, warnings, missing("client id", "OKTA_CLIENT_CLIENTID", "clientId", "clientId")
	}
	if s.PrivateKey, err = pickSecret("privateKey"); err != nil {
		return s, warnings, err
	}
	if s.PrivateKey.IsZero() {
		return s, warnings, missing("private key", "OKTA_CLIENT_PRIVATEKEY", "privateKey: { file: PATH }", "privateKey")
	}
	if s.PrivateKeyID, err = pick("privateKeyId"); err != nil {
		return s, warnings, err
	}
	for _, src := range sources {
		sc, from, ok, err := src.scopes()
		if err != nil {
			return s, warnings, err
		}
		if ok {
			s.Scopes, s.Sources["scopes"] = sc, from
			break
		}
	}
	parts := []string{"url from " + s.Sources["url"], "PrivateKey mode from " + s.Sources["mode"], "client id from " + s.Sources["clientId"], "private key from " + s.Sources["privateKey"]}
	if s.PrivateKeyID != "" {
		parts = append(parts, "key id from "+s.Sources["privateKeyId"])
	}
	if s.Sources["scopes"] != "" {
		parts = append(parts, "scopes from "+s.Sources["scopes"])
	} else {
		s.Sources["scopes"] = "default"
		parts = append(parts, "default scopes")
	}
	s.Source = strings.Join(parts, ", ")
	return s, warnings, nil
}

func flagSource(flags OrgFlags, lookup func(string) (string, bool)) source {
	return source{name: "flags",
		get: func(key string) (string, string, bool, error) {
			if key == "url" && flags.URL != "" {
				return flags.URL, "--org-url", true, nil
			}
			return "", "", false, nil
		},
		secret: func(key string) (Secret, string, bool, error) {
			switch {
			case key != "token":
			case flags.Token != "":
				from := flags.TokenFrom
				if from == "" {
					from = "--token-stdin"
				}
				return NewSecret(flags.Token), from, true, nil
			case flags.TokenEnv != "":
				v, ok := lookup(flags.TokenEnv)
				if !ok || strings.TrimSpace(v) == "" {
					return Secret{}, "", false, fmt.Errorf("--token-env %s: the variable is not set or empty", flags.TokenEnv)
				}
				return NewSecret(strings.TrimSpace(v)), "env " + flags.TokenEnv, true, nil
			}
			return Secret{}, "", false, nil
		},
		scopes: func() ([]string, string, bool, error) { return nil, "", false, nil },
		holds:  func(key string) bool { return key == "token" && (flags.Token != "" || flags.TokenEnv != "") },
	}
}

// envKeys are the Okta SDK's environment variables.
var envKeys = map[string]string{
	"url": "OKTA_CLIENT_ORGURL", "mode": "OKTA_CLIENT_AUTHORIZATIONMODE", "clientId": "OKTA_CLIENT_CLIENTID",
	"privateKeyId": "OKTA_CLIENT_PRIVATEKEYID", "token": "OKTA_CLIENT_TOKEN", "privateKey": "OKTA_CLIENT_PRIVATEKEY", "scopes": "OKTA_CLIENT_SCOPES",
}

func envSource(lookup func(string) (string, bool), allowShared bool) source {
	var warning []Problem // a shared key file read as allowed
	read := func(key string) (string, string, bool) {
		v, ok := lookup(envKeys[key])
		v = strings.TrimSpace(v)
		return v, "env " + envKeys[key], ok && v != ""
	}
	return source{name: "env",
		get: func(key string) (string, string, bool, error) {
			v, from, ok := read(key)
			return v, from, ok, nil
		},
		secret: func(key string) (Secret, string, bool, error) {
			v, from, ok := read(key)
			switch {
			case !ok:
				return Secret{}, "", false, nil
			case key == "privateKey":
				sec, w, err := keyValue(v, from, allowShared)
				warning = w
				return sec, from, err == nil, err
			}
			return NewSecret(v), from, true, nil
		},
		scopes: func() ([]string, string, bool, error) {
			v, from, ok := read("scopes")
			return splitScopes(v), from, ok, nil
		},
		holds:    func(key string) bool { _, _, ok := read(key); return ok },
		warnings: func() []Problem { w := warning; warning = nil; return w },
	}
}

// splitScopes reads scopes written as OKTA_CLIENT_SCOPES holds them: separated by
// commas (the SDK's form) or spaces (the OAuth form).
func splitScopes(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// inlineKey tells a private key written as text (PEM or a JWK) from a key file's path.
func inlineKey(v string) bool {
	t := strings.TrimSpace(v)
	return strings.HasPrefix(t, "-----BEGIN") || strings.HasPrefix(t, "{")
}

// keyValue reads a private key given as text: inline PEM or JWK, or else the path of
// a file holding it (the SDK's WithPrivateKey takes either). The warning is for a
// shared key file read as allowShared asks.
func keyValue(v, from string, allowShared bool) (Secret, []Problem, error) {
	t := strings.TrimSpace(v)
	if inlineKey(t) {
		return NewSecret(t), nil, nil
	}
	if strings.ContainsAny(t, "\n") || len(t) > 4096 {
		return Secret{}, nil, fmt.Errorf("the private key (from %s) is neither PEM, a JWK nor a file path", from)
	}
	b, shared, err := readSecretFile(t, allowShared)
	if err != nil {
		return Secret{}, nil, fmt.Errorf("the private key (from %s) is not PEM or a JWK, so it was read as a file path: %s: %v", from, t, err)
	}
	if strings.TrimSpace(b) == "" {
		return Secret{}, nil, fmt.Errorf("the private key file %s (from %s) is empty", t, from)
	}
	var warning []Problem
	if shared != "" {
		warning = []Problem{sharedWarning(from, "", t, shared)}
	}
	return NewSecret(strings.TrimSpace(b)), warning, nil
}

// orgSource reads an org block: the file's or a profile's.
func orgSource(name string, o *Org) source {
	ref := func(key string) *SecretRef {
		switch {
		case key == "token":
			return o.Token
		case key == "privateKey" && o.Auth != nil:
			return o.Auth.PrivateKey
		}
		return nil
	}
	get := func(key string) (string, string, bool, error) {
		var v string
		switch {
		case key == "url":
			v = o.URL
		case o.Auth == nil:
		case key == "mode":
			v = ModePrivateKey
		case key == "clientId":
			v = o.Auth.ClientID
		case key == "privateKeyId":
			v = o.Auth.KeyID
		}
		return v, name, v != "", nil
	}
	return source{name: name, get: get,
		secret: func(key string) (Secret, string, bool, error) {
			r := ref(key)
			if r == nil {
				return Secret{}, "", false, nil
			}
			v, err := r.Resolve()
			if err != nil {
				what := map[string]string{"token": "Okta API token", "privateKey": "service app private key"}[key]
				return Secret{}, "", false, fmt.Errorf("%s (from %s): %w", what, name, err)
			}
			return v, name + " (" + r.Describe() + ")", true, nil
		},
		scopes: func() ([]string, string, bool, error) {
			if o.Auth == nil || len(o.Auth.Scopes) == 0 {
				return nil, "", false, nil
			}
			return o.Auth.Scopes, name, true, nil
		},
		holds: func(key string) bool {
			if ref(key) != nil {
				return true
			}
			_, _, ok, _ := get(key)
			return ok
		},
	}
}

// oktaYAMLSource reads ~/.okta/okta.yaml, only when a setting falls through to it.
func oktaYAMLSource(path string, allowShared bool) source {
	const name = "~/.okta/okta.yaml"
	y := &lazyOktaYAML{path: path}
	keys := map[string]string{"url": "okta.client.orgUrl", "mode": "okta.client.authorizationMode", "clientId": "okta.client.clientId",
		"privateKeyId": "okta.client.privateKeyId", "token": "okta.client.token", "privateKey": "okta.client.privateKey"}
	get := func(key string) (string, string, bool, error) {
		v, err := y.get(keys[key])
		return v, name, v != "", err
	}
	return source{name: name, get: get,
		secret: func(key string) (Secret, string, bool, error) {
			v, _, ok, err := get(key)
			switch {
			case err != nil || !ok:
				return Secret{}, "", false, err
			case key == "privateKey" && !inlineKey(v):
				// A key file's path: the rule applies to the key file, which holds the secret.
				sec, w, err := keyValue(v, name, allowShared)
				for i := range w {
					w[i].Field = keys[key]
				}
				y.warning = w
				return sec, name, err == nil, err
			}
			// The secret is in okta.yaml itself, so okta.yaml is a secret file.
			if err := refuseShared(y.st, allowShared); err != nil {
				what := map[string]string{"token": "Okta API token", "privateKey": "service app private key"}[key]
				return Secret{}, "", false, fmt.Errorf("%s (from %s): %s %v", what, name, path, err)
			}
			if p := sharedProblem(y.st); p != "" {
				y.warning = []Problem{sharedWarning(name, keys[key], path, p)}
			}
			return NewSecret(v), name, true, nil
		},
		warnings: func() []Problem {
			w := y.warning
			y.warning = nil
			return w
		},
		scopes: func() ([]string, string, bool, error) {
			if err := y.load(); err != nil || y.v == nil {
				return nil, "", false, err
			}
			var out []string
			switch v := y.v.Get("okta.client.scopes").(type) {
			case string:
				out = splitScopes(v)
			case []any:
				for _, x := range v {
					out = append(out, splitScopes(fmt.Sprint(x))...)
				}
			}
			return out, name, len(out) > 0, nil
		},
		holds: func(key string) bool { _, _, ok, _ := get(key); return ok },
	}
}

// lazyOktaYAML reads ~/.okta/okta.yaml only when a setting falls through to it.
type lazyOktaYAML struct {
	path   string
	v      *viper.Viper
	st     os.FileInfo // of the file read, for the secret-file rule
	loaded bool
	// warning: a secret was taken from a shared okta.yaml, as allowed (said once).
	warning []Problem
	err     error
}

func (l *lazyOktaYAML) load() error {
	if l.loaded || l.path == "" {
		return l.err
	}
	l.loaded = true
	f, st, err := openRegular(l.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil // no okta.yaml
	case err != nil:
		l.err = fmt.Errorf("reading %s: %v", l.path, err)
		return l.err
	}
	defer f.Close()
	// The mode checked is that of the file read (the open handle), not of a path that
	// could be swapped in between.
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(f); err != nil {
		l.err = fmt.Errorf("reading %s: %v", l.path, err)
		return l.err
	}
	l.v, l.st = v, st
	return nil
}

func (l *lazyOktaYAML) get(key string) (string, error) {
	if err := l.load(); err != nil {
		return "", err
	}
	if l.v == nil {
		return "", nil
	}
	return strings.TrimSpace(l.v.GetString(key)), nil
}
