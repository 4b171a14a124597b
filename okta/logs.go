package okta

import (
	"context"
	"fmt"
	"strings"
	"time"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
	"github.com/okta/okta-sdk-golang/v2/okta/query"
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
	Since     time.Time
	TargetID  string // app id
	EventType string
	Result    string // outcome.result, e.g. FAILURE
	Ascending bool   // oldest first (for polling); default newest first
	Limit     int    // per page; 0 → 100
	MaxPages  int    // 0 → 10
}

// Logs reads System Log events, newest first unless q.Ascending, following Link pages.
func (c *Client) Logs(ctx context.Context, q LogQuery) ([]LogEvent, error) {
	var filters []string
	if q.TargetID != "" {
		filters = append(filters, fmt.Sprintf("target.id eq %q", q.TargetID))
	}
	if q.EventType != "" {
		filters = append(filters, fmt.Sprintf("eventType eq %q", q.EventType))
	}
	if q.Result != "" {
		filters = append(filters, fmt.Sprintf("outcome.result eq %q", q.Result))
	}
	limit := int64(q.Limit)
	if limit == 0 {
		limit = 100
	}
	order := "DESCENDING"
	if q.Ascending {
		order = "ASCENDING"
	}
	opts := []query.ParamOptions{query.WithSortOrder(order), query.WithLimit(limit)}
	if !q.Since.IsZero() {
		opts = append(opts, query.WithSince(q.Since.UTC().Format("2006-01-02T15:04:05.000Z")))
	}
	if len(filters) > 0 {
		opts = append(opts, query.WithFilter(strings.Join(filters, " and ")))
	}
	events, resp, err := c.sdk.LogEvent.GetLogs(ctx, query.NewQueryParams(opts...))
	if err != nil {
		return nil, apiError("read the System Log", resp, err)
	}
	maxPages := q.MaxPages
	if maxPages <= 0 {
		maxPages = 10
	}
	var out []LogEvent
	pages := c.pager()
	for page := 1; ; page++ {
		for _, e := range events {
			out = append(out, logEventFromSDK(e))
		}
		if len(events) == 0 || page >= maxPages {
			return out, nil
		}
		if more, err := pages.more(resp); err != nil || !more {
			return out, apiError("read the System Log", nil, err)
		}
		events = nil
		if resp, err = resp.Next(ctx, &events); err != nil {
			return nil, apiError("read the System Log", resp, err)
		}
	}
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
