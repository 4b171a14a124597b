package okta

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// governor paces every request to one org. Okta counts requests per endpoint bucket
// per window and says so in X-Rate-Limit-Limit/-Remaining/-Reset on every answer; the
// governor keeps that budget per bucket, counts its own requests in flight against it,
// and holds a request back (rather than send one it knows Okta would refuse) until the
// window resets. It leaves (1-share) of each window to other clients of the org, and
// caps concurrency well below Okta's concurrent-request limit.
type governor struct {
	share float64
	slots chan struct{}
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*budget
}

type budget struct {
	limit, remaining int
	reset            time.Time // local clock
	inFlight         int
	known            bool
	// rolled: the window was assumed to reset; the next answer says what it is.
	rolled bool
}

// unknownInFlight bounds requests to a bucket before its first answer tells its budget.
const unknownInFlight = 2

func newGovernor(share float64, maxConcurrent int) *governor {
	if share <= 0 || share > 1 {
		share = DefaultRateShare
	}
	if maxConcurrent <= 0 {
		maxConcurrent = DefaultMaxConcurrent
	}
	return &governor{share: share, slots: make(chan struct{}, maxConcurrent), now: time.Now, buckets: map[string]*budget{}}
}

// DefaultRateShare is the part of each rate-limit window the tool uses by default.
const DefaultRateShare = 0.5

// DefaultMaxConcurrent caps requests in flight (Okta allows 75 concurrent requests on
// many plans; other clients and admins need their share).
const DefaultMaxConcurrent = 16

// bucketKey approximates Okta's endpoint buckets; the answers' headers carry the truth.
func bucketKey(method, path string) string {
	p := strings.TrimRight(path, "/")
	switch {
	case p == "/api/v1/apps":
		return method + " /api/v1/apps"
	case strings.HasPrefix(p, "/api/v1/apps/"):
		return "/api/v1/apps/{id}"
	case strings.HasPrefix(p, "/api/v1/groups"):
		return "/api/v1/groups"
	case strings.HasPrefix(p, "/api/v1/logs"):
		return "/api/v1/logs"
	case strings.HasPrefix(p, "/api/v1/users"):
		return "/api/v1/users"
	}
	return "/api/v1"
}

// acquire waits for a concurrency slot and room in the bucket's budget. The returned
// release must be called with the answer (nil when there was none).
func (g *governor) acquire(ctx context.Context, key string) (func(*http.Response), time.Duration, error) {
	var waited time.Duration
	for {
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, waited, ctx.Err()
		}
		g.mu.Lock()
		b := g.buckets[key]
		if b == nil {
			b = &budget{}
			g.buckets[key] = b
		}
		now := g.now()
		if b.known && !now.Before(b.reset) {
			// A new window: Okta has refilled it (others may already have spent some;
			// the next answer says).
			b.remaining, b.reset, b.rolled = b.limit, now.Add(time.Second), true
		}
		var wait time.Duration
		switch {
		case !b.known && b.inFlight < unknownInFlight:
		case !b.known:
			wait = 20 * time.Millisecond
		case b.remaining-b.inFlight > g.floor(b.limit):
		default:
			wait = b.reset.Sub(now) + 50*time.Millisecond
		}
		if wait == 0 {
			b.inFlight++
			g.mu.Unlock()
			return func(resp *http.Response) { g.release(key, resp) }, waited, nil
		}
		g.mu.Unlock()
		<-g.slots // do not hold a slot while waiting
		select {
		case <-ctx.Done():
			return nil, waited, ctx.Err()
		case <-time.After(wait):
			waited += wait
		}
	}
}

// floor is how much of a window the tool leaves to others.
func (g *governor) floor(limit int) int {
	return int(math.Ceil(float64(limit) * (1 - g.share)))
}

func (g *governor) release(key string, resp *http.Response) {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer func() { <-g.slots }()
	b := g.buckets[key]
	b.inFlight--
	if resp == nil {
		return
	}
	limit, err1 := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Limit"))
	remaining, err2 := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Remaining"))
	reset, err3 := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || limit <= 0 {
		return
	}
	resetAt := localReset(resp.Header, reset, g.now())
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// Refused: nothing is left until the reset this answer names, whatever
		// earlier answers said.
		b.limit, b.remaining, b.reset, b.known, b.rolled = limit, 0, resetAt, true, false
	case !b.known || b.rolled || resetAt.After(b.reset.Add(time.Second)):
		// First answer, or one from a newer window.
		b.limit, b.remaining, b.reset, b.known, b.rolled = limit, remaining, resetAt, true, false
	case remaining < b.remaining:
		// Answers arrive out of order: the lowest remaining of a window is the truth.
		b.limit, b.remaining = limit, remaining
	}
}

// localReset converts Okta's reset time (epoch seconds) to the local clock. Date has
// whole seconds only, so a clock within two seconds of the server's is trusted as it
// is; a clock further off is corrected by the difference.
func localReset(h http.Header, reset int64, now time.Time) time.Time {
	at := time.Unix(reset, 0)
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return at
	}
	if skew := now.Sub(d); skew > 2*time.Second || skew < -2*time.Second {
		return at.Add(skew)
	}
	return at
}
