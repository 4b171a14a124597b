package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/sim/oktaorg"
)

func startSim(t *testing.T, opts oktaorg.Options) (*oktaorg.Server, *Client) {
	t.Helper()
	opts.Token = "00client-test-token"
	s, err := oktaorg.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := NewClient(context.Background(), Settings{OrgURL: s.URL + "/", Token: redact.NewSecret(opts.Token)})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestNewClientRefusesPlainHTTPOffLoopback(t *testing.T) {
	for _, u := range []string{"http://acme.okta.com", "http://127.evil.example.com", "http://localhost.evil.com", "ftp://acme.okta.com", "not a url"} {
		if _, err := NewClient(context.Background(), Settings{OrgURL: u, Token: redact.NewSecret("x")}); err == nil {
			t.Errorf("%s: accepted", u)
		}
	}
	if _, err := NewClient(context.Background(), Settings{OrgURL: "https://acme.okta.com", Token: redact.NewSecret("x")}); err != nil {
		t.Fatal(err)
	}
}

func TestAdminURL(t *testing.T) {
	cases := map[string]string{
		"https://acme.okta.com":         "https://acme-admin.okta.com",
		"https://dev-1.oktapreview.com": "https://dev-1-admin.oktapreview.com",
		"http://127.0.0.1:8080":         "http://127.0.0.1:8080",
	}
	for in, want := range cases {
		if got := AdminURL(in); got != want {
			t.Errorf("AdminURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestListAppsFollowsLinkPages(t *testing.T) {
	s, c := startSim(t, oktaorg.Options{})
	for i := 0; i < 205; i++ {
		s.AddApp(map[string]any{"name": "scim2headerauth", "label": fmt.Sprintf("app %d", i)})
	}
	s.AddApp(map[string]any{"name": "scim2testapp", "label": "other"})
	apps, err := c.ListAppsByName(context.Background(), "scim2headerauth")
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 205 {
		t.Fatalf("got %d apps, want 205 over two pages", len(apps))
	}
	if st := c.Stats(); st.Requests != 2 || st.Writes != 0 {
		t.Fatalf("stats %+v, want 2 reads", st)
	}
}

func TestInvalidTokenIsAuthError(t *testing.T) {
	s, _ := startSim(t, oktaorg.Options{})
	c, err := NewClient(context.Background(), Settings{OrgURL: s.URL, Token: redact.NewSecret("00wrong-token-value")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListAppsByName(context.Background(), "scim2testapp")
	var ae *APIError
	if !IsAuth(err) || !errors.As(err, &ae) || ae.Code != "E0000011" {
		t.Fatalf("want an auth APIError, got %v", err)
	}
	if strings.Contains(err.Error(), "00wrong-token-value") {
		t.Fatal("the token appears in the error")
	}
}

func TestFeaturesOffUntilProvisioning(t *testing.T) {
	_, c := startSim(t, oktaorg.Options{})
	app, err := c.CreateApp(context.Background(), AppSpec{Name: "scim2headerauth", Label: "x", SignOnMode: "SAML_2_0", AdminNote: Stamp("x")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Features(context.Background(), app.ID); !errors.Is(err, ErrProvisioningOff) {
		t.Fatalf("want ErrProvisioningOff, got %v", err)
	}
	if name, ok := StampedName(app.AdminNote); !ok || name != "x" {
		t.Fatalf("stamp not kept: %q", app.AdminNote)
	}
}

func TestRateLimitWaitsForReset(t *testing.T) {
	h := http.Header{}
	now := time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC)
	h.Set("Date", now.Format(http.TimeFormat))
	h.Set("X-Rate-Limit-Reset", fmt.Sprint(now.Add(10*time.Second).Unix()))
	// The server's Date decides, not the local clock (which may be skewed).
	if got := resetWait(h, now.Add(time.Hour)); got != 10*time.Second+100*time.Millisecond {
		t.Fatalf("wait %s", got)
	}
	h.Set("X-Rate-Limit-Reset", "garbage")
	if got := resetWait(h, now); got != time.Second {
		t.Fatalf("wait %s", got)
	}
}

func TestTransportWaitsOut429(t *testing.T) {
	// One request per minute-bucket would make the test slow; instead a tiny handler
	// answers 429 once with a reset one second away, then 200.
	calls := 0
	tr := newTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		h := http.Header{}
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		h.Set("X-Rate-Limit-Reset", fmt.Sprint(time.Now().Unix()))
		status := http.StatusOK
		if calls == 1 {
			status = http.StatusTooManyRequests
		}
		return &http.Response{StatusCode: status, Header: h, Body: http.NoBody, Request: r}, nil
	}), Settings{MaxRateLimitWaits: 3})
	req, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/apps", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 || calls != 2 {
		t.Fatalf("status %v err %v calls %d", resp, err, calls)
	}
	if st := tr.stats(); st.RateLimited != 1 || st.Requests != 2 {
		t.Fatalf("stats %+v", st)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
