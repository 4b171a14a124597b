package okta

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/oktascim/oktascim/internal/redact"
)

// Stats counts requests as they went over the wire (a retried request counts twice).
type Stats struct {
	Requests    int64
	Writes      int64 // POST, PUT, PATCH, DELETE
	RateLimited int64 // 429 answers received
	Retries     int64 // requests sent again after a 5xx, a reset or a timeout
	// Held is the time requests spent held back by the governor (summed).
	Held time.Duration
}

// transport paces requests through the governor, retries what is safe to retry,
// waits out 429s until the advertised reset, bounds response bodies and answer times,
// and traces without headers or bodies.
type transport struct {
	base       http.RoundTripper
	gov        *governor
	trace      io.Writer
	red        *redact.Set // masks what the transport says and what Okta's errors echo
	progress   *progress   // says on a terminal what a long wait waits for
	traceMu    sync.Mutex
	maxWaits   int
	maxRetries int
	retryBase  time.Duration
	timeout    time.Duration // per attempt: headers and body

	requests, writes, limited, retries, held atomic.Int64
}

func (t *transport) stats() Stats {
	return Stats{Requests: t.requests.Load(), Writes: t.writes.Load(), RateLimited: t.limited.Load(), Retries: t.retries.Load(), Held: time.Duration(t.held.Load())}
}

// maxBody bounds what the tool reads from Okta: a hostile or broken answer must not
// exhaust memory. Real Okta pages are far smaller (200 apps ≈ 1 MB).
const maxBody = 32 << 20

// idempotent reports whether sending req twice has the effect of sending it once.
// Creating an app is not: apply looks for the app's stamp before creating again.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	case http.MethodPost:
		p := req.URL.Path
		return strings.Contains(p, "/lifecycle/") || strings.HasSuffix(p, "/connections/default")
	}
	return false
}

// transient reports a network failure worth another try (a reset, EOF, a timeout),
// not one that will stay (refused, unknown host, a bad certificate).
func transient(err error) bool {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns), errors.As(err, &cert), errors.Is(err, syscall.ECONNREFUSED):
		return false
	}
	return true
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	key := bucketKey(req.Method, req.URL.Path)
	waits := 0
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		release, held, err := t.gov.acquire(req.Context(), key)
		if err != nil {
			return nil, err
		}
		if held > 0 {
			t.progress.done()
			t.held.Add(int64(held))
			t.tracef("%s %s held %s for the rate-limit window to reset", req.Method, req.URL.Path, held.Round(time.Millisecond))
		}
		start := time.Now()
		t.requests.Add(1)
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			t.writes.Add(1)
		}
		// Each attempt gets the whole timeout for its headers and body; a hang is
		// cut off and, when safe, tried again.
		ctx, cancel := context.WithCancel(req.Context())
		var fired atomic.Bool
		timer := time.AfterFunc(t.timeout, func() { fired.Store(true); cancel() })
		resp, err := t.base.RoundTrip(req.WithContext(ctx))
		if err != nil {
			timedOut := !timer.Stop() && req.Context().Err() == nil
			cancel()
			release(nil)
			if timedOut {
				err = &AnswerTimeoutError{Request: req.Method + " " + req.URL.Path, After: t.timeout}
			}
			t.tracef("%s %s → error after %s: %v", req.Method, req.URL.RequestURI(), time.Since(start).Round(time.Millisecond), err)
			if req.Context().Err() != nil {
				return nil, req.Context().Err()
			}
			if idempotent(req) && attempt < t.maxRetries && transient(err) {
				t.retries.Add(1)
				if !t.sleep(req.Context(), t.backoff(attempt)) {
					return nil, req.Context().Err()
				}
				continue
			}
			return nil, err
		}
		release(resp)
		t.tracef("%s %s → %d in %s (rate limit remaining %s of %s)", req.Method, req.URL.RequestURI(), resp.StatusCode,
			time.Since(start).Round(time.Millisecond), resp.Header.Get("X-Rate-Limit-Remaining"), resp.Header.Get("X-Rate-Limit-Limit"))
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxBody, done: func() { timer.Stop(); cancel() },
			late: func() error {
				if fired.Load() && req.Context().Err() == nil {
					return &AnswerTimeoutError{Request: req.Method + " " + req.URL.Path, After: t.timeout, Body: true}
				}
				return nil
			}}
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			// Okta's API does not redirect; following one could send the token elsewhere.
			where := resp.Header.Get("Location")
			drain(resp)
			return nil, fmt.Errorf("the org answered %d redirecting to %q; the API does not redirect, so the org URL is probably wrong (not followed: the token must not go elsewhere)", resp.StatusCode, t.red.String(where))
		case resp.StatusCode == http.StatusTooManyRequests:
			t.limited.Add(1)
			if waits >= t.maxWaits {
				return resp, nil
			}
			waits++
			wait := resetWait(resp.Header, time.Now())
			drain(resp)
			t.tracef("%s %s rate limited (429): waiting %s for the rate-limit window to reset (X-Rate-Limit-Reset %s, at most %s)", req.Method, req.URL.Path,
				wait.Round(time.Millisecond), resp.Header.Get("X-Rate-Limit-Reset"), maxResetWait)
			t.waiting(fmt.Sprintf("%s %s was refused (429)", req.Method, req.URL.Path), wait)
			slept := t.sleep(req.Context(), wait)
			t.progress.done()
			if !slept {
				return nil, req.Context().Err()
			}
			attempt-- // a 429 is not a failed attempt: the request was refused, not lost
		case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && idempotent(req) && attempt < t.maxRetries:
			t.retries.Add(1)
			drain(resp)
			if !t.sleep(req.Context(), t.backoff(attempt)) {
				return nil, req.Context().Err()
			}
		default:
			return t.checkAnswer(req, resp)
		}
	}
}

// waiting says on a terminal what a wait of a second or more is for (and in the trace).
func (t *transport) waiting(why string, wait time.Duration) {
	if wait < time.Second {
		return
	}
	t.progress.show(fmt.Sprintf("okta: %s: waiting %s for Okta's rate-limit window to reset", why, wait.Round(time.Second)))
}

// checkAnswer refuses what is not an API answer (HTML from a proxy or login page),
// and masks in an error answer whatever secret Okta echoes (a request body, a token in
// WWW-Authenticate) before the SDK turns it into an error message.
func (t *transport) checkAnswer(req *http.Request, resp *http.Response) (*http.Response, error) {
	if req.Method == http.MethodHead || resp.StatusCode == http.StatusNoContent {
		return resp, nil
	}
	for _, k := range []string{"Www-Authenticate", "Location"} {
		if v := resp.Header.Values(k); len(v) > 0 {
			for i := range v {
				v[i] = t.red.String(v[i])
			}
		}
	}
	// No content type at all is left to the SDK, which refuses it too.
	if ct := resp.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		head := make([]byte, 4*excerptLen)
		n, _ := io.ReadFull(resp.Body, head)
		if n == 0 {
			resp.Body.Close()
			resp.Body = io.NopCloser(strings.NewReader(""))
			return resp, nil
		}
		drain(resp)
		shape := newShapeError(t.red, req, resp, head[:n], "not JSON")
		if resp.StatusCode < 400 {
			return nil, shape
		}
		// An error status keeps its meaning (401, 404, …); the SDK reads the
		// description from a JSON error body.
		b, _ := json.Marshal(map[string]string{"errorSummary": shape.summary()})
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	}
	if resp.StatusCode >= 400 {
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(strings.NewReader(t.red.String(string(b))))
	}
	return resp, nil
}

// maxErrorBody bounds an error answer: Okta's are a few hundred bytes.
const maxErrorBody = 1 << 20

// isJSON: application/json or a +json type (what the SDK decodes).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// AnswerTimeoutError is an Okta answer that did not arrive, or did not finish
// arriving, within the per-request timeout.
type AnswerTimeoutError struct {
	Request string // method and path
	After   time.Duration
	Body    bool // the headers came, the body did not finish
}

func (e *AnswerTimeoutError) Error() string {
	if e.Body {
		return fmt.Sprintf("%s: the answer's body did not finish arriving within %s (--request-timeout); the org or a proxy is sending it too slowly", e.Request, e.After)
	}
	return fmt.Sprintf("%s: no answer within %s (--request-timeout)", e.Request, e.After)
}

// Timeout lets net-error checks treat it as one.
func (e *AnswerTimeoutError) Timeout() bool { return true }

// backoff is the jittered exponential wait before retry attempt+1.
func (t *transport) backoff(attempt int) time.Duration {
	d := t.retryBase << attempt
	if d > 5*time.Second || d <= 0 {
		d = 5 * time.Second
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

func (t *transport) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// resetWait is how long to wait after a 429: until X-Rate-Limit-Reset (epoch seconds,
// measured against the server's Date to survive clock skew), plus a little.
func resetWait(h http.Header, now time.Time) time.Duration {
	reset, err := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		return time.Second
	}
	wait := localReset(h, reset, now).Sub(now) + 100*time.Millisecond
	if wait < 100*time.Millisecond {
		wait = 100 * time.Millisecond
	}
	return min(wait, maxResetWait)
}

// maxResetWait caps any wait for a rate-limit window to reset: Okta's windows are a
// minute, so a reset further ahead is not Okta's (a clock years off, a hostile answer).
const maxResetWait = 65 * time.Second

func (t *transport) tracef(format string, args ...any) {
	if t.trace == nil {
		return
	}
	t.traceMu.Lock()
	defer t.traceMu.Unlock()
	fmt.Fprint(t.trace, t.red.String(fmt.Sprintf("okta: "+format+"\n", args...)))
}

// limitedBody bounds an answer's body and ends its attempt when the body ends. A
// read that fails ends the body too: the SDK does not close a body it could not read,
// and an open one holds the connection (and a server still writing) until the
// attempt's timeout.
type limitedBody struct {
	io.ReadCloser
	left   int64
	done   func()       // ends the attempt's timeout
	late   func() error // the timeout's error, once it cut the body off
	closed bool
}

func (b *limitedBody) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	err := b.ReadCloser.Close()
	if b.done != nil {
		b.done()
	}
	return err
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("read of a closed okta answer")
	}
	if b.left <= 0 {
		_ = b.Close()
		return 0, fmt.Errorf("okta answer larger than %d MiB: refusing to read more", maxBody>>20)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if err != nil && err != io.EOF {
		if b.late != nil {
			if late := b.late(); late != nil {
				err = late
			}
		}
		_ = b.Close()
	}
	return n, err
}
