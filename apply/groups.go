package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/plan"
)

// ensureGroups assigns the declared groups. Groups assigned in the org but not named
// in the file are left alone, unless Prune asks to remove them.
func (r *runner) ensureGroups(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	ids := make([]string, 0, len(ir.in.Groups))
	names := map[string]string{}
	for _, name := range ir.in.Groups {
		g, err := r.findGroup(ctx, name)
		if err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		if err := g.problem(name); err != nil {
			hint := "create it (Directory > Groups) or fix the name in the file; names are matched exactly"
			if g.count > 1 {
				hint = "rename all but one"
			}
			r.fail(ir, StepGroups, err, hint)
			return
		}
		ids = append(ids, g.id)
		names[g.id] = name
	}
	if len(ids) == 0 && !r.opts.Prune {
		r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Unchanged, AppID: ir.app.ID, Detail: "no groups declared"})
		return
	}
	var have []string
	if !ir.created { // an app created a moment ago has no assignments
		var err error
		if have, err = c.AppGroupIDs(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
	}
	missing := plan.Missing(ids, have)
	var extra []string
	if r.opts.Prune {
		extra = plan.Missing(have, ids)
	}
	if len(missing) == 0 && len(extra) == 0 {
		detail := "assigned: " + strings.Join(ir.in.Groups, ", ")
		if len(ids) == 0 {
			detail = "no groups declared, none assigned"
		}
		r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	}
	var done []string
	var changes []plan.FieldChange
	for _, id := range missing {
		if _, err := c.AssignGroup(ctx, ir.app.ID, id); err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		done = append(done, "assigned "+names[id])
		changes = append(changes, plan.FieldChange{Field: "groups", Old: "", New: names[id]})
	}
	for _, id := range extra {
		name, err := r.groupName(ctx, id)
		if err != nil {
			name = id
		}
		if err := c.UnassignGroup(ctx, ir.app.ID, id); err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		done = append(done, "removed "+name+" (--prune)")
		changes = append(changes, plan.FieldChange{Field: "groups", Old: name, New: ""})
	}
	have, err := c.AppGroupIDs(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepGroups, fmt.Errorf("re-reading group assignments to verify them: %w", err), "")
		return
	}
	if left := plan.Missing(ids, have); len(left) > 0 {
		r.fail(ir, StepGroups, fmt.Errorf("Okta does not show the assignment of group(s) %s after assigning them", strings.Join(left, ", ")), "")
		return
	}
	if still := intersect(extra, have); len(still) > 0 {
		r.fail(ir, StepGroups, fmt.Errorf("Okta still shows group(s) %s assigned after removing them", strings.Join(still, ", ")), "")
		return
	}
	r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Done, AppID: ir.app.ID, Changes: changes, Detail: strings.Join(done, ", ") + "; verified"})
}

func intersect(a, b []string) []string {
	set := map[string]bool{}
	for _, x := range b {
		set[x] = true
	}
	var out []string
	for _, x := range a {
		if set[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}
