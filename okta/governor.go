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

// governor paces every request to one org. Okta counts requests per window and says
// so in X-Rate-Limit-Limit/-Remaining/-Reset on every answer. The governor keeps that
// budget per counter, counts its own requests in flight against it, and holds a
// request back (rather than send one it knows Okta would refuse) until the window
// ends. It leaves (1-share) of each window to other clients of the org, and caps
// concurrency well below Okta's concurrent-request limit.
//
// Which endpoints Okta counts together is not documented: the governor starts with
// one counter per endpoint group (bucketKey) and joins groups whose answers show one
// counter — a drop in Remaining our own requests to the group cannot explain, while
// the two groups' requests together can — and parts them again when the answers
// prove two counters (fewer counted than we sent to both).
//
// Nor is it documented whether a window starts on the clock or with the first
// request after the last one ended; in the second case its end falls between seconds
// and Reset (whole seconds) is up to a second late. The governor takes the earlier
// of Reset and (first answer of the window + the window's length), so a window is
// not followed by an idle second.
type governor struct {
	share  float64
	window time.Duration // the length of Okta's windows
	slots  chan struct{}
	now    func() time.Time

	mu     sync.Mutex
	groups map[string]*group
	// onHold, when set, is told before a request is held back for a window to end.
	onHold func(key string, wait time.Duration)
}

// group is one endpoint group (bucketKey) and what its answers said this window.
type group struct {
	c        *counter
	inFlight int
	limit    int
	window   int64 // the Reset of the window its answers came from
	answered int   // our answers counted in that window
	distinct map[*group]bool
}

// counter is one of Okta's rate-limit counters, as far as its answers tell.
type counter struct {
	limit, remaining int
	window           int64     // Okta's Reset (epoch seconds) of the current window
	ends             time.Time // when that window ends, on the local clock
	inFlight         int
	known            bool
	// rolled: the window was taken to have ended; the next answer says what is left.
	rolled bool
	// early: an estimated end was once too early (a 429 in the window); use Reset.
	early bool
	// rolledFrom is the end the window was taken to have, rolledAt when it was.
	rolledFrom, rolledAt time.Time
	// lag is how much later than Reset windows have been seen to end (Okta's clock
	// behind ours by less than Date can tell); once seen, a window taken as ended
	// gets one request until an answer confirms it.
	lag time.Duration
}

// unknownInFlight bounds requests to a counter before its first answer tells its budget.
const unknownInFlight = 2

func newGovernor(share float64, maxConcurrent int, window time.Duration) *governor {
	if share <= 0 || share > 1 || math.IsNaN(share) {
		share = DefaultRateShare
	}
	if maxConcurrent <= 0 {
		maxConcurrent = DefaultMaxConcurrent
	}
	if window <= 0 {
		window = DefaultRateWindow
	}
	return &governor{share: share, window: window, slots: make(chan struct{}, maxConcurrent), now: time.Now, groups: map[string]*group{}}
}

// DefaultRateShare is the part of each rate-limit window the tool uses by default.
const DefaultRateShare = 0.5

// DefaultMaxConcurrent caps requests in flight (Okta allows 75 concurrent requests on
// many plans; other clients and admins need their share).
const DefaultMaxConcurrent = 16

// DefaultRateWindow is the length of Okta's rate-limit windows: its limits are per
// minute.
const DefaultRateWindow = time.Minute

// bucketKey approximates Okta's endpoint groups; the answers' headers carry the truth.
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

func (g *governor) group(key string) *group {
	gr := g.groups[key]
	if gr == nil {
		gr = &group{c: &counter{}, distinct: map[*group]bool{}}
		g.groups[key] = gr
	}
	return gr
}

// acquire waits for a concurrency slot and room in the counter's budget. The returned
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
		gr := g.group(key)
		wait := g.admit(gr)
		if wait == 0 {
			g.mu.Unlock()
			sent := g.now()
			return func(resp *http.Response) { g.release(gr, resp, sent) }, waited, nil
		}
		g.mu.Unlock()
		<-g.slots // do not hold a slot while waiting
		if g.onHold != nil && wait >= time.Second {
			g.onHold(key, wait)
		}
		select {
		case <-ctx.Done():
			return nil, waited, ctx.Err()
		case <-time.After(wait):
			waited += wait
		}
	}
}

// admit counts a request to gr in flight, or says how long to wait before asking
// again. g.mu is held.
func (g *governor) admit(gr *group) time.Duration {
	c := gr.c
	now := g.now()
	if c.known && !now.Before(c.ends) {
		// The window has ended: Okta refills it (others may already have spent some;
		// the next answer says).
		c.rolledFrom, c.rolledAt = c.ends, now
		c.remaining, c.ends, c.rolled = c.limit, now.Add(g.window), true
	}
	switch {
	case !c.known && c.inFlight < unknownInFlight:
	case !c.known, c.rolled && c.lag > 0 && c.inFlight > 0:
		return 20 * time.Millisecond
	case c.remaining-c.inFlight > g.floor(c.limit):
	default:
		return c.ends.Sub(now) + 10*time.Millisecond
	}
	gr.inFlight++
	c.inFlight++
	return 0
}

// floor is how much of a window the tool leaves to others.
func (g *governor) floor(limit int) int {
	return int(math.Ceil(float64(limit) * (1 - g.share)))
}

func (g *governor) release(gr *group, resp *http.Response, sent time.Time) {
	g.mu.Lock()
	g.answered(gr, resp, sent)
	g.mu.Unlock()
	<-g.slots
}

// answered takes a request to gr, sent at sent, out of flight and learns what its
// answer (nil when there was none) says of the budget. g.mu is held.
func (g *governor) answered(gr *group, resp *http.Response, sent time.Time) {
	gr.inFlight--
	gr.c.inFlight--
	if resp == nil {
		return
	}
	limit, err1 := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Limit"))
	remaining, err2 := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Remaining"))
	reset, err3 := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || limit <= 0 || remaining < 0 {
		return
	}
	now := g.now()
	resetAt := localReset(resp.Header, reset, now)
	if limit := now.Add(maxResetWait); resetAt.After(limit) {
		resetAt = limit // no Okta window is longer: a reset years ahead is not waited for
	}
	refused := resp.StatusCode == http.StatusTooManyRequests
	if !refused {
		g.learn(gr, limit, remaining, reset)
	}
	c := gr.c
	// Sent after the window was taken to have ended, yet counted in it: it ends later
	// than taken. Go by Reset from now on, later by what this shows (doubling, so a
	// few probes find the lag; Date corrects more than 2 s).
	stale := c.rolled && reset == c.window && !sent.Before(c.rolledAt)
	if stale {
		c.early = true
		c.lag = min(max(2*c.lag, sent.Sub(c.rolledFrom)+100*time.Millisecond), 2*time.Second)
	}
	switch {
	case refused:
		// Nothing is left until the reset this answer names, whatever earlier
		// answers said.
		c.limit, c.remaining, c.window, c.ends, c.known, c.rolled = limit, 0, reset, resetAt.Add(c.lag), true, false
	case stale:
		c.limit, c.remaining, c.ends, c.rolled = limit, remaining, later(resetAt.Add(c.lag), now.Add(100*time.Millisecond)), false
	case !c.known || reset > c.window:
		// The first answer of a window: it ends by Reset, and, when it began with the
		// first request after the last one, one window's length after it began
		// (before this answer).
		ends := resetAt
		if at := now.Add(g.window); !c.early && at.Before(ends) {
			ends = at
		}
		c.limit, c.remaining, c.window, c.ends, c.known, c.rolled = limit, remaining, reset, ends.Add(c.lag), true, false
	case reset < c.window || c.rolled:
		// From a window that has ended.
	case remaining < c.remaining:
		// Answers arrive out of order: the lowest Remaining of a window is the
		// truth, whichever of the counter's endpoint groups it came from.
		c.limit, c.remaining = limit, remaining
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// learn keeps the group's count of our answers in the current window and joins or
// parts groups by what the count and Remaining say about which counter they share.
func (g *governor) learn(gr *group, limit, remaining int, reset int64) {
	if gr.window != reset || gr.limit != limit {
		gr.window, gr.limit, gr.answered = reset, limit, 0
	}
	gr.answered++
	used := limit - remaining
	// Answers to our requests in flight may be counted on either side of this one.
	slack := cap(g.slots)
	for _, o := range g.groups {
		if o == gr || o.limit != limit || o.window != reset || o.answered == 0 {
			continue
		}
		switch {
		case used+slack < gr.answered+o.answered:
			// One counter would have counted both groups' requests: two counters.
			gr.distinct[o], o.distinct[gr] = true, true
			if o.c == gr.c {
				g.part(gr, remaining)
			}
		case used > gr.answered+slack && o.c != gr.c && !gr.distinct[o]:
			// More counted than we sent to this group, and the other group's
			// requests can be why: count them together.
			g.join(gr.c, o.c)
		}
	}
}

// join makes b's groups count against a.
func (g *governor) join(a, b *counter) {
	for _, o := range g.groups {
		if o.c == b {
			o.c = a
		}
	}
	a.inFlight += b.inFlight
	a.early = a.early || b.early
	switch {
	case !b.known:
	case !a.known || b.window > a.window:
		a.limit, a.remaining, a.window, a.ends, a.known, a.rolled = b.limit, b.remaining, b.window, b.ends, true, b.rolled
	case b.window == a.window:
		a.remaining = min(a.remaining, b.remaining)
	}
}

// part gives gr a counter of its own again.
func (g *governor) part(gr *group, remaining int) {
	old := gr.c
	old.inFlight -= gr.inFlight
	gr.c = &counter{limit: old.limit, remaining: remaining, window: old.window, ends: old.ends, inFlight: gr.inFlight,
		known: old.known, early: old.early}
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
