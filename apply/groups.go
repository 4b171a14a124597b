package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/plan"
)

// ensureGroups assigns the declared groups. Groups assigned in the org but not named
// in the file are left alone.
func (r *runner) ensureGroups(ctx context.Context, ir *integrationRun) {
	if len(ir.in.Groups) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Unchanged, AppID: ir.app.ID, Detail: "no groups declared"})
		return
	}
	c := r.opts.Client
	ids := make([]string, 0, len(ir.in.Groups))
	names := map[string]string{}
	for _, name := range ir.in.Groups {
		g, matches, err := c.FindGroup(ctx, name)
		if err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		switch {
		case len(matches) == 0:
			r.fail(ir, StepGroups, fmt.Errorf("group %q does not exist in the org", name), "create it (Directory > Groups) or fix the name in the file; names are matched exactly")
			return
		case len(matches) > 1:
			r.fail(ir, StepGroups, fmt.Errorf("%d groups are named %q", len(matches), name), "rename all but one")
			return
		}
		ids = append(ids, g.ID)
		names[g.ID] = name
	}
	have, err := c.AppGroupIDs(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepGroups, err, "")
		return
	}
	missing := plan.Missing(ids, have)
	if len(missing) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Unchanged, AppID: ir.app.ID, Detail: "assigned: " + strings.Join(ir.in.Groups, ", ")})
		return
	}
	var assigned []string
	var changes []plan.FieldChange
	for _, id := range missing {
		if err := c.AssignGroup(ctx, ir.app.ID, id); err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		assigned = append(assigned, names[id])
		changes = append(changes, plan.FieldChange{Field: "groups", Old: "", New: names[id]})
	}
	have, err = c.AppGroupIDs(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepGroups, fmt.Errorf("re-reading group assignments to verify them: %w", err), "")
		return
	}
	if left := plan.Missing(ids, have); len(left) > 0 {
		r.fail(ir, StepGroups, fmt.Errorf("Okta does not show the assignment of group(s) %s after assigning them", strings.Join(left, ", ")), "")
		return
	}
	r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Done, AppID: ir.app.ID, Changes: changes, Detail: "assigned and verified: " + strings.Join(assigned, ", ")})
}
