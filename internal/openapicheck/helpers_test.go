package openapicheck

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/reftest"
)

// testToken stands for an API token; no error message may ever contain it.
const testToken = "00TESTtokenValue-must-never-be-printed"

func specValidator(t *testing.T) *Validator {
	t.Helper()
	p := DefaultSpecPath()
	if p == "" {
		reftest.Missing(t, fmt.Sprintf("Okta OpenAPI spec not found (looked for %s above the working dir; or set %s)", SpecFile, SpecPathEnv))
	}
	v, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// apiRequest builds a request as the SDK sends it: SSWS token, JSON in and out.
// target may carry a query string; body is marshalled unless it is a string.
func apiRequest(t *testing.T, method, target string, body any) Request {
	t.Helper()
	path, query, _ := strings.Cut(target, "?")
	h := http.Header{}
	h.Set("Authorization", "SSWS "+testToken)
	h.Set("Accept", "application/json")
	r := Request{Method: method, Path: path, RawQuery: query, Header: h}
	switch b := body.(type) {
	case nil:
	case string:
		r.Body = []byte(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r.Body = raw
	}
	if r.Body != nil {
		h.Set("Content-Type", "application/json")
	}
	return r
}

// oinAppBody is what oktascim sends to create or replace a SCIM template app: built
// from intended fields, SAML settings as a map, enduser note null as SDK v2 sends it.
func oinAppBody(name string) map[string]any {
	return map[string]any{
		"name":       name,
		"label":      "Acme SCIM",
		"signOnMode": "SAML_2_0",
		"settings": map[string]any{
			"app":   map[string]any{"acsUrl": "https://acme.example/sso/saml", "audienceUri": "https://acme.example"},
			"notes": map[string]any{"admin": "managed by oktascim", "enduser": nil},
		},
		"visibility": map[string]any{"autoSubmitToolbar": false, "hide": map[string]any{"iOS": true, "web": false}},
	}
}
