package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadProfile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.pem"), []byte("-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := lookupIn(map[string]string{"DEV_TOKEN": "dev-token-value"})
	load := func(content, name string) (*Org, []Problem, error) {
		p := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return LoadProfile(p, name, LoadOptions{LookupEnv: env})
	}
	org, warnings, err := load(`profiles:
  dev:
    url: http://127.0.0.1:8080
    token: { env: DEV_TOKEN }
  svc:
    url: https://svc.okta.com
    auth: { mode: privateKey, clientId: 0oa1, privateKey: { file: k.pem }, scopes: [okta.apps.manage] }
  broken:
    token: { env: NOT_SET_ANYWHERE }
`, "svc")
	if err != nil || org.URL != "https://svc.okta.com" || org.Auth == nil || org.Auth.ClientID != "0oa1" || org.Auth.PrivateKey.File != filepath.Join(dir, "k.pem") || len(warnings) != 0 {
		t.Fatalf("%+v %v %v", org, warnings, err)
	}
	org, warnings, err = load("profiles:\n  dev:\n    url: http://127.0.0.1:8080\n    token: { env: DEV_TOKEN }\n", "dev")
	if err != nil || org.Token.Env != "DEV_TOKEN" || len(warnings) != 1 || !strings.Contains(warnings[0].String(), "config.yaml:3:10: profiles.dev.url:") {
		t.Fatalf("%+v %v %v", org, warnings, err)
	}
	for _, tc := range []struct{ content, name, want string }{
		{"profiles:\n  dev: { url: https://a.okta.com, token: s3cr3t-literal }\n", "dev", "config.yaml:2:42: profiles.dev.token: literal secrets are not allowed"},
		{"profiles:\n  dev:\n    url: https://a.okta.com\n    tokn: { env: DEV_TOKEN }\n", "dev", `config.yaml:4:5: profiles.dev.tokn: unknown field "tokn" (did you mean "token"?)`},
		{"profiles:\n  dev:\n    url: https://a.okta.com\n    token: { env: DEV_TOKEN }\n    auth: { mode: privateKey, clientId: c, privateKey: { file: k.pem } }\n", "dev", "config.yaml:5:5: profiles.dev.auth: use either token (an API token) or auth (an OAuth service app), not both"},
		{"profiles:\n  dev:\n    url: https://a.okta.com\n    auth: { mode: privateKey, privateKey: { file: k.pem } }\n", "dev", "profiles.dev.auth.clientId: is required"},
		{"profiles:\n  dev:\n    auth: { mode: jwt, clientId: c }\n", "dev", `profiles.dev.auth.mode: "jwt" is not one of: privateKey`},
		{"profiles:\n  dev:\n    auth: { mode: privateKey, clientId: c, privateKey: { file: k.pem }, scopes: [okta.apps.manage okta.logs.read] }\n", "dev", `profiles.dev.auth.scopes[0]: "okta.apps.manage okta.logs.read" is not a scope name`},
		{"profiles:\n  dev:\n    auth: { mode: privateKey, clientId: c, privateKey: { file: nokey.pem } }\n", "dev", "profiles.dev.auth.privateKey.file: cannot read " + filepath.Join(dir, "nokey.pem")},
		{"profiles:\n  dev:\n    url: https://a.okta.com\n    token: { env: DEV_TOKEN }\n", "prod", `config.yaml:2:3: profiles: no profile "prod" (the file has: dev)`},
		{"profiles: [dev]\n", "dev", "config.yaml:1:11: profiles: must be a mapping"},
		{"profile:\n  dev: {}\n", "dev", `unknown field "profile" (did you mean "profiles"?)`},
		{"profiles:\n  dev:\n", "dev", "profiles.dev: is empty"},
		{"# nothing\n\n", "dev", "the config file is empty"},
		{"", "dev", "the config file is empty"},
	} {
		_, _, err := load(tc.content, tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.content, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error repeats a literal secret: %v", err)
		}
	}
}

// The file's org block takes an auth block too, with the same checks.
func TestFileOrgAuth(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k.pem"), []byte("key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	integration := "integrations:\n  - name: acme\n    scim: { baseUrl: https://scim.example.com/scim/v2, auth: { method: header, token: { env: T } } }\n    signOn: { mode: swa, swa: { loginUrl: https://acme.example.com/login } }\n"
	f, err := Parse("x.yaml", []byte("version: 1\norg:\n  url: https://acme.okta.com\n  auth:\n    mode: privateKey\n    clientId: 0oa1\n    keyId: kid-1\n    privateKey: { file: k.pem }\n    scopes: [okta.apps.manage, okta.groups.read]\n"+integration), dir, LoadOptions{LookupEnv: lookupIn(map[string]string{"T": "t"})})
	if err != nil {
		t.Fatal(err)
	}
	a := f.Org.Auth
	if a == nil || a.Mode != AuthModePrivateKey || a.ClientID != "0oa1" || a.KeyID != "kid-1" || a.PrivateKey.File != filepath.Join(dir, "k.pem") || strings.Join(a.Scopes, " ") != "okta.apps.manage okta.groups.read" {
		t.Fatalf("%+v", a)
	}
	_, err = Parse("x.yaml", []byte("version: 1\norg:\n  auth:\n    mode: privateKey\n    clientId: 0oa1\n    privateKey: { file: k.pem }\n    scopes: []\n"+integration), dir, LoadOptions{LookupEnv: lookupIn(map[string]string{"T": "t"})})
	if err == nil || !strings.Contains(err.Error(), "x.yaml:7:13: org.auth.scopes: is empty") {
		t.Fatalf("err = %v", err)
	}
}
