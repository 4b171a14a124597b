package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
