package main

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/okta/systemlog"
	"github.com/oktascim/oktascim/plan"
)

// reportVersion is the version of every document's shape (docs/output.md): one number
// for the tool's output, raised with the plan's (2: its manual steps became objects).
const reportVersion = plan.PlanVersion

// stepPrinter prints each step as it completes: one line per step in text mode, with
// manual steps spelled out below it; nothing until the end in JSON mode. Integrations
// run concurrently, so lines come in order of completion, each prefixed by its
// integration; a block (a manual step) is never interleaved with another.
type stepPrinter struct {
	w      io.Writer
	json   bool
	format string // json or yaml when json is set
	width  int
	color  bool

	mu       sync.Mutex
	progress io.Writer // a terminal for the progress line, or nil
	total    int
	finished []string // in order of completion
	failed   map[string]bool
	warned   *warnings // each warning once per run (the document keeps them all)
	wrap     int       // the width to wrap text to; 0: not a terminal, one line each
}

// stepPrinter is the printer for this command's -o and terminal.
func (f *factory) stepPrinter(names []string) *stepPrinter {
	p := newStepPrinter(f.io.Out, f.structured(), names)
	p.format, p.color, p.warned, p.wrap = f.output, f.colors(), &f.warned, f.width(true)
	return p
}

func newStepPrinter(w io.Writer, jsonOut bool, names []string) *stepPrinter {
	width := 0
	for _, n := range names {
		if len(n) > width {
			width = len(n)
		}
	}
	return &stepPrinter{w: w, json: jsonOut, width: width, total: len(names), failed: map[string]bool{}}
}

// withProgress draws a progress line on a terminal (stderr), below the results.
func (p *stepPrinter) withProgress(tty io.Writer) *stepPrinter {
	if !p.json && p.total > 1 {
		p.progress = tty
	}
	return p
}

// Finished counts an integration as done (apply.Options.Finished).
func (p *stepPrinter) Finished(name string, code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = append(p.finished, name)
	if code != exitcode.OK {
		p.failed[name] = true
	}
	p.drawProgress()
}

func (p *stepPrinter) drawProgress() {
	if p.progress == nil {
		return
	}
	const width = 30
	done := len(p.finished) * width / p.total
	fmt.Fprintf(p.progress, "%s[%s%s] %d/%d integrations", redact.EraseLine, strings.Repeat("#", done), strings.Repeat(".", width-done), len(p.finished), p.total)
	flush(p.progress)
}

func (p *stepPrinter) clearProgress() {
	if p.progress != nil {
		fmt.Fprint(p.progress, redact.EraseLine)
		flush(p.progress)
	}
}

func flush(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
}

func (p *stepPrinter) Step(e apply.Event) {
	if p.json {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearProgress()
	defer p.drawProgress()
	defer flush(p.w)
	writeWrapped(p.w, p.wrap, fmt.Sprintf("%-*s  %-12s  %s  ", p.width, e.Integration, e.Step, paint(p.color, outcomeColor[e.Outcome], fmt.Sprintf("%-9s", e.Outcome))), e.Detail)
	indent := strings.Repeat(" ", min(p.width+2, 20))
	if e.Manual != nil {
		p.manual(indent, e.Manual)
	}
	for _, l := range e.SystemLog {
		writeWrapped(p.w, p.wrap, indent+"  System Log ", systemlog.Line(l.Event()))
	}
	for _, w := range e.Warnings {
		if p.warned == nil || p.warned.once(w) {
			writeWrapped(p.w, p.wrap, indent+"  warning: ", w)
		}
	}
	if e.Hint != "" {
		writeWrapped(p.w, p.wrap, indent+"  hint: ", e.Hint)
	}
}

func (p *stepPrinter) manual(indent string, m *plan.ManualStep) {
	writeManual(p.w, p.wrap, indent+"  ", "── manual step: ", *m, true)
}

// writeManual prints a manual step below head (at indent): its link, then — for apply,
// which asks for it now — the numbered actions, then the values to enter, then how it
// is verified. The plan, which only lists it as pending, prints the title, link,
// condition and values: the same step, the same lines.
func writeManual(w io.Writer, wrap int, indent, head string, m plan.ManualStep, actions bool) {
	writeWrapped(w, wrap, indent+head, m.Title)
	link := m.Link
	if link == "" {
		link = "(known once apply creates the app)"
	}
	writeWrapped(w, wrap, indent+"   link: ", link)
	if m.When != "" {
		writeWrapped(w, wrap, indent+"   only if: ", m.When)
	}
	if actions {
		for i, a := range m.Actions {
			writeWrapped(w, wrap, fmt.Sprintf("%s   %d. ", indent, i+1), a)
		}
	}
	width := 0
	for _, f := range m.Fields {
		if len(f.Name)+1 > width {
			width = len(f.Name) + 1 // and its colon
		}
	}
	for _, f := range m.Fields {
		// A value is typed into the console as it is: never broken; a long one goes on
		// the line below its name instead of past column 80.
		line := fmt.Sprintf("%s      %-*s  %s", indent, width, f.Name+":", f.Value)
		if !fits(line, wrap) {
			writeWrapped(w, wrap, indent+"      ", f.Name+":")
			if strings.HasPrefix(f.Value, "(") { // a description, such as (sensitive: …), not a value to type
				writeWrapped(w, wrap, indent+"        ", f.Value)
			} else {
				fmt.Fprintf(w, "%s        %s\n", indent, f.Value)
			}
			continue
		}
		fmt.Fprintln(w, line)
	}
	if actions {
		writeWrapped(w, wrap, indent+"   then: ", m.Verify)
	}
}

// summary is the closing line (text) or the whole document (JSON).
func (p *stepPrinter) summary(command string, res apply.Result, integrations int, shown *plan.Plan) error {
	if p.json {
		events := res.Events
		if events == nil {
			events = []apply.Event{}
		}
		return writeDoc(p.w, p.format, command, res.Code, struct {
			Plan   *plan.Plan    `json:"plan,omitempty"`
			Events []apply.Event `json:"events"`
			Result string        `json:"result"`
		}{shown, events, resultWord(res.Code)})
	}
	noun := "integration(s)"
	if command == "destroy" {
		noun = "app(s)"
	}
	p.mu.Lock()
	p.clearProgress()
	p.progress = nil
	p.mu.Unlock()
	if res.Code == exitcode.Interrupted {
		var ok, stopped []string
		for _, n := range p.finished {
			if p.failed[n] {
				stopped = append(stopped, n)
			} else {
				ok = append(ok, n)
			}
		}
		fmt.Fprintf(p.w, "interrupted: done: %s; stopped in flight: %s; not started: %s\n", listOrNone(ok), listOrNone(stopped), listOrNone(res.NotStarted))
	}
	fmt.Fprintf(p.w, "%s: %d %s: %s (exit %d)\n", command, integrations, noun, resultWord(res.Code), res.Code)
	return nil
}

var outcomeColor = map[apply.Outcome]string{apply.Done: green, apply.Unchanged: dim, apply.Manual: yellow,
	apply.Waiting: yellow, apply.Failed: red, apply.Skipped: dim, apply.Interrupted: yellow, apply.NotStarted: dim}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
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
	case exitcode.Invalid:
		return "invalid input or flags; nothing was changed"
	case exitcode.Changes:
		return "changes pending"
	}
	return "failed"
}
