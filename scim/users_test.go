package scim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestUserLookupsFollowNoRedirect: the round trip's lookups carry the file's
// credentials, so a redirect is answered, never followed (as for the probe).
func TestUserLookupsFollowNoRedirect(t *testing.T) {
	var reached atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer elsewhere.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}))
	defer redirecting.Close()
	target := Target{BaseURL: redirecting.URL + "/scim/v2", Version: "2.0", Credentials: Credentials{Method: AuthHeader, Token: "Bearer redirect-test-token"}}
	_, ans, err := UserByName(context.Background(), nil, target, "someone@example.com")
	if reached.Load() != 0 {
		t.Fatal("the lookup followed the redirect to another server")
	}
	if err == nil && ans.Status != http.StatusFound {
		t.Fatalf("answer %+v, want the 302 itself or an error", ans)
	}
}
