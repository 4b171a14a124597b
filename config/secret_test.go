package config

import (
	"strings"
	"testing"
)

// TestProblemsDoNotQuoteSecrets: a value that came from the environment where a URL
// belongs (a token by mistake) is not repeated by the error about it; a URL-looking
// value still is, and values written in the file are quoted as they are.
func TestProblemsDoNotQuoteSecrets(t *testing.T) {
	const tok = "Bearer s3cr3t-token-value-42"
	env := func(k string) (string, bool) {
		v, ok := map[string]string{"TOK": tok, "TYPO": "htps//scim.example.com", "ORG": "00sswsTokenByMistake1234567890"}[k]
		return v, ok
	}
	yaml := "version: 1\nintegrations:\n  - name: acme\n    scim:\n      baseUrl: ${TOK}\n      auth: { method: header, token: { env: TOK } }\n    signOn: { mode: swa, swa: { loginUrl: https://a.example/login } }\n"
	_, err := Parse("f.yaml", []byte(yaml), t.TempDir(), LoadOptions{LookupEnv: env})
	if err == nil || strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "the value of ${TOK} (28 characters, not shown") {
		t.Fatalf("error %v", err)
	}
	_, err = Parse("f.yaml", []byte(strings.Replace(yaml, "${TOK}", "scim.example.com/v2", 1)), t.TempDir(), LoadOptions{LookupEnv: env})
	if err == nil || !strings.Contains(err.Error(), `"scim.example.com/v2" is not an absolute URL`) {
		t.Fatalf("a literal value should be quoted: %v", err)
	}
	_, _, err = ResolveOrg(OrgFlags{}, nil, ResolveOptions{LookupEnv: func(k string) (string, bool) {
		v, ok := map[string]string{"OKTA_CLIENT_ORGURL": "00sswsTokenByMistake1234567890", "OKTA_CLIENT_TOKEN": "00sswsTokenByMistake1234567890"}[k]
		return v, ok
	}, OktaYAMLPath: "/nonexistent/okta.yaml", ConfigPath: "/nonexistent/config.yaml"})
	if err == nil || strings.Contains(err.Error(), "TokenByMistake") || !strings.Contains(err.Error(), "not shown") {
		t.Fatalf("org URL error %v", err)
	}
}
