package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/viper"
)

// OrgFlags are the org settings given on the command line.
type OrgFlags struct {
	URL      string
	Token    string // only from a non-echoing source such as --token-stdin
	TokenEnv string // the name of an env var holding the token
}

// OrgSettings is the org to talk to and where each part came from.
type OrgSettings struct {
	URL      string
	Token    Secret
	Source   string // e.g. "url from env OKTA_CLIENT_ORGURL, token from ~/.okta/okta.yaml"
	Insecure bool   // http on a loopback host
}

// ResolveOptions injects the environment and the Okta SDK config path.
type ResolveOptions struct {
	LookupEnv    func(string) (string, bool)
	OktaYAMLPath string // default ~/.okta/okta.yaml
}

// ResolveOrg picks each setting from, in order: flags, env OKTA_CLIENT_ORGURL /
// OKTA_CLIENT_TOKEN, the file's org block, ~/.okta/okta.yaml (the Okta SDK's own
// file, read with a fresh viper). It returns warnings (http on loopback) and an
// error naming every place it looked when something is missing. The token is never
// part of a message.
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
	sdk := lazyOktaYAML{path: yamlPath}

	var s OrgSettings
	var urlFrom, tokenFrom string
	switch {
	case flags.URL != "":
		s.URL, urlFrom = flags.URL, "--org-url"
	case nonEmpty(lookup, "OKTA_CLIENT_ORGURL"):
		v, _ := lookup("OKTA_CLIENT_ORGURL")
		s.URL, urlFrom = v, "env OKTA_CLIENT_ORGURL"
	case fileOrg != nil && fileOrg.URL != "":
		s.URL, urlFrom = fileOrg.URL, fileName
	default:
		v, err := sdk.get("okta.client.orgUrl")
		if err != nil {
			return s, nil, err
		}
		s.URL, urlFrom = v, "~/.okta/okta.yaml"
	}
	if s.URL == "" {
		return s, nil, fmt.Errorf("no Okta org URL: use --org-url, set OKTA_CLIENT_ORGURL, write org.url in %s, or okta.client.orgUrl in ~/.okta/okta.yaml", fileName)
	}
	clean, problem, warning := CheckOrgURL(s.URL)
	if problem != "" {
		return s, nil, fmt.Errorf("Okta org URL (from %s): %s", urlFrom, problem)
	}
	s.URL = clean
	var warnings []Problem
	if warning != "" {
		s.Insecure = true
		warnings = append(warnings, Problem{File: urlFrom, Message: "Okta org URL: " + warning})
	}

	switch {
	case flags.Token != "":
		s.Token, tokenFrom = NewSecret(flags.Token), "--token-stdin"
	case flags.TokenEnv != "":
		v, ok := lookup(flags.TokenEnv)
		if !ok || strings.TrimSpace(v) == "" {
			return s, warnings, fmt.Errorf("--token-env %s: the variable is not set or empty", flags.TokenEnv)
		}
		s.Token, tokenFrom = NewSecret(strings.TrimSpace(v)), "env "+flags.TokenEnv
	case nonEmpty(lookup, "OKTA_CLIENT_TOKEN"):
		v, _ := lookup("OKTA_CLIENT_TOKEN")
		s.Token, tokenFrom = NewSecret(strings.TrimSpace(v)), "env OKTA_CLIENT_TOKEN"
	case fileOrg != nil && fileOrg.Token != nil:
		t, err := fileOrg.Token.Resolve()
		if err != nil {
			return s, warnings, fmt.Errorf("Okta API token: %w", err)
		}
		s.Token, tokenFrom = t, fileName+" ("+fileOrg.Token.Describe()+")"
	default:
		v, err := sdk.get("okta.client.token")
		if err != nil {
			return s, warnings, err
		}
		s.Token, tokenFrom = NewSecret(strings.TrimSpace(v)), "~/.okta/okta.yaml"
	}
	if s.Token.IsZero() {
		return s, warnings, fmt.Errorf("no Okta API token: set OKTA_CLIENT_TOKEN, write org.token: { env: NAME } in %s, or okta.client.token in ~/.okta/okta.yaml", fileName)
	}
	s.Source = "url from " + urlFrom + ", token from " + tokenFrom
	return s, warnings, nil
}

func nonEmpty(lookup func(string) (string, bool), name string) bool {
	v, ok := lookup(name)
	return ok && strings.TrimSpace(v) != ""
}

// lazyOktaYAML reads ~/.okta/okta.yaml only when a setting falls through to it.
type lazyOktaYAML struct {
	path   string
	v      *viper.Viper
	loaded bool
	err    error
}

func (l *lazyOktaYAML) get(key string) (string, error) {
	if !l.loaded {
		l.loaded = true
		if l.path != "" {
			if _, err := os.Stat(l.path); err == nil {
				v := viper.New()
				v.SetConfigFile(l.path)
				v.SetConfigType("yaml")
				if err := v.ReadInConfig(); err != nil {
					l.err = fmt.Errorf("reading %s: %v", l.path, err)
				} else {
					l.v = v
				}
			}
		}
	}
	if l.err != nil {
		return "", l.err
	}
	if l.v == nil {
		return "", nil
	}
	return strings.TrimSpace(l.v.GetString(key)), nil
}
