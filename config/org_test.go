package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/redact"
)

func TestResolveOrgPrecedence(t *testing.T) {
	dir := t.TempDir()
	oktaYAML := filepath.Join(dir, "okta.yaml")
	if err := os.WriteFile(oktaYAML, []byte("okta:\n  client:\n    orgUrl: https://sdk.okta.com\n    token: sdk-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := &File{Path: "oktascim.yaml", Org: &Org{URL: "https://file.okta.com", Token: &SecretRef{Env: "FILE_TOKEN", Field: "org.token", lookup: func(n string) (string, bool) {
		return "file-token", n == "FILE_TOKEN"
	}}}}
	env := map[string]string{"OKTA_CLIENT_ORGURL": "https://env.okta.com", "OKTA_CLIENT_TOKEN": "env-token", "MY_TOKEN": "flag-env-token"}
	lookup := func(m map[string]string) func(string) (string, bool) {
		return func(n string) (string, bool) { v, ok := m[n]; return v, ok }
	}
	cases := []struct {
		name      string
		flags     OrgFlags
		env       map[string]string
		file      *File
		yaml      string
		url, tok  string
		source    string
		insecure  bool
		errSubstr string
	}{
		{"flags win", OrgFlags{URL: "https://flag.okta.com", TokenEnv: "MY_TOKEN"}, env, file, oktaYAML, "https://flag.okta.com", "flag-env-token", "url from --org-url, token from env MY_TOKEN", false, ""},
		{"env over file", OrgFlags{}, env, file, oktaYAML, "https://env.okta.com", "env-token", "url from env OKTA_CLIENT_ORGURL, token from env OKTA_CLIENT_TOKEN", false, ""},
		{"file over okta.yaml", OrgFlags{}, nil, file, oktaYAML, "https://file.okta.com", "file-token", "url from oktascim.yaml, token from oktascim.yaml (env FILE_TOKEN)", false, ""},
		{"okta.yaml last", OrgFlags{}, nil, nil, oktaYAML, "https://sdk.okta.com", "sdk-token", "url from ~/.okta/okta.yaml, token from ~/.okta/okta.yaml", false, ""},
		{"mixed", OrgFlags{}, map[string]string{"OKTA_CLIENT_ORGURL": "http://127.0.0.1:9000/"}, nil, oktaYAML, "http://127.0.0.1:9000", "sdk-token", "url from env OKTA_CLIENT_ORGURL, token from ~/.okta/okta.yaml", true, ""},
		{"nothing", OrgFlags{}, nil, nil, filepath.Join(dir, "none.yaml"), "", "", "", false, "no Okta org URL: use --org-url, set OKTA_CLIENT_ORGURL"},
		{"no token", OrgFlags{}, map[string]string{"OKTA_CLIENT_ORGURL": "https://env.okta.com"}, nil, filepath.Join(dir, "none.yaml"), "", "", "", false, "no Okta API token: set OKTA_CLIENT_TOKEN"},
		{"http elsewhere", OrgFlags{URL: "http://acme.okta.com"}, env, nil, oktaYAML, "", "", "", false, "Okta org URL (from --org-url): must be https"},
		{"admin host", OrgFlags{}, map[string]string{"OKTA_CLIENT_ORGURL": "https://acme-admin.okta.com", "OKTA_CLIENT_TOKEN": "t"}, nil, oktaYAML, "", "", "", false, "use the org URL without -admin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, warnings, err := ResolveOrg(c.flags, c.file, ResolveOptions{LookupEnv: lookup(c.env), OktaYAMLPath: c.yaml})
			if c.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), c.errSubstr) {
					t.Fatalf("err = %v, want %q", err, c.errSubstr)
				}
				for _, tok := range []string{"env-token", "sdk-token", "flag-env-token"} {
					if strings.Contains(err.Error(), tok) {
						t.Errorf("error contains the token: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.URL != c.url || s.Token.Value() != c.tok || s.Source != c.source || s.Insecure != c.insecure {
				t.Errorf("got %s %s %q insecure=%v", s.URL, s.Token.Value(), s.Source, s.Insecure)
			}
			if c.insecure != (len(warnings) == 1) {
				t.Errorf("warnings = %v", warnings)
			}
		})
	}
}

// keyPEM stands for a private key: config passes it on without parsing it.
const keyPEM = "-----BEGIN PRIVATE KEY-----\nTESTKEYMATERIAL0123456789\n-----END PRIVATE KEY-----"

// orgEnv sets up the places settings come from: ~/.okta/okta.yaml (a PrivateKey
// service app, its key in a file), the tool's config file with profiles dev (API
// token) and svc (service app), and a file with an org block.
func orgEnv(t *testing.T) (dir, oktaYAML, configPath string, file *File) {
	t.Helper()
	dir = t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	yamlKey := write("sdk.pem", keyPEM+"-sdk\n")
	write("svc.pem", keyPEM+"-svc\n")
	oktaYAML = write("okta.yaml", "okta:\n  client:\n    orgUrl: https://sdk.okta.com\n    authorizationMode: PrivateKey\n    clientId: sdk-client\n    privateKey: "+yamlKey+"\n    scopes:\n      - okta.apps.read\n      - okta.logs.read\n")
	configPath = write("config.yaml", `profiles:
  dev:
    url: https://dev.okta.com
    token: { env: DEV_TOKEN }
  svc:
    url: https://svc.okta.com
    auth:
      mode: privateKey
      clientId: svc-client
      keyId: k1
      privateKey: { file: svc.pem }
      scopes: [okta.apps.manage, okta.groups.read]
  other:
    url: https://other.okta.com
    token: { env: UNSET_ELSEWHERE }
`)
	file = &File{Path: "oktascim.yaml", Org: &Org{URL: "https://file.okta.com", Token: &SecretRef{Env: "FILE_TOKEN", Field: "org.token", lookup: func(n string) (string, bool) {
		return "file-token", n == "FILE_TOKEN"
	}}}}
	return dir, oktaYAML, configPath, file
}

func TestResolveOrgProfilesAndPrivateKey(t *testing.T) {
	dir, oktaYAML, configPath, file := orgEnv(t)
	fileAuth := &File{Path: "oktascim.yaml", Org: &Org{URL: "https://file.okta.com", Auth: &OrgAuth{Mode: AuthModePrivateKey, ClientID: "file-client",
		PrivateKey: &SecretRef{File: filepath.Join(dir, "svc.pem"), Field: "org.auth.privateKey"}}}}
	base := map[string]string{"DEV_TOKEN": "dev-token"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	envOrg := []string{"OKTA_CLIENT_ORGURL", "https://env.okta.com", "OKTA_CLIENT_TOKEN", "env-token"}
	envPK := []string{"OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey", "OKTA_CLIENT_CLIENTID", "env-client", "OKTA_CLIENT_PRIVATEKEY", strings.ReplaceAll(keyPEM, "\n", `\n`) + "-env",
		"OKTA_CLIENT_PRIVATEKEYID", "env-kid", "OKTA_CLIENT_SCOPES", "okta.apps.manage,okta.groups.read okta.logs.read"}
	cases := []struct {
		name     string
		flags    OrgFlags
		env      map[string]string
		file     *File
		yaml     string
		want     OrgSettings // URL, AuthMode, token/key checked by suffix, ClientID, PrivateKeyID, Scopes, Profile, Source
		tok, key string
		err      string
	}{
		{name: "--profile beats env", flags: OrgFlags{Profile: "dev"}, env: with(envOrg...), file: file, yaml: oktaYAML,
			want: OrgSettings{URL: "https://dev.okta.com", AuthMode: ModeSSWS, Profile: "dev", Source: "url from profile dev, token from profile dev (env DEV_TOKEN)"}, tok: "dev-token"},
		{name: "flags beat --profile", flags: OrgFlags{Profile: "dev", URL: "https://flag.okta.com", TokenEnv: "MY_TOKEN"}, env: with("MY_TOKEN", "flag-token"), yaml: oktaYAML,
			want: OrgSettings{URL: "https://flag.okta.com", AuthMode: ModeSSWS, Profile: "dev", Source: "url from --org-url, token from env MY_TOKEN"}, tok: "flag-token"},
		{name: "env beats OKTASCIM_PROFILE", env: with(append(envOrg, "OKTASCIM_PROFILE", "dev")...), file: file, yaml: oktaYAML,
			want: OrgSettings{URL: "https://env.okta.com", AuthMode: ModeSSWS, Profile: "dev", Source: "url from env OKTA_CLIENT_ORGURL, token from env OKTA_CLIENT_TOKEN"}, tok: "env-token"},
		{name: "OKTASCIM_PROFILE beats the file", env: with("OKTASCIM_PROFILE", "dev"), file: file, yaml: oktaYAML,
			want: OrgSettings{URL: "https://dev.okta.com", AuthMode: ModeSSWS, Profile: "dev", Source: "url from profile dev (OKTASCIM_PROFILE), token from profile dev (OKTASCIM_PROFILE) (env DEV_TOKEN)"}, tok: "dev-token"},
		{name: "setting by setting: env token, OKTASCIM_PROFILE url", env: with("OKTASCIM_PROFILE", "dev", "OKTA_CLIENT_TOKEN", "env-token"), yaml: oktaYAML,
			want: OrgSettings{URL: "https://dev.okta.com", AuthMode: ModeSSWS, Profile: "dev", Source: "url from profile dev (OKTASCIM_PROFILE), token from env OKTA_CLIENT_TOKEN"}, tok: "env-token"},
		{name: "--profile with a service app", flags: OrgFlags{Profile: "svc"}, env: with(envOrg...), file: file, yaml: oktaYAML,
			want: OrgSettings{URL: "https://svc.okta.com", AuthMode: ModePrivateKey, ClientID: "svc-client", PrivateKeyID: "k1", Scopes: []string{"okta.apps.manage", "okta.groups.read"}, Profile: "svc",
				Source: "url from profile svc, PrivateKey mode from profile svc, client id from profile svc, private key from profile svc (file " + filepath.Join(dir, "svc.pem") + "), key id from profile svc, scopes from profile svc"}, key: "-svc"},
		{name: "env service app", env: with(append(envPK, "OKTA_CLIENT_ORGURL", "https://env.okta.com")...), file: file, yaml: oktaYAML,
			want: OrgSettings{URL: "https://env.okta.com", AuthMode: ModePrivateKey, ClientID: "env-client", PrivateKeyID: "env-kid", Scopes: []string{"okta.apps.manage", "okta.groups.read", "okta.logs.read"},
				Source: "url from env OKTA_CLIENT_ORGURL, PrivateKey mode from env OKTA_CLIENT_AUTHORIZATIONMODE, client id from env OKTA_CLIENT_CLIENTID, private key from env OKTA_CLIENT_PRIVATEKEY, key id from env OKTA_CLIENT_PRIVATEKEYID, scopes from env OKTA_CLIENT_SCOPES"}, key: "-env"},
		{name: "env mode and client id, key and scopes from okta.yaml", env: with("OKTA_CLIENT_AUTHORIZATIONMODE", "privatekey", "OKTA_CLIENT_CLIENTID", "env-client"), yaml: oktaYAML,
			want: OrgSettings{URL: "https://sdk.okta.com", AuthMode: ModePrivateKey, ClientID: "env-client", Scopes: []string{"okta.apps.read", "okta.logs.read"},
				Source: "url from ~/.okta/okta.yaml, PrivateKey mode from env OKTA_CLIENT_AUTHORIZATIONMODE, client id from env OKTA_CLIENT_CLIENTID, private key from ~/.okta/okta.yaml, scopes from ~/.okta/okta.yaml"}, key: "-sdk"},
		{name: "okta.yaml service app", env: with(), yaml: oktaYAML,
			want: OrgSettings{URL: "https://sdk.okta.com", AuthMode: ModePrivateKey, ClientID: "sdk-client", Scopes: []string{"okta.apps.read", "okta.logs.read"},
				Source: "url from ~/.okta/okta.yaml, PrivateKey mode from ~/.okta/okta.yaml, client id from ~/.okta/okta.yaml, private key from ~/.okta/okta.yaml, scopes from ~/.okta/okta.yaml"}, key: "-sdk"},
		{name: "an env token beats an okta.yaml service app", env: with("OKTA_CLIENT_TOKEN", "env-token"), yaml: oktaYAML,
			want: OrgSettings{URL: "https://sdk.okta.com", AuthMode: ModeSSWS, Source: "url from ~/.okta/okta.yaml, token from env OKTA_CLIENT_TOKEN"}, tok: "env-token"},
		{name: "the file's auth block (mode implied by env's client id)", env: with("OKTA_CLIENT_CLIENTID", "env-client"), file: fileAuth, yaml: oktaYAML,
			want: OrgSettings{URL: "https://file.okta.com", AuthMode: ModePrivateKey, ClientID: "env-client", Scopes: []string{"okta.apps.read", "okta.logs.read"},
				Source: "url from oktascim.yaml, PrivateKey mode from env, client id from env OKTA_CLIENT_CLIENTID, private key from oktascim.yaml (file " + filepath.Join(dir, "svc.pem") + "), scopes from ~/.okta/okta.yaml"}, key: "-svc"},
		{name: "the file's auth block", env: with(), file: fileAuth, yaml: filepath.Join(dir, "none.yaml"),
			want: OrgSettings{URL: "https://file.okta.com", AuthMode: ModePrivateKey, ClientID: "file-client",
				Source: "url from oktascim.yaml, PrivateKey mode from oktascim.yaml, client id from oktascim.yaml, private key from oktascim.yaml (file " + filepath.Join(dir, "svc.pem") + "), default scopes"}, key: "-svc"},
		{name: "default scopes", env: with(envPK[:6]...), file: &File{Path: "oktascim.yaml", Org: &Org{URL: "https://file.okta.com"}}, yaml: filepath.Join(dir, "none.yaml"),
			want: OrgSettings{URL: "https://file.okta.com", AuthMode: ModePrivateKey, ClientID: "env-client",
				Source: "url from oktascim.yaml, PrivateKey mode from env OKTA_CLIENT_AUTHORIZATIONMODE, client id from env OKTA_CLIENT_CLIENTID, private key from env OKTA_CLIENT_PRIVATEKEY, default scopes"}, key: "-env"},
		{name: "no such profile", flags: OrgFlags{Profile: "nope"}, env: with(envOrg...), yaml: oktaYAML, err: `no profile "nope" (the file has: dev, other, svc)`},
		{name: "no client id", env: with("OKTA_CLIENT_ORGURL", "https://env.okta.com", "OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey"), yaml: filepath.Join(dir, "none.yaml"),
			err: "PrivateKey mode (from env OKTA_CLIENT_AUTHORIZATIONMODE) needs the service app's client id: set OKTA_CLIENT_CLIENTID"},
		{name: "no private key", env: with("OKTA_CLIENT_ORGURL", "https://env.okta.com", "OKTA_CLIENT_CLIENTID", "c"), yaml: filepath.Join(dir, "none.yaml"),
			err: "PrivateKey mode (from env) needs the service app's private key: set OKTA_CLIENT_PRIVATEKEY"},
		{name: "key path missing", env: with("OKTA_CLIENT_ORGURL", "https://env.okta.com", "OKTA_CLIENT_CLIENTID", "c", "OKTA_CLIENT_PRIVATEKEY", filepath.Join(dir, "missing.pem")), yaml: oktaYAML,
			err: "the private key (from env OKTA_CLIENT_PRIVATEKEY) is not PEM or a JWK, so it was read as a file path: " + filepath.Join(dir, "missing.pem")},
		{name: "mode the tool does not use", env: with("OKTA_CLIENT_ORGURL", "https://env.okta.com", "OKTA_CLIENT_AUTHORIZATIONMODE", "JWT"), yaml: oktaYAML,
			err: `authorization mode "JWT" (from env OKTA_CLIENT_AUTHORIZATIONMODE) is not one oktascim uses`},
	}
	secrets := []string{"dev-token", "env-token", "flag-token", "TESTKEYMATERIAL"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, err := ResolveOrg(c.flags, c.file, ResolveOptions{LookupEnv: lookupIn(c.env), OktaYAMLPath: c.yaml, ConfigPath: configPath})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				assertNoSecret(t, err.Error(), secrets)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := OrgSettings{URL: s.URL, AuthMode: s.AuthMode, ClientID: s.ClientID, PrivateKeyID: s.PrivateKeyID, Scopes: s.Scopes, Profile: s.Profile, Source: s.Source}
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", c.want) {
				t.Errorf("got  %#v\nwant %#v", got, c.want)
			}
			if s.Token.Value() != c.tok || (c.key == "") != s.PrivateKey.IsZero() || !strings.HasSuffix(s.PrivateKey.Value(), c.key) {
				t.Errorf("token %q, key ends %q", s.Token.Value(), c.key)
			}
			assertNoSecret(t, s.Source+fmt.Sprint(s.Sources)+fmt.Sprintf("%v %+v", s, s), secrets)
		})
	}
}

func lookupIn(m map[string]string) func(string) (string, bool) {
	return func(n string) (string, bool) { v, ok := m[n]; return v, ok }
}

func assertNoSecret(t *testing.T, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Fatalf("%q shows a secret: %s", s, text)
		}
	}
}

// Without a profile, the tool's config file is not read at all.
func TestResolveOrgReadsNoConfigFileWithoutAProfile(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(broken, []byte("profiles: [not, a, mapping"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OKTA_CLIENT_ORGURL": "https://env.okta.com", "OKTA_CLIENT_TOKEN": "t0ken"}
	if _, _, err := ResolveOrg(OrgFlags{}, nil, ResolveOptions{LookupEnv: lookupIn(env), ConfigPath: broken, OktaYAMLPath: "/nonexistent"}); err != nil {
		t.Fatal(err)
	}
	env["OKTASCIM_PROFILE"] = "dev"
	_, _, err := ResolveOrg(OrgFlags{}, nil, ResolveOptions{LookupEnv: lookupIn(env), ConfigPath: broken, OktaYAMLPath: "/nonexistent"})
	var problems Problems
	if !errors.As(err, &problems) || !strings.Contains(err.Error(), broken+":1:") {
		t.Fatalf("err = %v", err)
	}
	// OKTASCIM_CONFIG names the file when no path is injected.
	env["OKTASCIM_CONFIG"] = filepath.Join(t.TempDir(), "absent.yaml")
	_, _, err = ResolveOrg(OrgFlags{}, nil, ResolveOptions{LookupEnv: lookupIn(env), OktaYAMLPath: "/nonexistent"})
	if err == nil || !strings.Contains(err.Error(), "absent.yaml does not exist") {
		t.Fatalf("err = %v", err)
	}
}

func TestToolConfigPath(t *testing.T) {
	p, err := ToolConfigPath(lookupIn(map[string]string{"OKTASCIM_CONFIG": "/x/y.yaml"}))
	if err != nil || p != "/x/y.yaml" {
		t.Fatalf("%s %v", p, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("HOME", "/home/someone")
	p, err = ToolConfigPath(lookupIn(nil))
	if err != nil || !strings.HasSuffix(p, filepath.Join("oktascim", "config.yaml")) {
		t.Fatalf("%s %v", p, err)
	}
}

func TestOrgSettingsSecrets(t *testing.T) {
	s := OrgSettings{Token: NewSecret("tok-123"), PrivateKey: NewSecret(strings.ReplaceAll(keyPEM, "\n", `\n`))}
	var set redact.Set
	set.Add(s.Secrets()...)
	got := set.String("tok-123 | TESTKEYMATERIAL0123456789 | -----BEGIN PRIVATE KEY-----")
	for _, leak := range []string{"tok-123", "TESTKEYMATERIAL0123456789"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q is not masked: %s", leak, got)
		}
	}
	if !strings.Contains(got, "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("the PEM header line is masked on its own: %s", got)
	}
}
