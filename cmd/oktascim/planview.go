package main

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/oktascim/oktascim/plan"
)

// printPlan writes the plan for people: one header line per integration with its
// action, then one line per change, pending manual step and unreadable value.
func printPlan(w io.Writer, width int, p plan.Plan, orgURL string, color bool) {
	fmt.Fprintf(w, "Plan for %s (%d integration(s)):\n", orgURL, len(p.Integrations))
	for _, in := range p.Integrations {
		fmt.Fprintln(w)
		head := paint(color, actionColor[in.Action], fmt.Sprintf("%s %s", actionMark(in.Action), in.Action)) + "  " + in.Name
		switch {
		case in.Action == plan.Error:
			writeWrapped(w, width, head+": ", in.Error)
			continue
		case in.AppID != "":
			head += fmt.Sprintf("  %s %s %q", in.AppID, appKindName(in.AppName), in.Label)
		default:
			head += fmt.Sprintf("  %s %q", appKindName(in.AppName), in.Label)
		}
		if line := fmt.Sprintf("%s  (provisioning %s)", head, in.Provisioning); fits(line, width) {
			fmt.Fprintln(w, line)
		} else {
			fmt.Fprintf(w, "%s\n    (provisioning %s)\n", head, in.Provisioning)
		}
		for _, c := range in.Changes {
			writeWrapped(w, width, "    ", paint(color, changeColor(c), changeLine(c)))
		}
		for _, c := range in.Removals {
			fmt.Fprintf(w, "    %s  (--prune)\n", paint(color, red, changeLine(c)))
		}
		for _, k := range in.Kept {
			// Kept are only the org's group pushes the file does not name: assignments the
			// file does not name are read only with --prune, and then removed.
			fmt.Fprintf(w, "    = push.%s  (pushed in the org, not in the file: kept; --prune removes it)\n", strings.TrimPrefix(k, "push "))
		}
		for _, n := range in.Notes {
			writeWrapped(w, width, "    · ", n)
		}
		for _, m := range in.Manual {
			writeManual(w, width, "    ", paint(color, yellow, "! manual step pending:")+" ", m, false)
		}
		for _, u := range in.Unverifiable {
			writeWrapped(w, width, "    ? not readable: ", u)
		}
		for _, pr := range in.Problems {
			writeWrapped(w, width, "    "+paint(color, red, "✗ will fail:")+" ", pr)
		}
	}
	for _, a := range p.Prune {
		line := fmt.Sprintf("- delete  %s  %s %s %q", a.Integration, a.ID, a.AppName, a.Label)
		why := "(stamped by oktascim, no longer in the file; --prune)"
		if fits(line+"  "+why, width) {
			fmt.Fprintf(w, "\n%s  %s\n", line, why)
		} else {
			fmt.Fprintf(w, "\n%s\n    %s\n", line, why)
		}
	}
	fmt.Fprintln(w)
	s := p.Summary
	summary := fmt.Sprintf("%d to create, %d to adopt, %d to update, %d unchanged, %d to delete", s.Create, s.Adopt, s.Update, s.Unchanged, s.Delete)
	if s.Errors > 0 {
		summary += fmt.Sprintf(", %d cannot be planned", s.Errors)
	}
	if s.Failing > 0 {
		summary += fmt.Sprintf(", %d would fail (apply will not start them)", s.Failing)
	}
	writeWrapped(w, width, "Plan: ", summary+fmt.Sprintf("; %d change(s), %d manual step(s) pending.", p.Changes, p.Pending))
	if !p.HasChanges() && !p.HasErrors() {
		fmt.Fprintln(w, "No changes: the org matches the file.")
	}
}

var actionColor = map[plan.Action]string{plan.Create: green, plan.Adopt: yellow, plan.Update: yellow, plan.Error: red, plan.Unchanged: dim}

func changeColor(c plan.FieldChange) string {
	switch {
	case c.Old == "":
		return green
	case c.New == "":
		return red
	}
	return yellow
}

func actionMark(a plan.Action) string {
	switch a {
	case plan.Create:
		return "+"
	case plan.Adopt:
		return "&"
	case plan.Update:
		return "~"
	case plan.Error:
		return "!"
	}
	return "="
}

func changeLine(c plan.FieldChange) string {
	c.Field = plan.FileField(c.Field)
	switch {
	case c.Old == "":
		return fmt.Sprintf("+ %s: %s", c.Field, c.New)
	case c.New == "":
		return fmt.Sprintf("- %s: %s", c.Field, c.Old)
	}
	return fmt.Sprintf("~ %s: %s → %s", c.Field, c.Old, c.New)
}

// planDocument is the JSON form of a plan (docs/plan.schema.json).
type planDocument struct {
	Org string `json:"org"`
	plan.Plan
}

func writePlanDoc(w io.Writer, format string, p plan.Plan, orgURL string, code int) error {
	return writeDoc(w, format, "plan", code, planDocument{Org: orgURL, Plan: p})
}

// samePlan reports whether two plans say the same thing.
func samePlan(a, b plan.Plan) bool { return reflect.DeepEqual(a, b) }

// appKindName names the app's catalog template, or says it is a custom app.
func appKindName(appName string) string {
	if appName == "" {
		return "custom"
	}
	return appName
}
