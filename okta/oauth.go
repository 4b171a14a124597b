package okta

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/redact"
)

// Authorization modes: how the tool proves itself to Okta.
const (
	AuthSSWS       = "SSWS"       // an API token, sent as Authorization: SSWS <token>
	AuthPrivateKey = "PrivateKey" // an OAuth 2.0 service app: client_credentials with private_key_jwt
)

// DefaultScopes are requested when the settings name none: what oktascim does (apps;
// groups to assign; the System Log; app user schemas and profile mappings for
// attribute mappings; groups.manage for group push; users for test --round-trip's
// disposable user). Okta grants those of them the
// service app was granted and leaves out the rest, so asking for all is harmless.
var DefaultScopes = []string{"okta.apps.read", "okta.apps.manage", "okta.groups.read", "okta.logs.read",
	"okta.schemas.read", "okta.schemas.manage", "okta.profileMappings.read", "okta.profileMappings.manage", "okta.groups.manage",
	"okta.users.read", "okta.users.manage"}

// Why not the SDK's own PrivateKey mode (okta-sdk-golang v2.20.0): it sends the
// client assertion in the token request's URL query (where traces and proxies log
// URLs; Okta's Python SDK moved it to the body, okta-sdk-python#424), requests tokens
// without the caller's context, lets every concurrent request fetch its own token
// until one is cached, signs no jti (terraform-provider-okta#2155 added one to avoid
// reuse), takes only PKCS#1 RSA keys, and its token errors lose their HTTP status.
// So the tool runs the SDK in its Bearer mode and sets the header itself, from the
// token source below; token requests go through the same paced transport as the API.

// bearerPlaceholder is what the SDK's Bearer mode would send; the bearer transport
// replaces it with the current access token on every request.
const bearerPlaceholder = "oktascim-sets-the-access-token-per-request"

// tokenPath is the org authorization server's token endpoint: only it mints access
// tokens with okta.* scopes.
const tokenPath = "/oauth2/v1/token"

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is how long a client assertion is valid; Okta takes at most an hour.
const assertionLifetime = 5 * time.Minute

// maxTokenAnswer bounds what the tool reads from the token endpoint.
const maxTokenAnswer = 64 << 10

// tokenSource gets access tokens for a service app, one request at a time, keeps the
// current one and gets the next before it expires.
type tokenSource struct {
	orgURL, clientID, keyID string
	key                     *signingKey
	scopes                  []string
	tr                      *transport // retry policy
	hc                      *http.Client
	now                     func() time.Time
	red                     *redact.Set // each access token is added

	mu      sync.Mutex
	current *accessToken
	pending *tokenCall
	refused error // Okta refused the credentials: every later request would be refused too
}

type accessToken struct {
	value   string
	scopes  []string  // granted
	expires time.Time // as Okta said (from when the request was sent)
	refresh time.Time // get a new token from here on
}

type tokenCall struct {
	done chan struct{}
	tok  *accessToken
	err  error
}

func newTokenSource(orgURL string, s Settings, tr *transport) (*tokenSource, error) {
	if strings.TrimSpace(s.ClientID) == "" {
		return nil, errors.New("PrivateKey mode needs the service app's client id")
	}
	if strings.TrimSpace(s.PrivateKey.Value()) == "" {
		return nil, errors.New("PrivateKey mode needs the service app's private key")
	}
	key, err := parsePrivateKey(s.PrivateKey.Value())
	if err != nil {
		return nil, fmt.Errorf("service app %s: %w", s.ClientID, err)
	}
	scopes := cleanScopes(s.Scopes)
	if len(scopes) == 0 {
		scopes = append([]string(nil), DefaultScopes...)
	}
	now := s.now
	if now == nil {
		now = time.Now
	}
	return &tokenSource{orgURL: orgURL, clientID: strings.TrimSpace(s.ClientID), keyID: strings.TrimSpace(s.PrivateKeyID), key: key,
		scopes: scopes, tr: tr, now: now, red: s.Redact,
		hc: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// cleanScopes splits and dedups scopes given as a list or as one space- or
// comma-separated string.
func cleanScopes(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// token returns a valid access token, getting one when there is none or the current
// one is about to expire. Concurrent callers share one token request.
func (s *tokenSource) token(ctx context.Context) (*accessToken, error) {
	for {
		s.mu.Lock()
		if s.refused != nil {
			err := s.refused
			s.mu.Unlock()
			return nil, err
		}
		if t := s.current; t != nil && s.now().Before(t.refresh) {
			s.mu.Unlock()
			return t, nil
		}
		if call := s.pending; call != nil {
			s.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if call.err != nil && isContextErr(call.err) && ctx.Err() == nil {
				continue // the caller that asked gave up; this one has not
			}
			return call.tok, call.err
		}
		call := &tokenCall{done: make(chan struct{})}
		s.pending = call
		stale := s.current
		s.mu.Unlock()

		call.tok, call.err = s.fetch(ctx)
		s.mu.Lock()
		s.pending = nil
		var te *TokenError
		switch {
		case call.err == nil:
			s.current = call.tok
		case errors.As(call.err, &te) && te.Refused():
			s.refused, s.current = call.err, nil
		case stale != nil && s.now().Before(stale.expires) && !isContextErr(call.err):
			// Okta did not answer this time; the current token still works for a while.
			call.tok, call.err = stale, nil
		}
		s.mu.Unlock()
		close(call.done)
		return call.tok, call.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// invalidate drops the current token if it is value (Okta no longer takes it).
func (s *tokenSource) invalidate(value string) {
	s.mu.Lock()
	if s.current != nil && s.current.value == value {
		s.current = nil
	}
	s.mu.Unlock()
}

// fetch requests a token, retrying a 5xx or a lost answer: asking for a token twice
// has no effect beyond the token.
func (s *tokenSource) fetch(ctx context.Context) (*accessToken, error) {
	for attempt := 0; ; attempt++ {
		tok, err := s.request(ctx)
		var te *TokenError
		retry := err != nil && ctx.Err() == nil && attempt < s.tr.maxRetries && errors.As(err, &te) &&
			((te.Status >= 500 && te.Status != http.StatusNotImplemented) || (te.Status == 0 && te.Err != nil && transient(te.Err)))
		if !retry {
			return tok, err
		}
		if !s.tr.sleep(ctx, s.tr.backoff(attempt)) {
			return nil, ctx.Err()
		}
	}
}

// request sends one client_credentials token request with a fresh client assertion.
func (s *tokenSource) request(ctx context.Context) (*accessToken, error) {
	sent := s.now()
	assertion, err := s.assertion(sent)
	if err != nil {
		return nil, &TokenError{ClientID: s.clientID, Err: err}
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {strings.Join(s.scopes, " ")},
		"client_assertion_type": {assertionType},
		"client_assertion":      {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.orgURL+tokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &TokenError{ClientID: s.clientID, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "oktascim")
	resp, err := s.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &TokenError{ClientID: s.clientID, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer+1))
	if err != nil {
		return nil, &TokenError{ClientID: s.clientID, Status: resp.StatusCode, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	if len(body) > maxTokenAnswer {
		return nil, &TokenError{ClientID: s.clientID, Status: resp.StatusCode, Err: errors.New("the answer is larger than 64 KiB; not a token endpoint's")}
	}
	if resp.StatusCode != http.StatusOK {
		te := &TokenError{ClientID: s.clientID, Status: resp.StatusCode, Requested: s.scopes}
		var oe struct {
			Error        string `json:"error"`
			Description  string `json:"error_description"`
			ErrorCode    string `json:"errorCode"`
			ErrorSummary string `json:"errorSummary"`
		}
		if json.Unmarshal(body, &oe) == nil {
			te.Code, te.Description = oe.Error, oe.Description
			if te.Code == "" {
				te.Code, te.Description = oe.ErrorCode, oe.ErrorSummary
			}
		}
		s.red.Add(assertion)
		te.Code = printable(te.Code, 60, s.red)
		te.Description = printable(te.Description, 300, s.red)
		return nil, te
	}
	var out struct {
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.AccessToken == "" {
		return nil, &TokenError{ClientID: s.clientID, Status: resp.StatusCode, Err: errors.New("the answer holds no access token (is the org URL an Okta org?)")}
	}
	if !strings.EqualFold(out.TokenType, "Bearer") {
		return nil, &TokenError{ClientID: s.clientID, Status: resp.StatusCode, Err: fmt.Errorf("Okta issued a %q token; oktascim sends Bearer tokens (turn off DPoP on the service app)", printable(out.TokenType, 20, s.red))}
	}
	s.red.Add(out.AccessToken)
	lifetime := time.Duration(out.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = 5 * time.Minute // Okta always says; assume little if it does not
	}
	granted := cleanScopes([]string{out.Scope})
	if len(granted) == 0 {
		granted = s.scopes
	}
	return &accessToken{value: out.AccessToken, scopes: granted, expires: sent.Add(lifetime), refresh: sent.Add(lifetime - refreshMargin(lifetime))}, nil
}

// refreshMargin is how long before expiry a token is replaced: a tenth of its life,
// between a second and five minutes (six minutes early would be wasteful, two
// seconds too late for a request that starts just before).
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(max(lifetime/10, time.Second), 5*time.Minute)
}

// assertion is the signed JWT that authenticates the service app (private_key_jwt):
// iss = sub = client id, aud = the token endpoint, a short exp and a unique jti.
func (s *tokenSource) assertion(now time.Time) (string, error) {
	header := map[string]any{"alg": s.key.alg, "typ": "JWT"}
	kid := s.keyID
	if kid == "" {
		kid = s.key.kid
	}
	if kid != "" {
		header["kid"] = kid
	}
	jti := make([]byte, 18)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
		Jti string `json:"jti"`
	}{s.clientID, s.clientID, s.orgURL + tokenPath, now.Unix(), now.Add(assertionLifetime).Unix(), base64.RawURLEncoding.EncodeToString(jti)}
	return s.key.sign(header, claims)
}

// printable bounds text from the network for a message, dropping control characters
// and masking secrets.
func printable(s string, max int, red *redact.Set) string {
	s = red.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return strings.TrimSpace(s)
}

// TokenError is a failed request for an access token.
type TokenError struct {
	ClientID    string
	Status      int    // the token endpoint's HTTP status; 0 when there was no answer
	Code        string // OAuth error: invalid_client, invalid_scope, consent_required, …
	Description string // error_description
	Requested   []string
	Err         error // no answer, or an answer that is not a token
}

func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "get an access token for service app %s: ", e.ClientID)
	if e.Status == 0 || e.Err != nil {
		if e.Status != 0 {
			fmt.Fprintf(&b, "Okta answered %d: ", e.Status)
		}
		b.WriteString(e.Err.Error())
		return b.String()
	}
	fmt.Fprintf(&b, "Okta answered %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, " %q", e.Description)
	}
	if h := e.Hint(); h != "" {
		fmt.Fprintf(&b, ": %s", h)
	}
	return b.String()
}

func (e *TokenError) Unwrap() error { return e.Err }

// Refused reports that Okta refused the service app's credentials or scopes (asking
// again would not help).
func (e *TokenError) Refused() bool {
	return e.Err == nil && e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests && e.Status != http.StatusNotFound
}

// ExitCode makes a refused token request exit 4 (AuthRefused), like a refused API token.
func (e *TokenError) ExitCode() int {
	if e.Refused() {
		return exitcode.AuthRefused
	}
	return exitcode.Failure
}

// Hint says what to do about the common refusals.
func (e *TokenError) Hint() string {
	requested := strings.Join(e.Requested, " ")
	switch {
	case e.Code == "invalid_client":
		return "check the client id, that the service app uses Public key / Private key client authentication, that the private key belongs to a public key registered on the app, and the key id if the app has several keys"
	case e.Code == "consent_required" || e.Code == "access_denied":
		return "grant the scopes on the service app's Okta API Scopes tab (requested: " + requested + ")"
	case e.Code == "invalid_scope":
		return "request okta.* scopes the service app was granted, e.g. okta.apps.manage okta.groups.read okta.logs.read (requested: " + requested + ")"
	case e.Code == "unauthorized_client" || e.Code == "unsupported_grant_type":
		return "the app must be an API Services app that may use the Client Credentials grant"
	case strings.Contains(e.Code, "dpop"):
		return "oktascim sends no DPoP proof: turn off \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" on the service app's General tab"
	case e.Status == http.StatusNotFound:
		return "the org has no /oauth2/v1/token; is the org URL an Okta org?"
	}
	return ""
}

// bearerTransport sets each request's Authorization from the token source. When Okta
// no longer takes a token (401 invalid_token) it gets a new one and sends the
// request once more; when a token lacks a scope (403 insufficient_scope) it names the
// scope in the answer's error description, which is what the SDK reports.
type bearerTransport struct {
	next http.RoundTripper
	src  *tokenSource
}

func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.Path, "/.well-known/") {
		// Public metadata: no token is needed, and none is asked for to read it.
		r := req.Clone(req.Context())
		r.Header.Del("Authorization")
		return b.next.RoundTrip(r)
	}
	tok, err := b.src.token(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := b.next.RoundTrip(withBearer(req, tok.value, req.Body))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized && challengeError(resp.Header) == "invalid_token" && (req.Body == nil || req.GetBody != nil) {
		var body io.ReadCloser
		if req.Body != nil {
			if body, err = req.GetBody(); err != nil {
				return resp, nil
			}
		}
		drain(resp)
		b.src.invalidate(tok.value)
		if tok, err = b.src.token(req.Context()); err != nil {
			return nil, err
		}
		if resp, err = b.next.RoundTrip(withBearer(req, tok.value, body)); err != nil {
			return nil, err
		}
	}
	if resp.StatusCode == http.StatusForbidden && challengeError(resp.Header) == "insufficient_scope" {
		nameMissingScope(resp.Header, tok.scopes)
	}
	return resp, nil
}

func withBearer(req *http.Request, token string, body io.ReadCloser) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// challengeError is the error parameter of a Bearer WWW-Authenticate challenge.
func challengeError(h http.Header) string {
	scheme, params := parseChallenge(h.Get("Www-Authenticate"))
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	for _, p := range params {
		if p[0] == "error" {
			return p[1]
		}
	}
	return ""
}

// nameMissingScope rewrites the challenge's error_description to say which scope the
// request needed (Okta names it in the scope parameter, which the SDK drops) and
// which the token has. The SDK splits the header at ", " and reads the description
// as a TOML string, so the text has neither that separator nor quotes.
func nameMissingScope(h http.Header, granted []string) {
	scheme, params := parseChallenge(h.Get("Www-Authenticate"))
	need := ""
	for _, p := range params {
		if p[0] == "scope" {
			need = p[1]
		}
	}
	if need == "" {
		return
	}
	clean := func(s string) string {
		return strings.NewReplacer(", ", " ", ",", " ", `"`, "", `\`, "").Replace(s)
	}
	desc := "The access token lacks the scope this request needs: " + clean(need) + " (the service app's token has " + clean(strings.Join(granted, " ")) +
		"). Grant " + clean(need) + " on the service app's Okta API Scopes tab and include it in the requested scopes"
	found := false
	for i, p := range params {
		if p[0] == "error_description" {
			params[i][1], found = desc, true
		}
	}
	if !found {
		params = append(params, [2]string{"error_description", desc})
	}
	h.Set("Www-Authenticate", formatChallenge(scheme, params))
}

// parseChallenge reads one WWW-Authenticate challenge: its scheme and its
// key="value" parameters in order.
func parseChallenge(h string) (string, [][2]string) {
	h = strings.TrimSpace(h)
	scheme, rest, _ := strings.Cut(h, " ")
	var params [][2]string
	for {
		rest = strings.TrimLeft(rest, " ,")
		if rest == "" {
			return scheme, params
		}
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			return scheme, params
		}
		key := strings.TrimSpace(rest[:eq])
		rest = strings.TrimLeft(rest[eq+1:], " ")
		var val strings.Builder
		if strings.HasPrefix(rest, `"`) {
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				val.WriteByte(rest[i])
			}
			rest = rest[min(i+1, len(rest)):]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			val.WriteString(strings.TrimSpace(rest[:end]))
			rest = rest[end:]
		}
		params = append(params, [2]string{key, val.String()})
	}
}

func formatChallenge(scheme string, params [][2]string) string {
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p[0] + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p[1]) + `"`
	}
	return scheme + " " + strings.Join(parts, ", ")
}

// ServiceApp is who a PrivateKey client acts as.
type ServiceApp struct {
	ClientID  string
	KeyID     string   // as sent in the assertion's kid ("" when none)
	Requested []string // scopes asked for
	Granted   []string // scopes the current access token has
	Expires   time.Time
}

// NotGranted are the scopes asked for that the access token does not have (Okta
// leaves out those the app was not granted).
func (a ServiceApp) NotGranted() []string {
	var out []string
	for _, r := range a.Requested {
		found := false
		for _, g := range a.Granted {
			found = found || g == r
		}
		if !found {
			out = append(out, r)
		}
	}
	return out
}

// AuthMode is AuthSSWS or AuthPrivateKey.
func (c *Client) AuthMode() string {
	if c.tokens != nil {
		return AuthPrivateKey
	}
	return AuthSSWS
}

// ServiceApp gets an access token (or reuses the current one) and says what it is
// for. It fails for an SSWS client.
func (c *Client) ServiceApp(ctx context.Context) (ServiceApp, error) {
	src := c.tokens
	if src == nil {
		return ServiceApp{}, errors.New("the client uses an API token, not a service app")
	}
	kid := src.keyID
	if kid == "" {
		kid = src.key.kid
	}
	out := ServiceApp{ClientID: src.clientID, KeyID: kid, Requested: append([]string(nil), src.scopes...)}
	tok, err := src.token(ctx)
	if err != nil {
		return out, err
	}
	out.Granted, out.Expires = append([]string(nil), tok.scopes...), tok.expires
	return out, nil
}
