package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/oktascim/oktascim/internal/loopback"
	"github.com/oktascim/oktascim/internal/redact"
)

// Settings are what a Client needs to reach one org.
type Settings struct {
	OrgURL string // https://acme.okta.com, or http://127.0.0.1:PORT for a local stand-in
	// AuthMode is AuthSSWS (the default: Token) or AuthPrivateKey (an OAuth 2.0
	// service app: ClientID, PrivateKey, PrivateKeyID, Scopes).
	AuthMode string
	Token    redact.Secret // SSWS API token
	ClientID string        // the service app's client id
	// PrivateKey is the service app's private key: PEM (PKCS#1, PKCS#8, SEC 1) or a
	// private JWK. PrivateKeyID is the key id (kid) Okta shows for its public key;
	// optional when the app has one key.
	PrivateKey   redact.Secret
	PrivateKeyID string
	// Scopes to request (nil: DefaultScopes); Okta grants those the app was granted.
	Scopes []string
	// Redact masks secrets in what the client returns and traces; every secret the
	// client holds or gets (an access token) is added to it, so the caller's output
	// masks them too. nil: a set of the client's own.
	Redact *redact.Set
	// Base is the transport under the tool's own (nil: a fresh http.Transport).
	Base http.RoundTripper
	// Trace, when set, receives one line per request and response (method, path,
	// status, timing, rate-limit budget). Never headers or bodies.
	Trace io.Writer
	// Progress, when set (a terminal), shows how far a long listing got.
	Progress io.Writer
	// Timeout bounds one HTTP exchange; 0 means 30 s.
	Timeout time.Duration
	// MaxRateLimitWaits bounds how many 429s in a row one request waits out; 0 means 5.
	MaxRateLimitWaits int
	// RateShare is the part of each rate-limit window the tool may use, leaving the
	// rest to other clients of the org; 0 means DefaultRateShare.
	RateShare float64
	// MaxConcurrent caps requests in flight; 0 means DefaultMaxConcurrent.
	MaxConcurrent int
	// RateWindow is the length of the org's rate-limit windows; 0 means
	// DefaultRateWindow (Okta's minute). Benchmarks that scale time set it.
	RateWindow time.Duration
	// MaxRetries bounds retries of a safe request after a 5xx, a reset or a timeout;
	// 0 means 4, negative means none.
	MaxRetries int
	// RetryBase is the first backoff (doubling, jittered); 0 means 250 ms.
	RetryBase time.Duration

	now func() time.Time // the token source's clock (tests)
}

// Client is a thin, typed layer over the Okta SDK.
type Client struct {
	sdk       *sdk.Client
	orgURL    string
	transport *transport
	tokens    *tokenSource // PrivateKey mode; nil for SSWS
	red       *redact.Set
	progress  *progress
}

// NewClient builds a client. It makes no request.
func NewClient(ctx context.Context, s Settings) (*Client, error) {
	orgURL := strings.TrimRight(strings.TrimSpace(s.OrgURL), "/")
	u, err := url.Parse(orgURL)
	if err != nil || u.Host == "" {
		// Not quoted: a token given as the org URL by mistake must not be printed.
		return nil, fmt.Errorf("okta org URL is not a URL (%d characters, not shown)", len([]rune(s.OrgURL)))
	}
	insecure := false
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			return nil, fmt.Errorf("okta org URL %s must use https (http is allowed only for 127.0.0.1, ::1 or localhost)", orgURL)
		}
		insecure = true
	default:
		return nil, fmt.Errorf("okta org URL %s must use https", orgURL)
	}
	mode := s.AuthMode
	switch mode {
	case "", AuthSSWS:
		mode = AuthSSWS
		if s.Token.IsZero() {
			return nil, fmt.Errorf("no Okta API token")
		}
	case AuthPrivateKey:
	default:
		return nil, fmt.Errorf("unknown Okta authorization mode %q (SSWS or PrivateKey)", s.AuthMode)
	}
	if s.Redact == nil {
		s.Redact = &redact.Set{}
	}
	s.Redact.Add(s.Token.Value(), s.PrivateKey.Value())
	base := s.Base
	if base == nil {
		base = &http.Transport{Proxy: http.ProxyFromEnvironment, IdleConnTimeout: 30 * time.Second, MaxIdleConnsPerHost: 16}
	}
	tr := newTransport(base, s)
	var rt http.RoundTripper = tr
	token, sdkMode := s.Token.Value(), "SSWS"
	var tokens *tokenSource
	if mode == AuthPrivateKey {
		var err error
		if tokens, err = newTokenSource(orgURL, s, tr); err != nil {
			return nil, err
		}
		// Every request, the token request included, goes through the paced transport.
		rt, token, sdkMode = &bearerTransport{next: tr, src: tokens}, bearerPlaceholder, "Bearer"
	}
	// The transport bounds each attempt; a client-wide timeout would also cut off
	// the waits for a rate-limit window.
	hc := &http.Client{Transport: rt,
		// Okta does not redirect API calls; following one could leak the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, c, err := sdk.NewClient(ctx,
		sdk.WithOrgUrl(orgURL),
		sdk.WithToken(token),
		sdk.WithAuthorizationMode(sdkMode),
		sdk.WithCache(false),
		sdk.WithHttpClientPtr(hc),
		// The transport waits out 429s itself; the SDK's retry would fight it.
		sdk.WithRateLimitMaxRetries(0),
		sdk.WithRequestTimeout(0),
		sdk.WithTestingDisableHttpsCheck(insecure),
		sdk.WithUserAgentExtra("oktascim"),
	)
	if err != nil {
		return nil, fmt.Errorf("okta client: %s", s.Redact.String(err.Error()))
	}
	return &Client{sdk: c, orgURL: orgURL, transport: tr, tokens: tokens, red: s.Redact, progress: tr.progress}, nil
}

// newTransport applies the settings' defaults.
func newTransport(base http.RoundTripper, s Settings) *transport {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	waits := s.MaxRateLimitWaits
	if waits == 0 {
		waits = 5
	}
	retries := s.MaxRetries
	switch {
	case retries == 0:
		retries = 4
	case retries < 0:
		retries = 0
	}
	retryBase := s.RetryBase
	if retryBase == 0 {
		retryBase = 250 * time.Millisecond
	}
	t := &transport{base: base, gov: newGovernor(s.RateShare, s.MaxConcurrent, s.RateWindow), trace: s.Trace, red: s.Redact, progress: &progress{w: s.Progress},
		maxWaits: waits, maxRetries: retries, retryBase: retryBase, timeout: timeout}
	t.gov.onHold = func(key string, wait time.Duration) {
		t.waiting("requests to "+key+" used this window's share", wait)
		t.tracef("%s: holding requests %s for the rate-limit window to reset (at most %s)", key, wait.Round(time.Millisecond), maxResetWait)
	}
	return t
}

// OrgURL is the org's base URL without a trailing slash.
func (c *Client) OrgURL() string { return c.orgURL }

// Stats reports the requests made so far.
func (c *Client) Stats() Stats { return c.transport.stats() }

// AdminURL is the Admin Console base for the org: acme.okta.com → acme-admin.okta.com.
// A loopback org (the simulator) has no console; its own URL is returned.
func (c *Client) AdminURL() string { return AdminURL(c.orgURL) }

// AdminURL derives the Admin Console base URL from an org URL.
func AdminURL(orgURL string) string {
	u, err := url.Parse(orgURL)
	if err != nil || loopback.Host(u.Hostname()) {
		return orgURL
	}
	host := u.Hostname()
	if i := strings.Index(host, "."); i > 0 && !strings.HasSuffix(host[:i], "-admin") {
		host = host[:i] + "-admin" + host[i:]
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	return u.Scheme + "://" + host
}

// ProvisioningTabURL is the deep link to an app's Provisioning tab in the Admin Console.
func (c *Client) ProvisioningTabURL(appName, appID string) string {
	return fmt.Sprintf("%s/admin/app/%s/instance/%s/#tab-provisioning", c.AdminURL(), appName, appID)
}

// GeneralTabURL is the deep link to an app's General tab.
func (c *Client) GeneralTabURL(appName, appID string) string {
	return fmt.Sprintf("%s/admin/app/%s/instance/%s/#tab-general", c.AdminURL(), appName, appID)
}

// PushGroupsTabURL is the app's Push Groups tab in the Admin Console.
func (c *Client) PushGroupsTabURL(appName, appID string) string {
	return strings.Replace(c.GeneralTabURL(appName, appID), "#tab-general", "#tab-pushgroups", 1)
}
