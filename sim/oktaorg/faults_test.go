package oktaorg

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// send makes one request on a fresh connection (no keep-alive: Go's Transport would
// silently retry a GET whose reused connection is reset) and returns the transport
// error instead of failing the test.
func send(s *Server, method, path, tok string, body any, timeout time.Duration) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	if tok != "" {
		req.Header.Set("Authorization", "SSWS "+tok)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	hc := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// status sends a request that must be answered and returns its status and body.
func status(t *testing.T, s *Server, method, path string) (int, []byte) {
	t.Helper()
	resp, b, err := send(s, method, path, token, nil, 5*time.Second)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, b
}

func TestFaultStatusBodies(t *testing.T) {
	s, _ := startOrg(t, Options{})
	for _, tc := range []struct {
		status              int
		code, summary, html string
	}{
		{status: 500, code: "E0000009", summary: "Internal Server Error"},
		{status: 429, code: "E0000047", summary: "API call exceeded rate limit due to too many requests."},
		{status: 404, code: "E0000007", summary: "Not found: Resource not found: /api/v1/apps"},
		{status: 502, html: "<h1>502 Bad Gateway</h1>"},
		{status: 504, html: "<h1>504 Gateway Timeout</h1>"},
		{status: 503},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			s.InjectFault(Fault{Method: "GET", Path: "/api/v1/apps", Kind: FaultStatus, Status: tc.status})
			before := time.Now()
			resp, b, err := send(s, "GET", "/api/v1/apps", token, nil, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			switch {
			case tc.code != "":
				var m map[string]any
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatalf("not JSON: %s", b)
				}
				if code := errorCode(t, m); code != tc.code || m["errorSummary"] != tc.summary {
					t.Fatalf("body %s", b)
				}
				if _, ok := m["errorCauses"].([]any); !ok {
					t.Fatalf("errorCauses is not a list: %s", b)
				}
			case tc.html != "":
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), tc.html) {
					t.Fatalf("content type %q body %s", resp.Header.Get("Content-Type"), b)
				}
			default:
				if len(b) != 0 {
					t.Fatalf("body %q, want none", b)
				}
			}
			if tc.status == 429 {
				checkRateLimitHeaders(t, resp, before, time.Second)
			}
			if code, b := status(t, s, "GET", "/api/v1/apps"); code != 200 {
				t.Fatalf("after the fault: %d %s", code, b)
			}
		})
	}
	if got := s.FaultsHit(); got != 6 {
		t.Fatalf("FaultsHit %d, want 6", got)
	}
}

// checkRateLimitHeaders checks a 429's headers: nothing left, a reset at least wait
// after before (and not a minute away).
func checkRateLimitHeaders(t *testing.T, resp *http.Response, before time.Time, wait time.Duration) {
	t.Helper()
	h := resp.Header
	if h.Get("X-Rate-Limit-Limit") == "" || h.Get("X-Rate-Limit-Remaining") != "0" || h.Get("Date") == "" {
		t.Fatalf("headers %v", h)
	}
	reset, err := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if at := time.Unix(reset, 0); at.Before(before.Add(wait).Truncate(time.Second)) || at.After(before.Add(wait+5*time.Second)) {
		t.Fatalf("reset at %v, want about %v after %v", at, wait, before)
	}
}

func TestFaultRateLimitBurstTimes(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Path: "/api/v1/groups", Kind: FaultRateLimitBurst, Times: 3, Delay: 3 * time.Second})
	for i := range 3 {
		before := time.Now()
		resp, b, err := send(s, "GET", "/api/v1/groups", token, nil, 5*time.Second)
		if err != nil || resp.StatusCode != 429 || !strings.Contains(string(b), "E0000047") {
			t.Fatalf("request %d: %v %v %s", i, err, resp, b)
		}
		checkRateLimitHeaders(t, resp, before, 3*time.Second)
	}
	if code, _ := status(t, s, "GET", "/api/v1/groups"); code != 200 {
		t.Fatalf("fourth request: %d", code)
	}
	// Another path is not touched.
	if code, _ := status(t, s, "GET", "/api/v1/apps"); code != 200 {
		t.Fatalf("apps: %d", code)
	}
	if s.FaultsHit() != 3 {
		t.Fatalf("FaultsHit %d", s.FaultsHit())
	}
}

func TestFaultSkipThenTimes(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Method: "GET", Path: "/api/v1/apps", Kind: FaultStatus, Status: 500, Skip: 2, Times: 2})
	var got []int
	for range 5 {
		code, _ := status(t, s, "GET", "/api/v1/apps")
		got = append(got, code)
	}
	if want := []int{200, 200, 500, 500, 200}; !equalInts(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	s.ClearFaults()
	if s.FaultsHit() != 0 {
		t.Fatalf("FaultsHit after ClearFaults: %d", s.FaultsHit())
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultOrderFirstWithHitsLeft(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Kind: FaultStatus, Status: 502})
	s.InjectFault(Fault{Kind: FaultStatus, Status: 504, Times: 2})
	var got []int
	for range 4 {
		code, _ := status(t, s, "GET", "/api/v1/groups")
		got = append(got, code)
	}
	if want := []int{502, 504, 504, 200}; !equalInts(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

func TestFaultPatternAndMethod(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Method: "put", Path: "/api/v1/apps/*/groups/*", Kind: FaultStatus, Status: 500, Times: 10})
	for _, tc := range []struct {
		method, path string
		faulted      bool
	}{
		{"PUT", "/api/v1/apps/0oa1/groups/00g1", true},
		{"PUT", "/api/v1/apps/0oa2/groups/00g2", true},
		{"GET", "/api/v1/apps/0oa1/groups/00g1", false},
		{"PUT", "/api/v1/apps/0oa1/groups", false},
		{"PUT", "/api/v1/apps/0oa1/groups/00g1/extra", false},
	} {
		code, b := status(t, s, tc.method, tc.path)
		if faulted := code == 500 && strings.Contains(string(b), "E0000009"); faulted != tc.faulted {
			t.Errorf("%s %s: %d %s, faulted %v, want %v", tc.method, tc.path, code, b, faulted, tc.faulted)
		}
	}
	if s.FaultsHit() != 2 {
		t.Fatalf("FaultsHit %d, want 2", s.FaultsHit())
	}
}

func TestMatchPath(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"", "/api/v1/apps", true},
		{"/api/v1/apps", "/api/v1/apps", true},
		{"/api/v1/apps", "/api/v1/apps/0oa1", false},
		{"/api/v1/apps/*", "/api/v1/apps/0oa1", true},
		{"/api/v1/apps/*", "/api/v1/apps", false},
		{"/api/v1/*/0oa1", "/api/v1/apps/0oa1", true},
		{"/api/v1/apps/*/lifecycle/*", "/api/v1/apps/0oa1/lifecycle/activate", true},
		{"/api/v1/apps/*/lifecycle/*", "/api/v1/apps/0oa1/groups/activate", false},
	} {
		if got := matchPath(tc.pattern, tc.path); got != tc.want {
			t.Errorf("matchPath(%q, %q) = %v", tc.pattern, tc.path, got)
		}
	}
}

func TestFaultReset(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Method: "GET", Path: "/api/v1/apps", Kind: FaultReset})
	resp, _, err := send(s, "GET", "/api/v1/apps", token, nil, 5*time.Second)
	if err == nil {
		t.Fatalf("got an answer %d, want a connection error", resp.StatusCode)
	}
	// The handler records the request as it returns, which may be just after the client
	// has seen the connection drop.
	var reqs []Request
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if reqs = s.Requests(); len(reqs) > 0 {
			break
		}
	}
	if len(reqs) != 1 || reqs[0].Status != 0 {
		t.Fatalf("recorded %+v, want one request with status 0", reqs)
	}
	if code, _ := status(t, s, "GET", "/api/v1/apps"); code != 200 {
		t.Fatalf("after the reset: %d", code)
	}
}

func TestFaultResetAfterWriteCreatesTheApp(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Method: "POST", Path: "/api/v1/apps", Kind: FaultResetAfterWrite})
	resp, _, err := send(s, "POST", "/api/v1/apps", token, samlApp("scim2testapp", "uncertain"), 5*time.Second)
	if err == nil {
		t.Fatalf("got an answer %d, want a connection error", resp.StatusCode)
	}
	apps := s.Apps()
	if len(apps) != 1 || apps[0]["label"] != "uncertain" {
		t.Fatalf("apps %v, want the app created", apps)
	}
}

func TestFaultHang(t *testing.T) {
	s, _ := startOrg(t, Options{})
	// Released by the client's timeout.
	s.InjectFault(Fault{Path: "/api/v1/apps", Kind: FaultHang})
	start := time.Now()
	if _, _, err := send(s, "GET", "/api/v1/apps", token, nil, 150*time.Millisecond); err == nil {
		t.Fatal("got an answer, want a timeout")
	}
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("gave up after %v", el)
	}
	// With a Delay: no answer after Delay either, the connection is closed.
	s.InjectFault(Fault{Path: "/api/v1/groups", Kind: FaultHang, Delay: 100 * time.Millisecond})
	start = time.Now()
	if resp, _, err := send(s, "GET", "/api/v1/groups", token, nil, 5*time.Second); err == nil {
		t.Fatalf("got an answer %d, want a connection error", resp.StatusCode)
	}
	if el := time.Since(start); el < 100*time.Millisecond {
		t.Fatalf("dropped after %v", el)
	}
}

func TestFaultLatency(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Path: "/api/v1/apps", Kind: FaultLatency, Delay: 120 * time.Millisecond})
	start := time.Now()
	if code, _ := status(t, s, "GET", "/api/v1/apps"); code != 200 {
		t.Fatalf("status %d", code)
	}
	if el := time.Since(start); el < 120*time.Millisecond {
		t.Fatalf("answered after %v, want at least 120ms", el)
	}
}

func TestFaultScopeApiAndWellKnownOnly(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Kind: FaultStatus, Status: 503, Times: 100}) // any method, any path
	if code, _ := status(t, s, "GET", "/.well-known/okta-organization"); code != 503 {
		t.Fatalf(".well-known: %d, want 503", code)
	}
	if code, _ := status(t, s, "GET", "/api/v1/users/me"); code != 503 {
		t.Fatalf("/api/: %d, want 503", code)
	}
	if code, b := status(t, s, "GET", "/__sim/faults"); code != 200 || !strings.Contains(string(b), `"hits":2`) {
		t.Fatalf("/__sim/faults: %d %s", code, b)
	}
	if code, _ := status(t, s, "GET", "/elsewhere"); code != 404 {
		t.Fatalf("/elsewhere: %d, want the usual 404", code)
	}
}

func TestFaultAdminEndpoint(t *testing.T) {
	s, _ := startOrg(t, Options{ReadOnlyTokens: []string{"readonly-token-1234"}})
	fault := map[string]any{"method": "GET", "path": "/api/v1/apps", "kind": "latency", "delay": "100ms"}
	for _, tok := range []string{"", "readonly-token-1234", "wrong"} {
		resp, _, err := send(s, "POST", "/__sim/faults", tok, fault, 5*time.Second)
		if err != nil || resp.StatusCode != 401 {
			t.Fatalf("token %q: %v %v, want 401", tok, err, resp)
		}
		resp, _, err = send(s, "DELETE", "/__sim/faults", tok, nil, 5*time.Second)
		if err != nil || resp.StatusCode != 401 {
			t.Fatalf("DELETE with token %q: %v %v, want 401", tok, err, resp)
		}
	}
	for _, bad := range []map[string]any{
		{"kind": "explode"},
		{"kind": "status"},
		{"kind": "latency", "delay": "soon"},
		{"kind": "latency", "dealy": "2s"},
	} {
		resp, b, err := send(s, "POST", "/__sim/faults", token, bad, 5*time.Second)
		if err != nil || resp.StatusCode != 400 || !strings.Contains(string(b), `"error"`) {
			t.Fatalf("%v: %v %v %s, want 400", bad, err, resp, b)
		}
	}
	resp, b, err := send(s, "POST", "/__sim/faults", token, fault, 5*time.Second)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("POST: %v %v %s", err, resp, b)
	}
	start := time.Now()
	if code, _ := status(t, s, "GET", "/api/v1/apps"); code != 200 || time.Since(start) < 100*time.Millisecond {
		t.Fatalf("latency fault over the admin endpoint: %d after %v", code, time.Since(start))
	}
	if s.FaultsHit() != 1 {
		t.Fatalf("FaultsHit %d", s.FaultsHit())
	}
	if _, _, err := send(s, "POST", "/__sim/faults", token, map[string]any{"kind": "status", "status": 500, "times": 5}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if resp, _, err := send(s, "DELETE", "/__sim/faults", token, nil, 5*time.Second); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DELETE: %v %v", err, resp)
	}
	if code, _ := status(t, s, "GET", "/api/v1/apps"); code != 200 {
		t.Fatalf("after DELETE: %d", code)
	}
}

func TestFaultConcurrentTimes(t *testing.T) {
	s, _ := startOrg(t, Options{})
	s.InjectFault(Fault{Path: "/api/v1/groups", Kind: FaultStatus, Status: 500, Times: 5})
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for range 20 {
		wg.Go(func() {
			code, _ := status(t, s, "GET", "/api/v1/groups")
			mu.Lock()
			defer mu.Unlock()
			if code == 500 {
				failed++
			}
		})
	}
	wg.Wait()
	if failed != 5 || s.FaultsHit() != 5 {
		t.Fatalf("%d requests failed, FaultsHit %d, want 5", failed, s.FaultsHit())
	}
}

func TestInjectFaultRejectsNonsense(t *testing.T) {
	o := New(Options{Token: token})
	for _, f := range []Fault{{Kind: "explode"}, {Kind: FaultStatus}, {Kind: FaultStatus, Status: 200}, {Kind: FaultReset, Times: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("InjectFault(%+v) did not panic", f)
				}
			}()
			o.InjectFault(f)
		}()
	}
}
