package openapicheck

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a stand-in Okta: it records each request it receives and answers {}.
type recorder struct {
	mu   sync.Mutex
	seen []Request
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r, err := RequestFrom(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec.mu.Lock()
	rec.seen = append(rec.seen, r)
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("{}"))
}

func send(t *testing.T, base, method, target, body string) {
	t.Helper()
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, base+target, rd)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, err = http.NewRequest(method, base+target, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+testToken)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestRequestsRecordedOverHTTP(t *testing.T) {
	v := specValidator(t)
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	send(t, srv.URL, "GET", "/api/v1/apps?filter=name+eq+%22scim2testapp%22&limit=200", "")
	send(t, srv.URL, "POST", "/api/v1/apps?activate=true",
		`{"name":"scim2testapp","label":"Acme","signOnMode":"SAML_2_0","settings":{"app":{"acsUrl":"https://acme.example/acs"},"notes":{"admin":"x","enduser":null}}}`)
	send(t, srv.URL, "GET", "/api/v1/apps/0oa%2F1", "") // an escaped id still routes to getApplication
	send(t, srv.URL, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING", `{"create":{"lifecycleCreate":{"status":"ENABLED"}}}`)
	send(t, srv.URL, "GET", "/api/v1/logs?sortOrder=NEWEST", "") // not an enum value

	if len(rec.seen) != 5 {
		t.Fatalf("recorded %d requests, want 5", len(rec.seen))
	}
	errs := v.ValidateAll(rec.seen)
	if len(errs) != 1 {
		t.Fatalf("want exactly the log request to fail, got %d errors: %v", len(errs), errs)
	}
	if msg := errs[0].Error(); !strings.Contains(msg, "listLogEvents") || !strings.Contains(msg, `"sortOrder"`) {
		t.Errorf("unexpected message: %s", msg)
	}
}

func TestRequestFromLeavesBodyReadable(t *testing.T) {
	req := httptest.NewRequest("PUT", "/api/v1/apps/0oa1/groups/00g1?x=1", strings.NewReader(`{"priority":1}`))
	r, err := RequestFrom(req)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "PUT" || r.Path != "/api/v1/apps/0oa1/groups/00g1" || r.RawQuery != "x=1" || string(r.Body) != `{"priority":1}` {
		t.Fatalf("captured %+v", r)
	}
	var again bytes.Buffer
	if _, err := again.ReadFrom(req.Body); err != nil || again.String() != `{"priority":1}` {
		t.Fatalf("body after capture: %q, %v", again.String(), err)
	}
}

func TestConcurrentValidation(t *testing.T) {
	v := specValidator(t)
	rs := []Request{
		apiRequest(t, "GET", "/api/v1/apps?q=Acme&limit=20", nil),
		apiRequest(t, "POST", "/api/v1/apps", oinAppBody("scim2testapp")),
		apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING", `{"update":{"profile":{"status":"ENABLED"}}}`),
		apiRequest(t, "GET", "/api/v1/apps?limit=x", nil),
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if errs := v.ValidateAll(rs); len(errs) != 1 {
				t.Errorf("want 1 error, got %v", errs)
			}
		})
	}
	wg.Wait()
}
