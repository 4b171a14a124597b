package okta

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oktascim/oktascim/sim/oktaorg"
)

// budgetServer answers like Okta's rate limiter: limit per window of one second,
// with the headers on every answer; it counts 429s it had to give.
type budgetServer struct {
	mu        sync.Mutex
	limit     int
	window    int64
	used      int
	refused   int
	inFlight  int
	maxFlight int
	delay     time.Duration
}

func (b *budgetServer) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	b.inFlight++
	b.maxFlight = max(b.maxFlight, b.inFlight)
	b.mu.Unlock()
	time.Sleep(b.delay)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight--
	now := time.Now()
	if now.Unix() != b.window {
		b.window, b.used = now.Unix(), 0
	}
	status := http.StatusOK
	if b.used >= b.limit {
		status = http.StatusTooManyRequests
		b.refused++
	} else {
		b.used++
	}
	h := http.Header{}
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("X-Rate-Limit-Limit", fmt.Sprint(b.limit))
	h.Set("X-Rate-Limit-Remaining", fmt.Sprint(b.limit-b.used))
	h.Set("X-Rate-Limit-Reset", fmt.Sprint(b.window+1))
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("[]")), Request: r}, nil
}

// TestGovernorNeverSendsWhatItKnowsWouldBeRefused: 16 requests from 8 goroutines
// against a budget of 10 per second with a share of 0.5: no 429, concurrency capped,
// and at most 5 of ours in any window.
func TestGovernorNeverSendsWhatItKnowsWouldBeRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for several rate-limit windows")
	}
	srv := &budgetServer{limit: 10, delay: 5 * time.Millisecond}
	tr := newTransport(srv, Settings{RateShare: 0.5, MaxConcurrent: 3})
	perWindow := map[int64]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed atomic.Int32
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				req, _ := http.NewRequest("GET", "http://127.0.0.1/api/v1/apps/0oa1/features", nil)
				resp, err := tr.RoundTrip(req)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					continue
				}
				mu.Lock()
				perWindow[time.Now().Unix()]++
				mu.Unlock()
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 || srv.refused > 0 {
		t.Fatalf("%d failed, %d refused with 429", failed.Load(), srv.refused)
	}
	if srv.maxFlight > 3 {
		t.Fatalf("%d requests in flight, cap 3", srv.maxFlight)
	}
	if st := tr.stats(); st.Held == 0 || st.Requests != 16 {
		t.Fatalf("stats %+v: the governor never held a request back", st)
	}
	for w, n := range perWindow {
		if n > 6 { // 5 per window, plus one answered just across a window edge
			t.Errorf("%d of our requests answered in the window at %d, share allows 5", n, w)
		}
	}
}

// flaky fails the first n attempts in a given way, then answers 200.
type flaky struct {
	n     int
	calls int
	fail  func(r *http.Request) (*http.Response, error)
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	f.calls++
	if f.calls <= f.n {
		return f.fail(r)
	}
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

func status(code int) func(r *http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: code, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("<html>bad gateway</html>")), Request: r}, nil
	}
}

func TestRetries(t *testing.T) {
	reset := func(*http.Request) (*http.Response, error) { return nil, errors.New("read: connection reset by peer") }
	hang := func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	for _, tc := range []struct {
		name, method, path string
		fail               func(*http.Request) (*http.Response, error)
		n, wantCalls       int
		wantStatus         int
	}{
		{"GET after two 503s", "GET", "/api/v1/apps", status(503), 2, 3, 200},
		{"PUT after a reset", "PUT", "/api/v1/apps/0oa1", reset, 1, 2, 200},
		{"activate after a 500", "POST", "/api/v1/apps/0oa1/lifecycle/activate", status(500), 1, 2, 200},
		{"GET after a hang", "GET", "/api/v1/logs", hang, 1, 2, 200},
		{"create app not repeated after a 502", "POST", "/api/v1/apps", status(502), 1, 1, 502},
		{"create app not repeated after a reset", "POST", "/api/v1/apps", reset, 1, 1, 0},
		{"GET gives up after the retries", "GET", "/api/v1/apps", status(500), 10, 3, 500},
		{"501 is not retried", "GET", "/api/v1/apps", status(501), 1, 1, 501},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &flaky{n: tc.n, fail: tc.fail}
			tr := newTransport(f, Settings{RetryBase: time.Millisecond, MaxRetries: 2, Timeout: 50 * time.Millisecond})
			req, _ := http.NewRequest(tc.method, "http://127.0.0.1"+tc.path, nil)
			resp, err := tr.RoundTrip(req)
			got := 0
			if err == nil {
				got = resp.StatusCode
				resp.Body.Close()
			}
			if f.calls != tc.wantCalls || got != tc.wantStatus {
				t.Fatalf("calls %d status %d err %v; want calls %d status %d", f.calls, got, err, tc.wantCalls, tc.wantStatus)
			}
			if tc.name == "GET after a hang" && (tr.stats().Retries != 1) {
				t.Fatalf("stats %+v", tr.stats())
			}
		})
	}
}

func TestRetryStopsWhenCancelled(t *testing.T) {
	// Cancelled once the first answer is in, so the cancel lands in the hour's backoff
	// (a 50 ms timeout could run out before the first try on a busy machine).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &flaky{n: 100, fail: func(r *http.Request) (*http.Response, error) { cancel(); return status(503)(r) }}
	tr := newTransport(f, Settings{RetryBase: time.Hour})
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1/api/v1/apps", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.Canceled) || f.calls != 1 {
		t.Fatalf("err %v after %d calls", err, f.calls)
	}
}

// answer is an answer with Okta's rate-limit headers.
func answer(status, limit, remaining int, reset int64, date time.Time) *http.Response {
	h := http.Header{}
	h.Set("Date", date.UTC().Format(http.TimeFormat))
	h.Set("X-Rate-Limit-Limit", fmt.Sprint(limit))
	h.Set("X-Rate-Limit-Remaining", fmt.Sprint(remaining))
	h.Set("X-Rate-Limit-Reset", fmt.Sprint(reset))
	return &http.Response{StatusCode: status, Header: h}
}

// fakeClock drives a governor without waiting.
type fakeClock struct{ t time.Time }

func (f *fakeClock) now() time.Time { return f.t }

func testGovernor(share float64, window time.Duration) (*governor, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1_000_000, 300_000_000)}
	g := newGovernor(share, 4, window)
	g.now = clk.now
	return g, clk
}

// send admits one request to key and answers it as a counter of the given limit
// would, with remaining left after it and the window ending at reset.
func send(t *testing.T, g *governor, clk *fakeClock, key string, status, limit, remaining int, reset int64) {
	t.Helper()
	gr := g.group(key)
	if w := g.admit(gr); w != 0 {
		t.Fatalf("%s held %s with %+v", key, w, *gr.c)
	}
	g.answered(gr, answer(status, limit, remaining, reset, clk.t), clk.t)
}

// An org that counts two endpoint groups together: the governor sees Remaining drop
// by more than its requests to one group explain and counts both groups against one
// budget, so an answer on one moves the other's.
func TestGovernorJoinsGroupsThatShareACounter(t *testing.T) {
	g, clk := testGovernor(1, time.Minute)
	reset := clk.t.Unix() + 60
	left := 100
	for i := 0; i < 20; i++ {
		for _, key := range []string{"/api/v1/apps/{id}", "/api/v1/groups"} {
			left--
			send(t, g, clk, key, 200, 100, left, reset)
		}
	}
	a, b := g.groups["/api/v1/apps/{id}"], g.groups["/api/v1/groups"]
	if a.c != b.c {
		t.Fatalf("one counter answered both groups (remaining %d), the governor keeps two: %+v %+v", left, *a.c, *b.c)
	}
	if a.c.remaining != left {
		t.Fatalf("budget %d, Okta says %d", a.c.remaining, left)
	}
	// Spend the rest through one group: the other has nothing left either.
	for left > 0 {
		left--
		send(t, g, clk, "/api/v1/groups", 200, 100, left, reset)
	}
	if w := g.admit(a); w <= 0 {
		t.Fatalf("the shared window is spent, yet a request to the other group was admitted")
	}
}

// Per-endpoint counters that move alike are never taken for one, and two counters
// once taken for one (another client spent some) are parted when the counts prove it.
func TestGovernorKeepsCountersApart(t *testing.T) {
	g, clk := testGovernor(1, time.Minute)
	reset := clk.t.Unix() + 60
	for i := 1; i <= 30; i++ {
		send(t, g, clk, "/api/v1/apps/{id}", 200, 100, 100-i, reset)
		send(t, g, clk, "/api/v1/groups", 200, 100, 100-i, reset)
	}
	a, b := g.groups["/api/v1/apps/{id}"], g.groups["/api/v1/groups"]
	if a.c == b.c || a.c.remaining != 70 || b.c.remaining != 70 {
		t.Fatalf("two counters of 70 left each: %+v %+v", *a.c, *b.c)
	}

	// Another client spends 40 of the logs counter's window: unexplained, so the
	// governor counts logs with groups (the same limit and window) — until the
	// requests to both add up to more than logs' counter counted.
	g, clk = testGovernor(1, time.Minute)
	send(t, g, clk, "/api/v1/groups", 200, 100, 99, reset)
	for i := 1; i <= 10; i++ {
		send(t, g, clk, "/api/v1/logs", 200, 100, 60-i, reset)
	}
	l, gr := g.groups["/api/v1/logs"], g.groups["/api/v1/groups"]
	if l.c != gr.c {
		t.Fatalf("logs dropped by 40 more than we sent; groups could be why: %+v %+v", *l.c, *gr.c)
	}
	for i := 2; i <= 60; i++ {
		send(t, g, clk, "/api/v1/groups", 200, 100, 100-i, reset)
	}
	send(t, g, clk, "/api/v1/logs", 200, 100, 49, reset)
	if l.c == gr.c || !l.distinct[gr] {
		t.Fatalf("60 requests to groups and 11 to logs, logs counted 51: two counters, yet joined")
	}
	if l.c.remaining != 49 || gr.c.remaining != 40 {
		t.Fatalf("budgets logs %d groups %d, want 49 and 40", l.c.remaining, gr.c.remaining)
	}
}

// A window that starts with the first request after the last one ended ends one
// window's length after that request, up to a second before its rounded-up Reset:
// the governor sends again then, not a second later; on a clock-aligned window it
// keeps to Reset; and an end once found too early (a 429) gives way to Reset.
func TestGovernorWindowEnd(t *testing.T) {
	g, clk := testGovernor(1, 2*time.Second)
	start := clk.t                               // x.3 s
	reset := start.Add(2*time.Second).Unix() + 1 // rounded up
	send(t, g, clk, "/api/v1/apps/{id}", 200, 3, 2, reset)
	send(t, g, clk, "/api/v1/apps/{id}", 200, 3, 1, reset)
	send(t, g, clk, "/api/v1/apps/{id}", 200, 3, 0, reset)
	gr := g.groups["/api/v1/apps/{id}"]
	if w := g.admit(gr); w < 2*time.Second || w > 2*time.Second+20*time.Millisecond {
		t.Fatalf("window spent: wait %s, want 2 s (not %s, the rounded-up Reset)", w, time.Unix(reset, 0).Sub(clk.t))
	}
	clk.t = start.Add(2*time.Second + 20*time.Millisecond)
	if w := g.admit(gr); w != 0 {
		t.Fatalf("the window has ended, still held %s", w)
	}
	// Okta says it has not: the estimate was early, so Reset it is from now on (and
	// a little later: 20 ms past the estimate was still inside).
	g.answered(gr, answer(429, 3, 0, reset, clk.t), clk.t)
	lag := gr.c.lag
	if !gr.c.early || lag < 20*time.Millisecond || !gr.c.ends.Equal(time.Unix(reset, 0).Add(lag)) {
		t.Fatalf("after a 429 in the window taken as ended: %+v", *gr.c)
	}
	clk.t = time.Unix(reset, 0).Add(lag + 10*time.Millisecond)
	next := clk.t.Add(2*time.Second).Unix() + 1
	send(t, g, clk, "/api/v1/apps/{id}", 200, 3, 2, next)
	if !gr.c.ends.Equal(time.Unix(next, 0).Add(lag)) {
		t.Fatalf("ends %s, want Reset %s (+%s) once an estimate was early", gr.c.ends, time.Unix(next, 0), lag)
	}

	// Clock-aligned windows end at Reset: the estimate from the first answer is later.
	g, clk = testGovernor(1, 2*time.Second)
	aligned := clk.t.Unix() + 1
	send(t, g, clk, "/api/v1/groups", 200, 3, 2, aligned)
	if c := g.groups["/api/v1/groups"].c; !c.ends.Equal(time.Unix(aligned, 0)) {
		t.Fatalf("ends %s, want Reset %s", c.ends, time.Unix(aligned, 0))
	}
}

// Against the simulator's variants, at --rate-share 1, with many goroutines over
// several endpoint groups: next to no 429s (≤ 1%), and every request answered.
func TestGovernorOnEveryRateLimitVariant(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for several rate-limit windows")
	}
	for _, scope := range []string{oktaorg.RateLimitPerEndpoint, oktaorg.RateLimitShared} {
		for _, start := range []string{oktaorg.RateLimitWindowAligned, oktaorg.RateLimitWindowFirstRequest} {
			t.Run(scope+","+start, func(t *testing.T) {
				t.Parallel()
				s, err := oktaorg.Start(oktaorg.Options{Token: "00gov-test", RateLimitPerMinute: 30, RateLimitWindow: time.Second,
					Variants: map[string]string{oktaorg.VariantRateLimitScope: scope, oktaorg.VariantRateLimitWindow: start}, Latency: 10 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				tr := newTransport(http.DefaultTransport, Settings{RateShare: 1, MaxConcurrent: 8, RateWindow: time.Second})
				paths := []string{"/api/v1/apps/0oa1/features", "/api/v1/groups", "/api/v1/apps/0oa2", "/api/v1/logs"}
				var wg sync.WaitGroup
				var failed atomic.Int32
				for w := 0; w < 8; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < 15; i++ {
							req, _ := http.NewRequest("GET", s.URL+paths[(w+i)%len(paths)], nil)
							req.Header.Set("Authorization", "SSWS 00gov-test")
							resp, err := tr.RoundTrip(req)
							if err != nil || resp.StatusCode == 429 {
								failed.Add(1)
								continue
							}
							resp.Body.Close()
						}
					}()
				}
				wg.Wait()
				st := tr.stats()
				if failed.Load() > 0 || float64(st.RateLimited) > 0.01*float64(st.Requests) {
					t.Fatalf("%d failed; %d 429s in %d requests", failed.Load(), st.RateLimited, st.Requests)
				}
			})
		}
	}
}

// Okta's clock behind ours by 1.5 s (less than Date's whole seconds can tell): every
// window ends 1.5 s after its Reset on our clock. A few probes — one request each,
// doubling the lag — find that out; after that the governor waits long enough and
// sends nothing Okta refuses.
func TestGovernorLearnsWindowsEndLaterThanReset(t *testing.T) {
	g, clk := testGovernor(1, time.Minute)
	const skew = 1500 * time.Millisecond
	key := "/api/v1/groups"
	gr := g.group(key)
	reset := clk.t.Unix() + 2 // Okta's; the window really ends at reset + skew, ours
	refused := 0
	// serve answers one admitted request as such an org would: within the window
	// until reset+skew, a fresh one after.
	left := 3
	window := reset
	serve := func() {
		t.Helper()
		if w := g.admit(gr); w != 0 {
			clk.t = clk.t.Add(w)
			if w := g.admit(gr); w != 0 {
				t.Fatalf("held again after waiting: %s", w)
			}
		}
		sent := clk.t
		if !clk.t.Before(time.Unix(window, 0).Add(skew)) {
			window, left = clk.t.Add(-skew).Unix()+2, 3 // Okta's reset, on its clock
		}
		if left == 0 {
			refused++
			g.answered(gr, answer(429, 3, 0, window, clk.t.Add(-skew)), sent)
			return
		}
		left--
		g.answered(gr, answer(200, 3, left, window, clk.t.Add(-skew)), sent)
	}
	for i := 0; i < 1000 && gr.c.lag < skew; i++ {
		serve()
		clk.t = clk.t.Add(10 * time.Millisecond)
	}
	if refused > 6 {
		t.Fatalf("%d requests refused: the governor does not learn that windows end late (lag %s)", refused, gr.c.lag)
	}
	before := refused
	for i := 0; i < 100; i++ {
		serve()
		clk.t = clk.t.Add(10 * time.Millisecond)
	}
	if refused != before || gr.c.lag < skew {
		t.Fatalf("%d more refused after learning; lag %s, the windows end %s late", refused-before, gr.c.lag, skew)
	}
}
