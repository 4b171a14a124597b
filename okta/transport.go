package okta

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts requests as they went over the wire (a retried request counts twice).
type Stats struct {
	Requests    int64
	Writes      int64 // POST, PUT, PATCH, DELETE
	RateLimited int64 // 429 answers received
}

// transport accounts for requests, waits out 429s until the advertised reset,
// bounds response bodies, and traces without headers or bodies.
type transport struct {
	base     http.RoundTripper
	trace    io.Writer
	traceMu  sync.Mutex
	maxWaits int

	requests, writes, limited atomic.Int64
}

func (t *transport) stats() Stats {
	return Stats{Requests: t.requests.Load(), Writes: t.writes.Load(), RateLimited: t.limited.Load()}
}

// maxBody bounds what the tool reads from Okta: a hostile or broken answer must not
// exhaust memory. Real Okta pages are far smaller (200 apps ≈ 1 MB).
const maxBody = 32 << 20

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		start := time.Now()
		t.requests.Add(1)
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			t.writes.Add(1)
		}
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			t.tracef("%s %s → error after %s", req.Method, req.URL.RequestURI(), time.Since(start).Round(time.Millisecond))
			return nil, err
		}
		t.tracef("%s %s → %d in %s (rate limit remaining %s of %s)", req.Method, req.URL.RequestURI(), resp.StatusCode,
			time.Since(start).Round(time.Millisecond), resp.Header.Get("X-Rate-Limit-Remaining"), resp.Header.Get("X-Rate-Limit-Limit"))
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxBody}
		if resp.StatusCode != http.StatusTooManyRequests || attempt >= t.maxWaits {
			if resp.StatusCode == http.StatusTooManyRequests {
				t.limited.Add(1)
			}
			return resp, nil
		}
		t.limited.Add(1)
		wait := resetWait(resp.Header, time.Now())
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t.tracef("rate limited: waiting %s for the window to reset", wait.Round(time.Millisecond))
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
	}
}

// resetWait is how long to wait after a 429: until X-Rate-Limit-Reset (epoch seconds,
// measured against the server's Date to survive clock skew), plus a little.
func resetWait(h http.Header, now time.Time) time.Duration {
	reset, err := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		return time.Second
	}
	serverNow := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		serverNow = d
	}
	wait := time.Unix(reset, 0).Sub(serverNow) + 100*time.Millisecond
	if wait < 100*time.Millisecond {
		wait = 100 * time.Millisecond
	}
	if wait > 65*time.Second {
		wait = 65 * time.Second
	}
	return wait
}

func (t *transport) tracef(format string, args ...any) {
	if t.trace == nil {
		return
	}
	t.traceMu.Lock()
	defer t.traceMu.Unlock()
	fmt.Fprintf(t.trace, "okta: "+format+"\n", args...)
}

type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("okta answer larger than %d MiB: refusing to read more", maxBody>>20)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
