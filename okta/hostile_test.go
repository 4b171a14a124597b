package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/redact"
)

// hostile starts an "org" that answers every request with h.
func hostile(t *testing.T, h http.HandlerFunc, timeout time.Duration) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	// Hang up first: Close waits for handlers, and one writing to a client that stopped
	// reading would hold it until the client's timeout, hiding the failure.
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	c, err := NewClient(context.Background(), Settings{OrgURL: srv.URL, Token: redact.NewSecret("00hostile-test-token"), MaxRetries: -1, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHostileAnswers: broken or hostile answers end in a clear error, with bounded
// memory and time, and never send the token anywhere but the org.
func TestHostileAnswers(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	}))
	defer other.Close()
	jsonHeader := func(w http.ResponseWriter) { w.Header().Set("Content-Type", "application/json") }
	hugeDone := make(chan struct{}, 1) // the huge body's handler returned
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			defer func() { hugeDone <- struct{}{} }()
			jsonHeader(w)
			_, _ = w.Write([]byte("["))
			chunk := []byte(`{"id":"0oa1","name":"scim2headerauth","label":"` + strings.Repeat("x", 1<<20) + `"},`)
			for i := 0; i < 40; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 32 MiB"},
		{"HTML error page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		}, `502 "not Okta's API shape: text/html, starting \"<html><body><h1>502 Bad Gateway`},
		{"HTML login page with 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!DOCTYPE html>\x1b[2J<title>Sign in</title>"))
		}, `GET /api/v1/apps: Okta answered 200 (text/html; charset=utf-8) "<!DOCTYPE html>\x1b[2J<title>Sign in</title>": not JSON, which is not Okta's API shape`},
		{"an object where a list is documented", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`{"id": 5, "label": ["not", "a", "string"]}`))
		}, "list apps named scim2headerauth: GET /api/v1/apps: Okta answered 200 (application/json) \"{\\\"id\\\": 5,"},
		{"wrong types", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`[{"id": 5, "label": "x"}]`))
		}, "field id is a number where Okta's API has a string, which is not Okta's API shape"},
		{"null list", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`null`))
		}, "null where a list of apps is documented"},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
		}, "an empty body where a list of apps is documented"},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`[{"id":"0oa1","label":"cut off`))
		}, "list apps named scim2headerauth: Okta answered: the answer ended before its JSON did"},
		{"Link with a new cursor forever", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			next := r.URL.Query().Get("after") + "x"
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/apps?limit=200&after=`+next+`>; rel="next"`)
			_, _ = w.Write([]byte(`[{"id":"0oa1","name":"scim2headerauth","label":"a"}]`))
		}, "list apps named scim2headerauth: GET /api/v1/apps: the answers kept linking to a next page after 500 pages, more apps than any org holds"},
		{"body drips after the headers", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`[{"id":"0oa1",`))
			w.(http.Flusher).Flush()
			// Drips until the client gives up (a minute at most), so the answer cannot
			// finish first on a slow machine.
			for i := 0; i < 600; i++ {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
				_, _ = w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}, "GET /api/v1/apps: the answer's body did not finish arriving within 2s (--request-timeout)"},
		{"redirect elsewhere", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		}, "302"},
		{"Link loop", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			w.Header().Set("Link", `<http://`+r.Host+`/api/v1/apps?after=x>; rel="next"`)
			_, _ = w.Write([]byte(`[{"id":"0oa1","name":"scim2headerauth","label":"a"}]`))
		}, "loop"},
		{"Link to another host", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			w.Header().Set("Link", `<`+other.URL+`/api/v1/apps?after=x>; rel="next"`)
			_, _ = w.Write([]byte(`[{"id":"0oa1","name":"scim2headerauth","label":"a"}]`))
		}, "not the org"},
		{"hang", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		}, "GET /api/v1/apps: no answer within 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 2 s bounds the waits the tests are about. The huge body is about size,
			// not time: its timeout is out of reach (a 40 MB body under the race
			// detector on a busy machine took more than 2 s), and what bounds it is the
			// 32 MiB limit, after which the client must hang up at once.
			timeout := 2 * time.Second
			if tc.name == "huge body" {
				timeout = 10 * time.Minute
			}
			c := hostile(t, tc.handler, timeout)
			// Every answer here ends in an error long before a minute (the 2 s
			// timeouts, the limits); one that does not is a client waiting on it.
			answered := make(chan error, 1)
			go func() {
				_, err := c.ListAppsByName(context.Background(), "scim2headerauth")
				answered <- err
			}()
			var err error
			select {
			case err = <-answered:
			case <-time.After(time.Minute):
				t.Fatal("no error within a minute: the client is still waiting on the answer")
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			t.Log(err)
			if strings.Contains(err.Error(), "00hostile-test-token") {
				t.Fatalf("the token appears in the error: %v", err)
			}
			if tc.name == "huge body" {
				// Refusing the body hangs up: the server's writes fail and its handler
				// returns, instead of waiting for the attempt's timeout.
				select {
				case <-hugeDone:
				case <-time.After(30 * time.Second):
					t.Fatal("the client kept the refused answer's connection open")
				}
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("%d request(s) went to another host", n)
	}
}

// TestEchoedSecretsAreMaskedAtTheBoundary: an org (or a proxy) that echoes what it was
// sent — the token in an error body, JSON-escaped; the access token in
// WWW-Authenticate — cannot make the client's errors or trace carry a secret, and a
// caller's redaction set learns the access tokens the client got.
func TestEchoedSecretsAreMaskedAtTheBoundary(t *testing.T) {
	const token = `00tok"en\with-quote-and-backslash`
	t.Run("SSWS token echoed in an error body", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := json.Marshal(map[string]any{"errorCode": "E0000001", "errorSummary": "bad header " + r.Header.Get("Authorization"),
				"errorCauses": []map[string]string{{"errorSummary": "token=" + url.QueryEscape(strings.TrimPrefix(r.Header.Get("Authorization"), "SSWS "))}}})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(b)
		}))
		defer srv.Close()
		var trace strings.Builder
		c, err := NewClient(context.Background(), Settings{OrgURL: srv.URL, Token: redact.NewSecret(token), MaxRetries: -1, Trace: &trace})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListApps(context.Background())
		if err == nil || !strings.Contains(err.Error(), "bad header SSWS (sensitive)") {
			t.Fatalf("error %v, want the echo masked", err)
		}
		assertNoForms(t, err.Error()+trace.String(), "00tok", `tok\"en`, "tok%22en")
	})
	t.Run("access token echoed in WWW-Authenticate", func(t *testing.T) {
		testKeys(t)
		const access = "eyJraWQiOiJrMSJ9.eyJzdWIiOiIwb2FzdmMifQ.not-a-real-signature-but-a-secret"
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/oauth2/v1/token" {
				_, _ = w.Write([]byte(`{"token_type":"Bearer","expires_in":3600,"access_token":"` + access + `","scope":"okta.apps.read"}`))
				return
			}
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="x", realm="IDX", scope="okta.apps.read", error="insufficient_scope", error_description="token `+got+` expired", resource="/api/v1/apps"`)
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errorCode":"E0000006","errorSummary":"You do not have permission"}`))
		}))
		defer srv.Close()
		var set redact.Set
		c, err := NewClient(context.Background(), Settings{OrgURL: srv.URL, AuthMode: AuthPrivateKey, ClientID: "0oasvc", PrivateKey: redact.NewSecret(svcKeyPEM), Redact: &set, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListApps(context.Background())
		if err == nil {
			t.Fatal("no error")
		}
		assertNoForms(t, err.Error(), access, "not-a-real-signature")
		if got := set.String("echo " + access[len(access)-20:] + " " + access); strings.Contains(got, "signature") {
			t.Fatalf("the caller's set did not learn the access token: %q", got)
		}
	})
}

func assertNoForms(t *testing.T, text string, forms ...string) {
	t.Helper()
	for _, f := range forms {
		if strings.Contains(text, f) {
			t.Fatalf("%q appears in %q", f, text)
		}
	}
}

// TestWaitsForAResetAreCapped: a reset years ahead (a hostile answer, a clock far off)
// is waited for at most a minute's window, by the 429 wait and by the governor.
func TestWaitsForAResetAreCapped(t *testing.T) {
	now := time.Now()
	h := http.Header{}
	h.Set("X-Rate-Limit-Reset", fmt.Sprint(now.Add(3*365*24*time.Hour).Unix()))
	h.Set("X-Rate-Limit-Limit", "10")
	h.Set("X-Rate-Limit-Remaining", "0")
	if got := resetWait(h, now); got != maxResetWait {
		t.Fatalf("429 wait %s, want the cap %s", got, maxResetWait)
	}
	g := newGovernor(1, 4, 0)
	g.now = func() time.Time { return now }
	release, _, err := g.acquire(context.Background(), "GET /api/v1/apps")
	if err != nil {
		t.Fatal(err)
	}
	release(&http.Response{StatusCode: http.StatusOK, Header: h})
	// Cancelled by the hold itself, not by a clock that may run out before acquire
	// even looks (then held stays 0); the timeout only ends a governor that never holds.
	var held time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g.onHold = func(_ string, wait time.Duration) { held = wait; cancel() }
	if _, _, err := g.acquire(ctx, "GET /api/v1/apps"); err == nil {
		t.Fatal("the governor did not hold a request on an exhausted window")
	}
	if held <= 0 || held > maxResetWait+time.Second {
		t.Fatalf("the governor holds for %s, want at most %s", held, maxResetWait)
	}
	if g := newGovernor(math.NaN(), 4, 0); g.share != DefaultRateShare {
		t.Fatalf("a NaN share became %g", g.share)
	}
}

// closeRecorder is a body that fails (or not) after its data and records its Close.
type closeRecorder struct {
	io.Reader
	closed int
}

func (c *closeRecorder) Close() error { c.closed++; return nil }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestLimitedBodyEndsOnError: a body refused at the limit, or whose read failed, is
// closed and its attempt ended at once (the SDK does not close it), exactly once.
func TestLimitedBodyEndsOnError(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"over the limit": strings.NewReader("0123456789"),
		"read error":     io.MultiReader(strings.NewReader("0123"), failingReader{}),
	} {
		t.Run(name, func(t *testing.T) {
			inner, ended := &closeRecorder{Reader: r}, 0
			b := &limitedBody{ReadCloser: inner, left: 4, done: func() { ended++ }}
			if name == "read error" {
				b.left = 100
			}
			if _, err := io.ReadAll(b); err == nil {
				t.Fatal("no error")
			}
			if inner.closed != 1 || ended != 1 {
				t.Fatalf("after the error: closed %d times, attempt ended %d times; want 1 and 1", inner.closed, ended)
			}
			_ = b.Close() // a caller that does close: still once
			if inner.closed != 1 || ended != 1 {
				t.Fatalf("after Close: closed %d times, attempt ended %d times; want 1 and 1", inner.closed, ended)
			}
		})
	}
}
