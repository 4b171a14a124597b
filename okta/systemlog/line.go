package systemlog

import (
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/okta"
)

// Line is an event as one line of text — time (UTC), event type, outcome, reason, who
// acted — the one rendering for `oktascim logs` and the System Log lines under a step.
func Line(e okta.LogEvent) string {
	line := fmt.Sprintf("%s  %-45s  %-8s", e.Published.UTC().Format("2006-01-02T15:04:05Z"), e.EventType, e.Result)
	if e.Reason != "" {
		line += "  " + e.Reason
	}
	if e.Actor != "" {
		line += "  (by " + e.Actor + ")"
	}
	return strings.TrimRight(line, " ")
}
