package systemlog

import (
	"context"
	"time"

	"github.com/oktascim/oktascim/okta"
)

// Query selects an app's events.
type Query struct {
	AppID    string
	Since    time.Time
	Failures bool // only outcome FAILURE
	Limit    int  // most events to return; 0 → 100
}

func (q Query) okta(ascending bool) okta.LogQuery {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	lq := okta.LogQuery{Since: q.Since, TargetID: q.AppID, Ascending: ascending, Limit: min(limit, 1000), MaxPages: (limit + 999) / 1000}
	if limit < 1000 {
		// Small pages, so that a short listing still exercises Link paging as Okta does.
		lq.Limit, lq.MaxPages = min(limit, 100), (limit+99)/100
	}
	if q.Failures {
		lq.Result = "FAILURE"
	}
	return lq
}

// appsPerRead bounds the app ids in one System Log filter, so that the URL stays
// well under what proxies accept (about 40 characters each).
const appsPerRead = 50

// ByApp returns the events on each of the apps since since, newest first: one read
// per 50 apps (the filter ORs their ids), not one per app.
func ByApp(ctx context.Context, c *okta.Client, appIDs []string, since time.Time) (map[string][]okta.LogEvent, error) {
	out := map[string][]okta.LogEvent{}
	for _, id := range appIDs {
		out[id] = nil
	}
	for start := 0; start < len(appIDs); start += appsPerRead {
		ids := appIDs[start:min(start+appsPerRead, len(appIDs))]
		events, err := c.Logs(ctx, okta.LogQuery{Since: since, TargetIDs: ids, Limit: 1000, MaxPages: 10})
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			for _, t := range e.TargetIDs {
				if evs, ok := out[t]; ok {
					out[t] = append(evs, e)
				}
			}
		}
	}
	return out, nil
}

// newestPages bounds the shared read of NewestByApp: past it, the apps of the read still
// without an event have fewer recent ones than the others, and one read each (a single
// event) costs less than paging through everyone else's.
const newestPages = 2

// NewestByApp returns each app's newest event of eventType since since (apps without
// one are absent): one read per 50 apps (the filter ORs their ids), paging on only
// while an app of the read has no event yet and the log has more, up to newestPages
// pages; an app still without one then is read on its own (one event).
func NewestByApp(ctx context.Context, c *okta.Client, appIDs []string, eventType string, since time.Time) (map[string]okta.LogEvent, error) {
	out := map[string]okta.LogEvent{}
	for start := 0; start < len(appIDs); start += appsPerRead {
		ids := appIDs[start:min(start+appsPerRead, len(appIDs))]
		missing := map[string]bool{}
		for _, id := range ids {
			missing[id] = true
		}
		pages, cut := 0, false
		err := c.LogPages(ctx, okta.LogQuery{Since: since, TargetIDs: ids, EventType: eventType, Limit: 1000, MaxPages: newestPages + 1},
			func(page []okta.LogEvent) bool {
				pages++
				for _, e := range page { // newest first
					for _, t := range e.TargetIDs {
						if missing[t] {
							out[t] = e
							delete(missing, t)
						}
					}
				}
				cut = len(missing) > 0 && len(page) > 0 && pages == newestPages
				return len(missing) > 0 && !cut
			})
		if err != nil {
			return nil, err
		}
		if !cut {
			continue // the log has nothing more for the rest
		}
		for _, id := range ids {
			if !missing[id] {
				continue
			}
			events, err := c.Logs(ctx, okta.LogQuery{Since: since, TargetID: id, EventType: eventType, Limit: 1, MaxPages: 1})
			if err != nil {
				return nil, err
			}
			if len(events) > 0 {
				out[id] = events[0]
			}
		}
	}
	return out, nil
}

// Recent returns the app's events since q.Since, newest first, following Link pages up
// to q.Limit events.
func Recent(ctx context.Context, c *okta.Client, q Query) ([]okta.LogEvent, error) {
	events, err := c.Logs(ctx, q.okta(false))
	if limit := max(q.Limit, 0); err == nil && limit > 0 && len(events) > limit {
		events = events[:limit]
	}
	return events, err
}

// Follow polls for the app's new events every interval, oldest first, like tail -f,
// until ctx ends (then it returns nil). Each poll asks only for what is newer than the
// last event seen; events sharing its timestamp are told apart by uuid. When Okta
// answered 429 during a poll, the interval doubles (up to a minute) so that following
// never competes with the tool's other work for the org's rate limit.
func Follow(ctx context.Context, c *okta.Client, q Query, interval time.Duration, emit func(okta.LogEvent)) error {
	since := q.Since
	seen := map[string]bool{}
	for {
		before := c.Stats().RateLimited
		lq := q.okta(true)
		lq.Since, lq.MaxPages = since, 10
		events, err := c.Logs(ctx, lq)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		for _, e := range events {
			if seen[e.UUID] {
				continue
			}
			emit(e)
			if e.Published.After(since) {
				since, seen = e.Published, map[string]bool{}
			}
			seen[e.UUID] = true
		}
		if c.Stats().RateLimited > before && interval < time.Minute {
			interval = min(2*interval, time.Minute)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(interval):
		}
	}
}
