package apply

import (
	"context"
	"fmt"

	"github.com/oktascim/oktascim/plan"
)

// runMappings carries out the plan's mappings step: the app user properties to add
// (the schema POST's answer verifies them), then each mapping's partial update (its
// answer verifies it); properties the file does not name are left alone. When the
// plan deferred the step (provisioning was off), the schema and mappings are read now
// and the plan decides.
func (r *runner) runMappings(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	st := ir.steps.Mappings
	if st.Deferred || ir.turnedOn {
		var err error
		if st, err = r.decideMappings(ctx, ir); err != nil {
			r.fail(ir, StepMappings, err, "")
			return
		}
	}
	if st.Missing != nil {
		r.fail(ir, StepMappings, st.Missing, "")
		return
	}
	var changes []plan.FieldChange
	if len(st.Add) > 0 {
		got, err := c.AddAppSchemaProperties(ctx, ir.app.ID, st.Add)
		if err == nil {
			err = st.VerifySchema(ir.in, got)
		}
		if err != nil {
			r.fail(ir, StepMappings, err, "")
			return
		}
		for _, name := range plan.SortedKeys(st.Add) {
			changes = append(changes, plan.FieldChange{Field: "appSchema." + name, Old: "", New: st.Add[name].Type})
		}
	}
	for _, w := range st.Writes {
		got, err := c.UpdateMapping(ctx, w.ID, w.Body)
		if err == nil {
			err = w.Verify(got)
		}
		if err != nil {
			r.fail(ir, StepMappings, err, "")
			return
		}
		changes = append(changes, w.Changes...)
	}
	m := ir.in.Mappings
	if len(changes) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepMappings, Outcome: Unchanged, AppID: ir.app.ID,
			Detail: fmt.Sprintf("as declared: %d to the app, %d to Okta", len(m.ToApp), len(m.ToOkta))})
		return
	}
	r.report(Event{Integration: ir.in.Name, Step: StepMappings, Outcome: Done, AppID: ir.app.ID, Changes: changes,
		Detail: "set and verified: " + plan.Summarize(changes)})
}

// decideMappings reads the app's schema (when toApp is declared) and its mappings, and
// lets the plan decide.
func (r *runner) decideMappings(ctx context.Context, ir *integrationRun) (plan.MappingsStep, error) {
	obs := ir.obs
	if err := r.observeMappings(ctx, ir.in, ir.app.ID, &obs); err != nil {
		return plan.MappingsStep{}, err
	}
	return plan.DecideMappings(ir.in, obs.Schema, obs.ToApp, obs.ToOkta), nil
}
