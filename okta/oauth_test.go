package okta

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/sim/oktaorg"
)

var (
	keysOnce          sync.Once
	svcKey, wrongKey  *rsa.PrivateKey
	svcKeyPEM         string
	wrongKeyPEM       string
	allScopesForTests = []string{"okta.apps.read", "okta.apps.manage", "okta.groups.read", "okta.logs.read"}
)

func testKeys(t *testing.T) {
	t.Helper()
	keysOnce.Do(func() {
		svcKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		wrongKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		svcKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(svcKey)}))
		wrongKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(wrongKey)}))
	})
}

// clock is a settable time shared by the simulator and the client.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// startOAuthSim serves an org with one service app (client id 0oasvc, kid key1,
// granted the given scopes) and returns a PrivateKey client for it.
func startOAuthSim(t *testing.T, opts oktaorg.Options, granted []string, s Settings) (*oktaorg.Server, *Client) {
	t.Helper()
	testKeys(t)
	opts.Token = "00ssws-token"
	opts.ServiceApps = append(opts.ServiceApps, oktaorg.ServiceApp{ClientID: "0oasvc", PublicKey: &svcKey.PublicKey, KeyID: "key1", Scopes: granted})
	srv, err := oktaorg.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s.OrgURL, s.AuthMode = srv.URL, AuthPrivateKey
	if s.ClientID == "" {
		s.ClientID = "0oasvc"
	}
	if s.PrivateKey.IsZero() {
		s.PrivateKey = redact.NewSecret(svcKeyPEM)
	}
	c, err := NewClient(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func tokenRequests(s *oktaorg.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Path == "/oauth2/v1/token" {
			n++
		}
	}
	return n
}

func TestPrivateKeyClientWorksAndSharesOneToken(t *testing.T) {
	var trace bytes.Buffer
	s, c := startOAuthSim(t, oktaorg.Options{}, allScopesForTests, Settings{PrivateKeyID: "key1", Scopes: allScopesForTests, Trace: &trace})
	s.AddGroup("Engineering")
	if c.AuthMode() != AuthPrivateKey {
		t.Fatal(c.AuthMode())
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListApps(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := c.FindGroup(ctx, "Engineering"); err != nil {
		t.Fatal(err)
	}
	if n := tokenRequests(s); n != 1 {
		t.Fatalf("%d token requests for concurrent calls, want 1", n)
	}
	app, err := c.ServiceApp(ctx)
	if err != nil || app.ClientID != "0oasvc" || app.KeyID != "key1" || strings.Join(app.Granted, " ") != strings.Join(allScopesForTests, " ") {
		t.Fatalf("%+v %v", app, err)
	}
	// Every request carried the access token, none the placeholder; the token request
	// went through the paced transport (it is in the trace) with the assertion in its
	// body, and the trace holds neither.
	var token string
	for _, r := range s.Requests() {
		switch {
		case r.Path == "/oauth2/v1/token":
			form, _ := url.ParseQuery(string(r.Body))
			if r.RawQuery != "" || form.Get("client_assertion") == "" || form.Get("grant_type") != "client_credentials" {
				t.Fatalf("token request: query %q body %q", r.RawQuery, r.Body)
			}
			if strings.Contains(trace.String(), form.Get("client_assertion")) {
				t.Fatal("the trace shows the client assertion")
			}
		default:
			auth := r.Header.Get("Authorization")
			if !strings.HasPrefix(auth, "Bearer sim") {
				t.Fatalf("%s %s: Authorization %q", r.Method, r.Path, auth)
			}
			token = strings.TrimPrefix(auth, "Bearer ")
		}
	}
	if !strings.Contains(trace.String(), "POST /oauth2/v1/token → 200") {
		t.Fatalf("token request not traced:\n%s", trace.String())
	}
	if strings.Contains(trace.String(), token) {
		t.Fatal("the trace shows the access token")
	}
}

func TestPrivateKeyWrongKeyIsARefusalAskedOnce(t *testing.T) {
	s, c := startOAuthSim(t, oktaorg.Options{}, allScopesForTests, Settings{PrivateKey: redact.NewSecret(wrongKeyPEM)})
	ctx := context.Background()
	// The org's public metadata needs no token.
	if meta, err := c.Metadata(ctx); err != nil || meta.ID == "" || tokenRequests(s) != 0 {
		t.Fatalf("metadata: %+v %v, %d token requests", meta, err, tokenRequests(s))
	}
	for _, r := range s.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Fatalf("%s sent with Authorization", r.Path)
		}
	}
	_, err := c.ListApps(ctx)
	var te *TokenError
	if !errors.As(err, &te) || te.Status != 401 || te.Code != "invalid_client" || !IsAuth(err) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"service app 0oasvc", "401 invalid_client", "signature is invalid", "private key belongs to a public key registered on the app"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "BEGIN") || strings.Contains(err.Error(), "eyJ") {
		t.Fatalf("message shows key material or a JWT: %v", err)
	}
	if _, err := c.ServiceApp(ctx); !errors.As(err, &te) {
		t.Fatalf("second call: %v", err)
	}
	if n := tokenRequests(s); n != 1 {
		t.Fatalf("%d token requests after a refusal, want 1", n)
	}
}

func TestPrivateKeyScopes(t *testing.T) {
	ctx := context.Background()
	t.Run("none granted", func(t *testing.T) {
		_, c := startOAuthSim(t, oktaorg.Options{}, []string{"okta.users.read.self"}, Settings{Scopes: []string{"okta.apps.manage"}})
		_, err := c.ServiceApp(ctx)
		if !IsAuth(err) || !strings.Contains(err.Error(), "consent_required") || !strings.Contains(err.Error(), "Okta API Scopes tab (requested: okta.apps.manage)") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown scope", func(t *testing.T) {
		_, c := startOAuthSim(t, oktaorg.Options{}, allScopesForTests, Settings{Scopes: []string{"okta.apps.manage", "okta.app.mange"}})
		_, err := c.ServiceApp(ctx)
		if !IsAuth(err) || !strings.Contains(err.Error(), "invalid_scope") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("default scopes, partly granted", func(t *testing.T) {
		_, c := startOAuthSim(t, oktaorg.Options{}, []string{"okta.apps.read", "okta.groups.read"}, Settings{})
		app, err := c.ServiceApp(ctx)
		if err != nil || strings.Join(app.Requested, " ") != strings.Join(DefaultScopes, " ") || strings.Join(app.Granted, " ") != "okta.apps.read okta.groups.read" {
			t.Fatalf("%+v %v", app, err)
		}
		// Reads work; a write needs okta.apps.manage, and the error says so.
		if _, err := c.ListApps(ctx); err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateApp(ctx, AppSpec{Name: "scim2headerauth", Label: "acme", SignOnMode: "SAML_2_0", AppSettings: map[string]any{"acsUrl": "https://acme.example/acs", "audienceUri": "acme"}})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 403 || !IsAuth(err) {
			t.Fatalf("err = %v", err)
		}
		for _, want := range []string{"needs: okta.apps.manage", "has okta.apps.read okta.groups.read", "Grant okta.apps.manage on the service app's Okta API Scopes tab"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message lacks %q: %v", want, err)
			}
		}
	})
}

func TestPrivateKeyTokenIsRenewedBeforeItExpiresAndAfterRevocation(t *testing.T) {
	clk := &clock{now: time.Now()}
	s, c := startOAuthSim(t, oktaorg.Options{Now: clk.Now, AccessTokenLifetime: time.Minute}, allScopesForTests, Settings{now: clk.Now})
	ctx := context.Background()
	list := func() {
		t.Helper()
		if _, err := c.ListApps(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list()
	clk.Add(50 * time.Second) // within the token's life and before its refresh margin (6 s)
	list()
	if n := tokenRequests(s); n != 1 {
		t.Fatalf("%d token requests within the token's life", n)
	}
	clk.Add(5 * time.Second) // 5 s before expiry: inside the margin
	list()
	if n := tokenRequests(s); n != 2 {
		t.Fatalf("%d token requests, want a renewal before expiry", n)
	}
	// Okta no longer takes the token: the client gets a new one and sends the request
	// again, once.
	s.RevokeAccessTokens()
	list()
	if n := tokenRequests(s); n != 3 {
		t.Fatalf("%d token requests, want one more after the revocation", n)
	}
	var statuses []int
	for _, r := range s.Requests() {
		if r.Path == "/api/v1/apps" {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[200 200 200 401 200]" {
		t.Fatalf("app listings answered %v", statuses)
	}
}

// flakyTokens answers the first n token requests with status, then hands over to the org.
func flakyTokens(org http.Handler, n int32, status int) http.Handler {
	var seen atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/v1/token" && seen.Add(1) <= n {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html>busy</html>"))
			return
		}
		org.ServeHTTP(w, r)
	})
}

func startBehind(t *testing.T, h func(org http.Handler) http.Handler, s Settings) *Client {
	t.Helper()
	testKeys(t)
	org := oktaorg.New(oktaorg.Options{Token: "00ssws", ServiceApps: []oktaorg.ServiceApp{{ClientID: "0oasvc", PublicKey: &svcKey.PublicKey, Scopes: allScopesForTests}}})
	srv := httptest.NewServer(h(org))
	t.Cleanup(srv.Close)
	s.OrgURL, s.AuthMode, s.ClientID = srv.URL, AuthPrivateKey, "0oasvc"
	if s.PrivateKey.IsZero() {
		s.PrivateKey = redact.NewSecret(svcKeyPEM)
	}
	c, err := NewClient(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPrivateKeyTokenRequestRetriesServerErrors(t *testing.T) {
	c := startBehind(t, func(org http.Handler) http.Handler { return flakyTokens(org, 2, 503) }, Settings{RetryBase: time.Millisecond})
	if _, err := c.ServiceApp(context.Background()); err != nil {
		t.Fatal(err)
	}
	c = startBehind(t, func(org http.Handler) http.Handler { return flakyTokens(org, 100, 502) }, Settings{RetryBase: time.Millisecond, MaxRetries: 2})
	_, err := c.ServiceApp(context.Background())
	var te *TokenError
	if !errors.As(err, &te) || te.Status != 502 || IsAuth(err) {
		t.Fatalf("err = %v", err)
	}
	c = startBehind(t, func(org http.Handler) http.Handler { return flakyTokens(org, 100, 404) }, Settings{})
	if _, err := c.ServiceApp(context.Background()); err == nil || !strings.Contains(err.Error(), "is the org URL an Okta org?") {
		t.Fatalf("err = %v", err)
	}
}

func TestPrivateKeyTokenEndpointHints(t *testing.T) {
	for code, want := range map[string]string{
		"invalid_dpop_proof":     "turn off \"Require Demonstrating Proof of Possession (DPoP) header in token requests\"",
		"unauthorized_client":    "API Services app",
		"unsupported_grant_type": "Client Credentials grant",
	} {
		c := startBehind(t, func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				form, _ := url.ParseQuery(string(body))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				// A hostile answer echoing the assertion must not show it.
				_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "bad: " + form.Get("client_assertion")})
			})
		}, Settings{})
		_, err := c.ServiceApp(context.Background())
		if err == nil || !strings.Contains(err.Error(), want) || !IsAuth(err) {
			t.Errorf("%s: %v", code, err)
		}
		if err != nil && (strings.Contains(err.Error(), "eyJ") || !strings.Contains(err.Error(), "(sensitive)")) {
			t.Errorf("%s: the echoed assertion is not masked: %v", code, err)
		}
	}
}

func TestPrivateKeyContextCancelsTheWait(t *testing.T) {
	release := make(chan struct{})
	c := startBehind(t, func(org http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth2/v1/token" {
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
			}
			org.ServeHTTP(w, r)
		})
	}, Settings{})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.ListApps(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the token request did not end with the context")
	}
}

func TestNewClientPrivateKeySettings(t *testing.T) {
	testKeys(t)
	base := Settings{OrgURL: "https://acme.okta.com", AuthMode: AuthPrivateKey, ClientID: "0oa1", PrivateKey: redact.NewSecret(svcKeyPEM)}
	if _, err := NewClient(context.Background(), base); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*Settings){
		"no client id":   func(s *Settings) { s.ClientID = "" },
		"no key":         func(s *Settings) { s.PrivateKey = redact.Secret{} },
		"not a key":      func(s *Settings) { s.PrivateKey = redact.NewSecret("s3cr3t-not-a-key-value") },
		"unknown mode":   func(s *Settings) { s.AuthMode = "Basic" },
		"SSWS, no token": func(s *Settings) { s.AuthMode = "" },
	} {
		s := base
		mod(&s)
		_, err := NewClient(context.Background(), s)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "MII") {
			t.Errorf("%s: error shows the key: %v", name, err)
		}
	}
}

func b64(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }

func TestParsePrivateKeyForms(t *testing.T) {
	testKeys(t)
	ec256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	pkcs8 := func(k any) string {
		b, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
	}
	sec1, _ := x509.MarshalECPrivateKey(ec256)
	jwkRSA, _ := json.Marshal(map[string]string{"kty": "RSA", "kid": "jwk-kid", "n": b64(svcKey.N), "e": b64(big.NewInt(int64(svcKey.E))), "d": b64(svcKey.D), "p": b64(svcKey.Primes[0]), "q": b64(svcKey.Primes[1])})
	jwkEC, _ := json.Marshal(map[string]string{"kty": "EC", "crv": "P-256", "x": b64(ec256.X), "y": b64(ec256.Y), "d": b64(ec256.D)})
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	for _, tc := range []struct {
		name, text, alg, kid string
	}{
		{"PKCS#1", svcKeyPEM, "RS256", ""},
		{"PKCS#1 with \\n escapes", strings.ReplaceAll(svcKeyPEM, "\n", `\n`), "RS256", ""},
		{"PKCS#8 RSA", pkcs8(svcKey), "RS256", ""},
		{"PKCS#8 EC P-256", pkcs8(ec256), "ES256", ""},
		{"PKCS#8 EC P-384", pkcs8(ec384), "ES384", ""},
		{"SEC 1 EC", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})), "ES256", ""},
		{"JWK RSA", string(jwkRSA), "RS256", "jwk-kid"},
		{"JWK EC", string(jwkEC), "ES256", ""},
	} {
		k, err := parsePrivateKey(tc.text)
		if err != nil || k.alg != tc.alg || k.kid != tc.kid {
			t.Errorf("%s: %+v %v", tc.name, k, err)
			continue
		}
		// What the key signs verifies with its public half (the simulator's check).
		if _, err := k.sign(map[string]any{"alg": k.alg}, map[string]any{"x": 1}); err != nil {
			t.Errorf("%s: sign: %v", tc.name, err)
		}
	}
	pub, _ := x509.MarshalPKIXPublicKey(&svcKey.PublicKey)
	jwkPublic, _ := json.Marshal(map[string]string{"kty": "RSA", "n": b64(svcKey.N), "e": "AQAB"})
	for name, tc := range map[string]struct{ text, want string }{
		"public key PEM":   {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), "not a private key"},
		"public JWK":       {string(jwkPublic), "is this the public key?"},
		"small RSA":        {string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)})), "at least 2048"},
		"encrypted":        {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted"},
		"garbage":          {"hunter2-secret-value", "neither PEM"},
		"bad PEM contents": {"-----BEGIN RSA PRIVATE KEY-----\naHVudGVyMi1zZWNyZXQtdmFsdWU=\n-----END RSA PRIVATE KEY-----\n", "does not parse"},
	} {
		_, err := parsePrivateKey(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "aHVudGVy") || strings.Contains(err.Error(), "MII") {
			t.Errorf("%s: error quotes the key: %v", name, err)
		}
	}
}

// The EC keys Okta accepts sign assertions the simulator verifies.
func TestECServiceApp(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b, _ := x509.MarshalPKCS8PrivateKey(ec)
	srv, err := oktaorg.Start(oktaorg.Options{Token: "00ssws", ServiceApps: []oktaorg.ServiceApp{{ClientID: "0oaec", PublicKey: &ec.PublicKey, Scopes: []string{"okta.apps.read"}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := NewClient(context.Background(), Settings{OrgURL: srv.URL, AuthMode: AuthPrivateKey, ClientID: "0oaec", PrivateKey: redact.NewSecret(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))), Scopes: []string{"okta.apps.read"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListApps(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestChallengeParsing(t *testing.T) {
	h := `Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="http://x", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups/1"`
	scheme, params := parseChallenge(h)
	if scheme != "Bearer" || len(params) != 6 || params[2] != [2]string{"scope", "okta.groups.read"} || params[4][1] != "The access token provided does not contain the required scopes." {
		t.Fatalf("%s %q", scheme, params)
	}
	if formatChallenge(scheme, params) != h {
		t.Fatalf("round trip: %s", formatChallenge(scheme, params))
	}
	_, params = parseChallenge(`DPoP algs="RS256 ES256", error=invalid_token, x="a \"q\" b"`)
	if len(params) != 3 || params[1] != [2]string{"error", "invalid_token"} || params[2][1] != `a "q" b` {
		t.Fatalf("%q", params)
	}
	if challengeError(http.Header{"Www-Authenticate": {`DPoP error="insufficient_scope"`}}) != "" {
		t.Fatal("a DPoP challenge read as Bearer")
	}
}

func TestRefreshMargin(t *testing.T) {
	for life, want := range map[time.Duration]time.Duration{time.Hour: 5 * time.Minute, time.Minute: 6 * time.Second, 5 * time.Second: time.Second} {
		if got := refreshMargin(life); got != want {
			t.Errorf("%s: %s, want %s", life, got, want)
		}
	}
}
