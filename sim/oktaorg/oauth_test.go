package oktaorg

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/internal/reftest"
)

var (
	testKeysOnce sync.Once
	testRSA      *rsa.PrivateKey
	testRSAOther *rsa.PrivateKey
)

func rsaKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	testKeysOnce.Do(func() {
		testRSA, _ = rsa.GenerateKey(rand.Reader, 2048)
		testRSAOther, _ = rsa.GenerateKey(rand.Reader, 2048)
	})
	return testRSA, testRSAOther
}

// signJWT builds a compact JWS the way a client would (RS256 or ES256).
func signJWT(t *testing.T, key crypto.Signer, header, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(claims)
	sum := sha256.Sum256([]byte(input))
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		var err error
		if sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:]); err != nil {
			t.Fatal(err)
		}
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

type tokenAnswer struct {
	status int
	header http.Header
	body   map[string]any
}

func requestToken(t *testing.T, s *Server, form url.Values) tokenAnswer {
	t.Helper()
	resp, err := http.Post(s.URL+TokenPath, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return tokenAnswer{resp.StatusCode, resp.Header, body}
}

func TestTokenEndpoint(t *testing.T) {
	key, other := rsaKeys(t)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	s, err := Start(Options{Token: "00ssws", Now: func() time.Time { return now }, ServiceApps: []ServiceApp{
		{ClientID: "0oaservice", PublicKey: &key.PublicKey, KeyID: "kid1", Scopes: []string{"okta.apps.manage", "okta.groups.read"}},
		{ClientID: "0oaecapp", PublicKey: &ec.PublicKey, Scopes: []string{"okta.logs.read"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	aud := s.URL + TokenPath
	claims := func(iss string, mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": iss, "sub": iss, "aud": aud, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": newID("jti")}
		if mod != nil {
			mod(c)
		}
		return c
	}
	form := func(assertion, scope string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "scope": {scope}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
	}
	rs := map[string]any{"alg": "RS256", "kid": "kid1"}
	replayed := signJWT(t, key, rs, claims("0oaservice", nil))
	for _, tc := range []struct {
		name         string
		form         url.Values
		status       int
		code, substr string
	}{
		{"good key", form(replayed, "okta.apps.manage okta.groups.read"), 200, "", ""},
		{"EC key", form(signJWT(t, ec, map[string]any{"alg": "ES256"}, claims("0oaecapp", nil)), "okta.logs.read"), 200, "", ""},
		{"no kid, one key", form(signJWT(t, key, map[string]any{"alg": "RS256"}, claims("0oaservice", nil)), "okta.apps.manage"), 200, "", ""},
		{"wrong key", form(signJWT(t, other, rs, claims("0oaservice", nil)), "okta.apps.manage"), 401, "invalid_client", "signature is invalid"},
		{"unknown client", form(signJWT(t, key, rs, claims("0oanobody", nil)), "okta.apps.manage"), 401, "invalid_client", "client_id is invalid"},
		{"wrong kid", form(signJWT(t, key, map[string]any{"alg": "RS256", "kid": "other"}, claims("0oaservice", nil)), "okta.apps.manage"), 401, "invalid_client", "kid is invalid"},
		{"alg none", form(signJWT(t, key, map[string]any{"alg": "none"}, claims("0oaservice", nil)), "okta.apps.manage"), 401, "invalid_client", "algorithm"},
		{"EC alg for an RSA key", form(signJWT(t, key, map[string]any{"alg": "ES256"}, claims("0oaservice", nil)), "okta.apps.manage"), 401, "invalid_client", "does not match"},
		{"sub is not the client", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { c["sub"] = "someone" })), "okta.apps.manage"), 401, "invalid_client", "sub"},
		{"wrong aud", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { c["aud"] = "https://acme.okta.com/oauth2/v1/token" })), "okta.apps.manage"), 401, "invalid_client", "audience"},
		{"aud list", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { c["aud"] = []string{"x", aud} })), "okta.apps.manage"), 200, "", ""},
		{"expired", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { c["exp"] = now.Add(-time.Second).Unix() })), "okta.apps.manage"), 401, "invalid_client", "expired"},
		{"no exp", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { delete(c, "exp") })), "okta.apps.manage"), 401, "invalid_client", "expiration"},
		{"exp beyond an hour", form(signJWT(t, key, rs, claims("0oaservice", func(c map[string]any) { c["exp"] = now.Add(2 * time.Hour).Unix() })), "okta.apps.manage"), 401, "invalid_client", "too far"},
		{"replayed jti", form(replayed, "okta.apps.manage"), 401, "invalid_client", "already been used"},
		{"not a JWT", form("abc.def", "okta.apps.manage"), 401, "invalid_client", "well-formed"},
		{"no assertion", url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.apps.manage"}}, 401, "invalid_client", "No client credentials"},
		{"wrong assertion type", func() url.Values {
			f := form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.apps.manage")
			f.Set("client_assertion_type", "password")
			return f
		}(), 401, "invalid_client", "client_assertion_type"},
		{"wrong grant", func() url.Values {
			f := form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.apps.manage")
			f.Set("grant_type", "password")
			return f
		}(), 400, "unsupported_grant_type", ""},
		{"no scope", form(signJWT(t, key, rs, claims("0oaservice", nil)), ""), 400, "invalid_scope", "'scope' must be provided"},
		{"unknown scope", form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.apps.manage okta.everything"), 400, "invalid_scope", "not configured"},
		{"no requested scope granted", form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.logs.read"), 400, "consent_required", "not allowed any of the requested scopes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := requestToken(t, s, tc.form)
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %v", a.status, tc.status, a.body)
			}
			if a.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", a.header.Get("Cache-Control"))
			}
			if tc.status == 200 {
				if a.body["token_type"] != "Bearer" || a.body["expires_in"] != float64(3600) || a.body["access_token"] == "" {
					t.Fatalf("answer %v", a.body)
				}
				return
			}
			if a.body["error"] != tc.code || !strings.Contains(a.body["error_description"].(string), tc.substr) {
				t.Fatalf("answer %v, want %s %q", a.body, tc.code, tc.substr)
			}
		})
	}
	// A request for a granted and a non-granted scope gets the granted one only.
	a := requestToken(t, s, form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.groups.read okta.logs.read"))
	if a.status != 200 || a.body["scope"] != "okta.groups.read" {
		t.Fatalf("partial grant: %d %v", a.status, a.body)
	}
	// okta-sdk-golang v2 sends the parameters in the query; Okta takes that too.
	q := form(signJWT(t, key, rs, claims("0oaservice", nil)), "okta.apps.manage")
	resp, err := http.Post(s.URL+TokenPath+"?"+q.Encode(), "application/x-www-form-urlencoded", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("query parameters: %v %v", err, resp)
	}
	resp.Body.Close()
	// The endpoint is on a rate-limit bucket of its own.
	if a.header.Get("X-Rate-Limit-Limit") == "" {
		t.Fatal("no rate-limit headers on the token endpoint")
	}
}

// bearerOrg is an org with one service app and a token holding scopes.
func bearerOrg(t *testing.T, scopes ...string) (*Server, func(method, path string) (*http.Response, []byte)) {
	t.Helper()
	key, _ := rsaKeys(t)
	s, err := Start(Options{Token: "00ssws", ServiceApps: []ServiceApp{{ClientID: "0oasvc", PublicKey: &key.PublicKey, Scopes: scopes}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Now()
	a := requestToken(t, s, url.Values{"grant_type": {"client_credentials"}, "scope": {strings.Join(scopes, " ")},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {signJWT(t, key, map[string]any{"alg": "RS256"}, map[string]any{"iss": "0oasvc", "sub": "0oasvc", "aud": s.URL + TokenPath, "exp": now.Add(time.Minute).Unix()})}})
	if a.status != 200 {
		t.Fatalf("token: %v", a.body)
	}
	tok := a.body["access_token"].(string)
	return s, func(method, path string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(`{"profile":{"name":"x"}}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
}

func TestBearerTokensAreAuthorizedPerScope(t *testing.T) {
	s, call := bearerOrg(t, "okta.apps.manage", "okta.groups.read")
	s.AddGroup("Engineering")
	for _, tc := range []struct {
		method, path string
		status       int
		missing      string
	}{
		{"GET", "/api/v1/apps", 200, ""}, // okta.apps.manage covers okta.apps.read
		{"POST", "/api/v1/groups", 403, "okta.groups.manage"},
		{"GET", "/api/v1/groups", 200, ""},
		{"GET", "/api/v1/logs", 403, "okta.logs.read"},
		{"GET", "/api/v1/users/me", 403, "okta.users.read.self"},
		{"GET", "/api/v1/users/00usimadmin000000001/roles", 403, "okta.roles.read"},
		{"GET", "/api/v1/nothing", 404, ""},
	} {
		resp, body := call(tc.method, tc.path)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d: %s", tc.method, tc.path, resp.StatusCode, tc.status, body)
			continue
		}
		if tc.status != 403 {
			continue
		}
		ch := resp.Header.Get("WWW-Authenticate")
		for _, want := range []string{`Bearer authorization_uri="` + s.URL + `/oauth2/v1/authorize"`, `realm="` + s.URL + `"`, `scope="` + tc.missing + `"`,
			`error="insufficient_scope"`, `error_description="The access token provided does not contain the required scopes."`, `resource="` + tc.path + `"`} {
			if !strings.Contains(ch, want) {
				t.Errorf("%s %s: challenge %q lacks %q", tc.method, tc.path, ch, want)
			}
		}
		if len(body) != 0 {
			t.Errorf("%s %s: a 403 for a missing scope has no body, got %s", tc.method, tc.path, body)
		}
	}

	// Revoked (or expired) tokens are refused as invalid.
	s.RevokeAccessTokens()
	resp, _ := call("GET", "/api/v1/apps")
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("revoked token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	// The SSWS token works as before, and is not an access token.
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/apps", nil)
	req.Header.Set("Authorization", "Bearer 00ssws")
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != 401 {
		t.Fatalf("API token as a bearer token: %v %v", err, r)
	}
}

func TestServiceAppTokenHasNoUser(t *testing.T) {
	_, call := bearerOrg(t, "okta.users.read.self")
	resp, body := call("GET", "/api/v1/users/me")
	if resp.StatusCode != 404 || !strings.Contains(string(body), "E0000007") {
		t.Fatalf("users/me with a service app's token: %d %s", resp.StatusCode, body)
	}
}

func TestBearerTokenExpires(t *testing.T) {
	key, _ := rsaKeys(t)
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, err := Start(Options{Token: "00ssws", Now: clock, AccessTokenLifetime: time.Minute, ServiceApps: []ServiceApp{{ClientID: "0oasvc", PublicKey: &key.PublicKey, Scopes: []string{"okta.apps.read"}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := requestToken(t, s, url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.apps.read"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {signJWT(t, key, map[string]any{"alg": "RS256"}, map[string]any{"iss": "0oasvc", "sub": "0oasvc", "aud": s.URL + TokenPath, "exp": now.Add(time.Minute).Unix()})}})
	if a.status != 200 || a.body["expires_in"] != float64(60) {
		t.Fatalf("token: %v", a.body)
	}
	get := func() int {
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/apps", nil)
		req.Header.Set("Authorization", "Bearer "+a.body["access_token"].(string))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != 200 {
		t.Fatalf("fresh token: %d", got)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if got := get(); got != 401 {
		t.Fatalf("expired token: %d", got)
	}
}

// Every scope rule is the oauth2 security requirement of its operation in Okta's
// OpenAPI spec.
func TestScopeRulesMatchTheSpec(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "reference", "okta-openapi", "management-oneOfInheritance.2026.06.3.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		reftest.Missing(t, "Okta's OpenAPI spec not found beside the repo")
	}
	var spec struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	for _, r := range scopeRules {
		node, ok := spec.Paths[r.path][strings.ToLower(r.method)]
		if !ok {
			t.Errorf("%s %s: not in the spec", r.method, r.path)
			continue
		}
		var op struct {
			Security []map[string][]string `yaml:"security"`
		}
		if err := node.Decode(&op); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, s := range op.Security {
			if sc, ok := s["oauth2"]; ok {
				want = sc
			}
		}
		if !reflect.DeepEqual(want, r.scopes) {
			t.Errorf("%s %s: rule %v, spec %v", r.method, r.path, r.scopes, want)
		}
	}
}
