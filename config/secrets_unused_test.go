package config

import (
	"errors"
	"strings"
	"testing"
)

// TestSCIMSecretsUnused: with SCIMSecretsUnused an integration's unset variable or
// missing secret file is no problem, but a malformed reference still is, and the
// org's token must still resolve (every command sends it).
func TestSCIMSecretsUnused(t *testing.T) {
	in := func(auth string) string {
		return "version: 1\norg:\n  url: https://acme.okta.com\n  token: { env: ORG_TOKEN }\nintegrations:\n  - name: acme\n    scim: { baseUrl: https://scim.example.com/scim/v2, auth: " + auth + " }\n    signOn: { mode: swa, swa: { loginUrl: https://acme.example.com/login } }\n"
	}
	env := lookupIn(map[string]string{"ORG_TOKEN": "t"})
	for _, auth := range []string{"{ method: header, token: { env: UNSET } }", "{ method: basic, username: u, password: { file: missing.txt } }"} {
		if _, err := Parse("x.yaml", []byte(in(auth)), t.TempDir(), LoadOptions{LookupEnv: env}); err == nil {
			t.Fatalf("%s: loads without SCIMSecretsUnused", auth)
		}
		if _, err := Parse("x.yaml", []byte(in(auth)), t.TempDir(), LoadOptions{LookupEnv: env, SCIMSecretsUnused: true}); err != nil {
			t.Fatalf("%s with SCIMSecretsUnused: %v", auth, err)
		}
	}
	var ps Problems
	_, err := Parse("x.yaml", []byte(in("{ method: header, token: { env: 'not a name' } }")), t.TempDir(), LoadOptions{LookupEnv: env, SCIMSecretsUnused: true})
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "not an environment variable name") {
		t.Fatalf("a malformed reference: %v", err)
	}
	_, err = Parse("x.yaml", []byte(in("{ method: header, token: { env: UNSET } }")), t.TempDir(), LoadOptions{LookupEnv: lookupIn(nil), SCIMSecretsUnused: true})
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "ORG_TOKEN is not set") {
		t.Fatalf("the org token unset: %v", err)
	}
}
