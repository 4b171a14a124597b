package oktaorg

// OAuth 2.0 for Okta with a service app, as Okta documents it ("Implement OAuth for
// Okta with a service app"): POST /oauth2/v1/token with grant_type
// client_credentials, the scopes wanted and a client assertion (private_key_jwt: a
// JWT signed with the app's private key, iss = sub = client id, aud = the token
// endpoint, exp at most an hour ahead, an optional jti that may not be replayed). The
// org answers {token_type: Bearer, expires_in: 3600, access_token, scope} with the
// requested scopes the app was granted (okta-sdk-golang#145: a request for a granted
// and a non-granted scope got a token; the call needing the other one got 403), or
// 400 consent_required "You are not allowed any of the requested scopes." when none
// is granted (okta-sdk-java#822). API requests with Authorization: Bearer are
// authorized per scope (oauth_scopes.go); a missing scope answers 403 with no body and
// the challenge Okta sends (okta-sdk-golang#145, terraform-provider-okta#2375):
//   WWW-Authenticate: Bearer authorization_uri="…/oauth2/v1/authorize", realm="…",
//     scope="okta.groups.read", error="insufficient_scope",
//     error_description="The access token provided does not contain the required scopes.",
//     resource="/api/v1/groups/…"
// Access tokens are opaque here (real Okta's are JWTs; clients must not read them).

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ServiceApp is an API Services app registered in the org: it authenticates with a
// client assertion signed by the private key whose public key is registered here,
// and gets access tokens with the scopes it was granted.
type ServiceApp struct {
	ClientID string
	// PublicKey is *rsa.PublicKey or *ecdsa.PublicKey.
	PublicKey crypto.PublicKey
	// KeyID is the key's kid; when set, an assertion naming another kid is refused
	// (an assertion without a kid is accepted, as with a single-key app).
	KeyID  string
	Scopes []string // granted on the app's Okta API Scopes tab
}

// TokenPath is the org authorization server's token endpoint.
const TokenPath = "/oauth2/v1/token"

// oauthState holds the service apps and what their token requests created.
type oauthState struct {
	mu     sync.Mutex
	apps   map[string]ServiceApp
	tokens map[string]issuedToken
	jtis   map[string]time.Time // client assertion ids seen, until their exp
	issued int
}

type issuedToken struct {
	clientID string
	scopes   []string
	expires  time.Time
}

func (s *oauthState) init(opts Options) {
	if s.apps == nil {
		s.apps, s.tokens, s.jtis = map[string]ServiceApp{}, map[string]issuedToken{}, map[string]time.Time{}
		for _, a := range opts.ServiceApps {
			s.apps[a.ClientID] = a
		}
	}
}

// AddServiceApp registers (or replaces) a service app.
func (o *Org) AddServiceApp(a ServiceApp) {
	o.oauth.mu.Lock()
	defer o.oauth.mu.Unlock()
	o.oauth.init(o.opts)
	o.oauth.apps[a.ClientID] = a
}

// RevokeAccessTokens makes every access token issued so far invalid, as revoking
// them (or their expiry) would.
func (o *Org) RevokeAccessTokens() {
	o.oauth.mu.Lock()
	defer o.oauth.mu.Unlock()
	o.oauth.init(o.opts)
	o.oauth.tokens = map[string]issuedToken{}
}

// AccessTokensIssued counts the access tokens the token endpoint has issued.
func (o *Org) AccessTokensIssued() int {
	o.oauth.mu.Lock()
	defer o.oauth.mu.Unlock()
	return o.oauth.issued
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// serveToken answers POST /oauth2/v1/token. Parameters are read from the form body
// and, as Okta also accepts (okta-sdk-golang v2 sends them so), the query.
func (o *Org) serveToken(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w)
		return
	}
	if !o.rateHeaders(w, TokenPath, false) {
		writeError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.", nil)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || (len(body) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request must be form-encoded (application/x-www-form-urlencoded).")
		return
	}
	for k, vs := range r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = vs
		}
	}
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials]. Requested: %q.", gt))
		return
	}
	assertion := form.Get("client_assertion")
	if assertion == "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "No client credentials found.")
		return
	}
	if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "The client_assertion_type is invalid.")
		return
	}
	now := o.now()
	o.oauth.mu.Lock()
	defer o.oauth.mu.Unlock()
	o.oauth.init(o.opts)
	app, problem := o.checkAssertion(assertion, form.Get("client_id"), "http://"+r.Host+TokenPath, now)
	if problem != "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", problem)
		return
	}
	requested := strings.Fields(form.Get("scope"))
	if len(requested) == 0 {
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
		return
	}
	var granted []string
	for _, s := range requested {
		if !knownScopes[s] {
			writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "One or more scopes are not configured for the authorization server resource.")
			return
		}
		if contains(app.Scopes, s) && !contains(granted, s) {
			granted = append(granted, s)
		}
	}
	if len(granted) == 0 {
		writeOAuthError(w, http.StatusBadRequest, "consent_required", "You are not allowed any of the requested scopes.")
		return
	}
	lifetime := o.opts.AccessTokenLifetime
	if lifetime <= 0 {
		lifetime = time.Hour // Okta's is fixed at an hour
	}
	for v, t := range o.oauth.tokens {
		if !now.Before(t.expires) {
			delete(o.oauth.tokens, v)
		}
	}
	value := newID("simat") + newID(".")
	o.oauth.tokens[value] = issuedToken{clientID: app.ClientID, scopes: granted, expires: now.Add(lifetime)}
	o.oauth.issued++
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": int(lifetime / time.Second), "access_token": value, "scope": strings.Join(granted, " ")})
}

// checkAssertion verifies a client assertion (o.oauth.mu held) and returns the app
// it authenticates, or why not (the error_description of a 401 invalid_client).
func (o *Org) checkAssertion(jwt, clientID, audience string, now time.Time) (ServiceApp, string) {
	const malformed = "The client_assertion is not a well-formed JWT."
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ServiceApp{}, malformed
	}
	var header struct {
		Alg, Kid string
	}
	var claims struct {
		Iss, Sub, Jti string
		Aud           any
		Exp, Iat, Nbf *json.Number
	}
	if !decodeSegment(parts[0], &header) || !decodeSegment(parts[1], &claims) {
		return ServiceApp{}, malformed
	}
	app, ok := o.oauth.apps[claims.Iss]
	switch {
	case claims.Iss == "" || !ok:
		return ServiceApp{}, "The client_id is invalid."
	case clientID != "" && clientID != claims.Iss:
		return ServiceApp{}, "The client_id does not match the client_assertion's iss."
	case claims.Sub != claims.Iss:
		return ServiceApp{}, "The client_assertion's sub must be the client_id."
	case header.Kid != "" && app.KeyID != "" && header.Kid != app.KeyID:
		return ServiceApp{}, "The client_assertion JWT kid is invalid."
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return ServiceApp{}, malformed
	}
	if problem := verifyJWS(header.Alg, app.PublicKey, parts[0]+"."+parts[1], sig); problem != "" {
		return ServiceApp{}, problem
	}
	if !audienceIs(claims.Aud, audience) {
		return ServiceApp{}, "The audience claim for client_assertion must be the endpoint invoked for the request."
	}
	exp, ok := numericDate(claims.Exp)
	switch {
	case !ok:
		return ServiceApp{}, "The client_assertion token must have an expiration (exp)."
	case !now.Before(exp):
		return ServiceApp{}, "The client_assertion token is expired."
	case exp.After(now.Add(time.Hour + time.Minute)):
		return ServiceApp{}, "The client_assertion token has an expiration too far in the future."
	}
	if nbf, ok := numericDate(claims.Nbf); ok && nbf.After(now.Add(time.Minute)) {
		return ServiceApp{}, "The client_assertion token is not valid yet."
	}
	if claims.Jti != "" {
		for j, until := range o.oauth.jtis {
			if !now.Before(until) {
				delete(o.oauth.jtis, j)
			}
		}
		key := claims.Iss + " " + claims.Jti
		if _, used := o.oauth.jtis[key]; used {
			return ServiceApp{}, "The client_assertion token has already been used (its jti must be unique)."
		}
		o.oauth.jtis[key] = exp
	}
	return app, ""
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	return dec.Decode(v) == nil
}

func numericDate(n *json.Number) (time.Time, bool) {
	if n == nil {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0), true
}

func audienceIs(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok && s == want {
				return true
			}
		}
	}
	return false
}

// verifyJWS checks an RS256/384/512 or ES256/384/512 signature with the app's key.
func verifyJWS(alg string, key crypto.PublicKey, input string, sig []byte) string {
	const bad = "The client_assertion signature is invalid."
	var h hash.Hash
	var ch crypto.Hash
	switch alg[min(2, len(alg)):] {
	case "256":
		h, ch = sha256.New(), crypto.SHA256
	case "384":
		h, ch = sha512.New384(), crypto.SHA384
	case "512":
		h, ch = sha512.New(), crypto.SHA512
	default:
		return "The client_assertion signature algorithm is not supported."
	}
	h.Write([]byte(input))
	digest := h.Sum(nil)
	switch k := key.(type) {
	case *rsa.PublicKey:
		if !strings.HasPrefix(alg, "RS") {
			return "The client_assertion signature algorithm does not match the app's key."
		}
		if rsa.VerifyPKCS1v15(k, ch, digest, sig) != nil {
			return bad
		}
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		want := map[int]string{32: "ES256", 48: "ES384", 66: "ES512"}[size]
		if alg != want {
			return "The client_assertion signature algorithm does not match the app's key."
		}
		if len(sig) != 2*size || !ecdsa.Verify(k, digest, new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])) {
			return bad
		}
	default:
		return "The app has no public key for the client_assertion."
	}
	return ""
}

// authorizeBearer authorizes an API request carrying an access token: the token must
// be current and hold the scopes the endpoint needs. It writes the refusal itself.
func (o *Org) authorizeBearer(w http.ResponseWriter, r *http.Request) bool {
	value := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	o.oauth.mu.Lock()
	o.oauth.init(o.opts)
	tok, ok := o.oauth.tokens[value]
	o.oauth.mu.Unlock()
	anyOf, known := requiredScopes(r.Method, r.URL.Path)
	var need []string
	if known {
		need = anyOf[0]
	}
	challenge := func(errCode, description string, scopes []string) {
		host := "http://" + r.Host
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization_uri="%s/oauth2/v1/authorize", realm="%s", scope="%s", error="%s", error_description="%s", resource="%s"`,
			host, host, strings.Join(scopes, " "), errCode, description, r.URL.Path))
	}
	if value == "" || !ok || !o.now().Before(tok.expires) {
		challenge("invalid_token", "The access token is invalid.", need)
		writeError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided", nil)
		return false
	}
	if !known {
		return true // no such endpoint: the router answers 404 or 405
	}
	if lack := missingScopes(tok.scopes, anyOf); lack != nil {
		challenge("insufficient_scope", "The access token provided does not contain the required scopes.", lack)
		w.WriteHeader(http.StatusForbidden)
		return false
	}
	if r.Method == http.MethodGet && strings.TrimRight(r.URL.Path, "/") == "/api/v1/users/me" {
		// A service app's token stands for no user.
		notFound(w, "me (User)")
		return false
	}
	return true
}
