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
	f := &flaky{n: 100, fail: status(503)}
	tr := newTransport(f, Settings{RetryBase: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1/api/v1/apps", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) || f.calls != 1 {
		t.Fatalf("err %v after %d calls", err, f.calls)
	}
}
