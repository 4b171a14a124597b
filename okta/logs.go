package okta

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
)

// LogEvent is one System Log event, reduced to what an admin reads.
type LogEvent struct {
	UUID           string
	Published      time.Time
	EventType      string
	Result         string // SUCCESS | FAILURE | …
	Reason         string
	Actor          string
	DisplayMessage string
	TargetIDs      []string
}

// Failed reports a failure outcome.
func (e LogEvent) Failed() bool { return e.Result == "FAILURE" || e.Result == "DENY" }

// LogQuery selects System Log events.
type LogQuery struct {
	Since    time.Time
	TargetID string // app id
	// TargetIDs selects events on any of these (Okta's filter takes `or`).
	TargetIDs []string
	EventType string
	Result    string // outcome.result, e.g. FAILURE
	Ascending bool   // oldest first (for polling); default newest first
	Limit     int    // per page; 0 → 100
	MaxPages  int    // 0 → 10
}

// Logs reads System Log events, newest first unless q.Ascending, following Link pages.
func (c *Client) Logs(ctx context.Context, q LogQuery) ([]LogEvent, error) {
	var out []LogEvent
	err := c.LogPages(ctx, q, func(page []LogEvent) bool {
		out = append(out, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LogPages reads System Log events page by page as Logs does, giving each page to
// each; each returns false to read no further page (a caller that has what it needs).
func (c *Client) LogPages(ctx context.Context, q LogQuery, each func(page []LogEvent) bool) error {
	var filters []string
	if q.TargetID != "" {
		filters = append(filters, fmt.Sprintf("target.id eq %q", q.TargetID))
	}
	if len(q.TargetIDs) > 0 {
		either := make([]string, len(q.TargetIDs))
		for i, id := range q.TargetIDs {
			either[i] = fmt.Sprintf("target.id eq %q", id)
		}
		filters = append(filters, "("+strings.Join(either, " or ")+")")
	}
	if q.EventType != "" {
		filters = append(filters, fmt.Sprintf("eventType eq %q", q.EventType))
	}
	if q.Result != "" {
		filters = append(filters, fmt.Sprintf("outcome.result eq %q", q.Result))
	}
	limit := q.Limit
	if limit == 0 {
		limit = 100
	}
	order := "DESCENDING"
	if q.Ascending {
		order = "ASCENDING"
	}
	params := url.Values{"sortOrder": {order}, "limit": {strconv.Itoa(limit)}}
	if !q.Since.IsZero() {
		params.Set("since", q.Since.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if len(filters) > 0 {
		params.Set("filter", strings.Join(filters, " and "))
	}
	maxPages := q.MaxPages
	if maxPages <= 0 {
		maxPages = 10
	}
	maxPages = min(maxPages, maxLogPages)
	pages := 0
	l := listing{op: "read the System Log", what: "System Log events", path: "/api/v1/logs?" + params.Encode(), maxPages: maxPages}
	return readList(ctx, c, l, func(events []*sdk.LogEvent) bool {
		pages++
		page := make([]LogEvent, 0, len(events))
		for _, e := range events {
			if e != nil {
				page = append(page, logEventFromSDK(e))
			}
		}
		// The log's last page still links to a next one (for polling): stop at an
		// empty page or the caller's bound.
		return each(page) && len(events) > 0 && pages < maxPages
	})
}

func logEventFromSDK(e *sdk.LogEvent) LogEvent {
	out := LogEvent{UUID: e.Uuid, EventType: e.EventType, DisplayMessage: e.DisplayMessage}
	if e.Published != nil {
		out.Published = *e.Published
	}
	if e.Outcome != nil {
		out.Result, out.Reason = e.Outcome.Result, e.Outcome.Reason
	}
	if e.Actor != nil {
		out.Actor = e.Actor.AlternateId
		if out.Actor == "" {
			out.Actor = e.Actor.DisplayName
		}
	}
	for _, t := range e.Target {
		if t != nil {
			out.TargetIDs = append(out.TargetIDs, t.Id)
		}
	}
	return out
}
