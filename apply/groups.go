package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/plan"
)

// runGroups carries out the plan's groups step: assign the declared groups the app
// lacks, and with --prune remove the ones the file does not name.
func (r *runner) runGroups(ctx context.Context, ir *integrationRun) {
	st, c := ir.steps.Groups, r.opts.Client
	if st.Unchanged() {
		detail := "assigned: " + strings.Join(st.Declared, ", ")
		switch {
		case len(ir.in.Groups) == 0 && !r.opts.Prune:
			detail = "no groups declared"
		case len(ir.in.Groups) == 0:
			detail = "no groups declared, none assigned"
		}
		r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	}
	var done []string
	var changes []plan.FieldChange
	for _, g := range st.Assign {
		got, err := c.AssignGroup(ctx, ir.app.ID, g.ID)
		if err == nil {
			err = st.VerifyAssigned(g, got.ID) // the PUT answers the assignment
		}
		if err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		done = append(done, "assigned "+g.Name)
		changes = append(changes, plan.FieldChange{Field: "groups", Old: "", New: g.Name})
	}
	for _, g := range st.Remove {
		if err := c.UnassignGroup(ctx, ir.app.ID, g.ID); err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
		done = append(done, "removed "+g.Name+" (--prune)")
		changes = append(changes, plan.FieldChange{Field: "groups", Old: g.Name, New: ""})
	}
	if len(st.Remove) > 0 {
		// A removal answers nothing: read the assignments again.
		have, err := c.AppGroupIDs(ctx, ir.app.ID)
		if err == nil {
			err = st.VerifyRemoved(have)
		} else {
			err = fmt.Errorf("re-reading group assignments to verify them: %w", err)
		}
		if err != nil {
			r.fail(ir, StepGroups, err, "")
			return
		}
	}
	r.report(Event{Integration: ir.in.Name, Step: StepGroups, Outcome: Done, AppID: ir.app.ID, Changes: changes, Detail: strings.Join(done, ", ") + "; verified"})
}
