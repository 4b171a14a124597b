package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/plan"
)

// reportVersion is the version of the JSON document shape.
const reportVersion = 1

// stepPrinter prints each step as it completes: one line per step in text mode, with
// manual steps spelled out below it; nothing until the end in JSON mode.
type stepPrinter struct {
	w     io.Writer
	json  bool
	width int
}

func newStepPrinter(w io.Writer, jsonOut bool, names []string) *stepPrinter {
	width := 0
	for _, n := range names {
		if len(n) > width {
			width = len(n)
		}
	}
	return &stepPrinter{w: w, json: jsonOut, width: width}
}

func (p *stepPrinter) Step(e apply.Event) {
	if p.json {
		return
	}
	fmt.Fprintf(p.w, "%-*s  %-12s  %-9s  %s\n", p.width, e.Integration, e.Step, e.Outcome, e.Detail)
	indent := strings.Repeat(" ", p.width+2)
	for _, c := range e.Changes {
		_ = c // the detail already summarizes the changes
	}
	if e.Manual != nil {
		p.manual(indent, e.Manual)
	}
	for _, l := range e.SystemLog {
		fmt.Fprintf(p.w, "%s  System Log %s  %s  %s  %s\n", indent, l.Time.Format("2006-01-02T15:04:05Z07:00"), l.EventType, l.Outcome, l.Reason)
	}
	for _, w := range e.Warnings {
		fmt.Fprintf(p.w, "%s  warning: %s\n", indent, w)
	}
	if e.Hint != "" {
		fmt.Fprintf(p.w, "%s  hint: %s\n", indent, e.Hint)
	}
}

func (p *stepPrinter) manual(indent string, m *apply.ManualStep) {
	fmt.Fprintf(p.w, "%s  ── manual step: %s\n", indent, m.Title)
	fmt.Fprintf(p.w, "%s     link: %s\n", indent, m.Link)
	for i, a := range m.Actions {
		fmt.Fprintf(p.w, "%s     %d. %s\n", indent, i+1, a)
	}
	width := 0
	for _, f := range m.Fields {
		if len(f.Name) > width {
			width = len(f.Name)
		}
	}
	for _, f := range m.Fields {
		fmt.Fprintf(p.w, "%s        %-*s  %s\n", indent, width, f.Name+":", f.Value)
	}
	fmt.Fprintf(p.w, "%s     then: %s\n", indent, m.Verify)
}

// summary is the closing line (text) or the whole document (JSON).
func (p *stepPrinter) summary(command string, res apply.Result, integrations int, shown *plan.Plan) error {
	if p.json {
		events := res.Events
		if events == nil {
			events = []apply.Event{}
		}
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Version  int           `json:"version"`
			Command  string        `json:"command"`
			Plan     *plan.Plan    `json:"plan,omitempty"`
			Events   []apply.Event `json:"events"`
			ExitCode int           `json:"exitCode"`
			Result   string        `json:"result"`
		}{reportVersion, command, shown, events, res.Code, resultWord(res.Code)})
	}
	noun := "integration(s)"
	if command == "destroy" {
		noun = "app(s)"
	}
	fmt.Fprintf(p.w, "%s: %d %s: %s (exit %d)\n", command, integrations, noun, resultWord(res.Code), res.Code)
	return nil
}

func resultWord(code int) string {
	switch code {
	case exitcode.OK:
		return "all verified"
	case exitcode.ManualPending:
		return "manual steps pending — do them, then run again (or use --wait)"
	case exitcode.ConnectionFailed:
		return "connection test failed"
	case exitcode.AuthRefused:
		return "Okta refused the credentials or the permission"
	case exitcode.Interrupted:
		return "interrupted; run again to resume"
	}
	return "failed"
}
