package okta

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hostile starts an "org" that answers every request with h.
func hostile(t *testing.T, h http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(context.Background(), Settings{OrgURL: srv.URL, Token: "00hostile-test-token", MaxRetries: -1, Timeout: 2 * time.Second})
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
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
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
		}, "502"},
		{"wrong types", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`{"id": 5, "label": ["not", "a", "string"]}`))
		}, "list apps"},
		{"truncated JSON", func(w http.ResponseWriter, r *http.Request) {
			jsonHeader(w)
			_, _ = w.Write([]byte(`[{"id":"0oa1","label":"cut off`))
		}, "list apps"},
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
		}, "loop"}, // the SDK keeps only the link's path: the org gets the request, never the other host
		{"hang", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, "no answer within 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := hostile(t, tc.handler)
			_, err := c.ListAppsByName(context.Background(), "scim2headerauth")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "00hostile-test-token") {
				t.Fatalf("the token appears in the error: %v", err)
			}
		})
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("%d request(s) went to another host", n)
	}
}
