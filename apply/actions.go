package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// ensureActions sets the "To App" actions through the features API and checks the
// Integration checkboxes (push groups, import) that only the console can set.
func (r *runner) ensureActions(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	features, err := c.Features(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepActions, err, "")
		return
	}
	have, ok := okta.UserProvisioningOf(features)
	if !ok {
		r.fail(ir, StepActions, errors.New("Okta lists no USER_PROVISIONING feature for the app"), "")
		return
	}
	want := plan.WantUserProvisioning(ir.in.Provisioning)
	changes := plan.UserProvisioningChanges(want, have)
	if len(changes) > 0 {
		if _, err := c.UpdateUserProvisioning(ctx, ir.app.ID, want); err != nil {
			r.fail(ir, StepActions, err, "")
			return
		}
		features, err := c.Features(ctx, ir.app.ID)
		if err != nil {
			r.fail(ir, StepActions, fmt.Errorf("re-reading the provisioning actions to verify them: %w", err), "")
			return
		}
		got, _ := okta.UserProvisioningOf(features)
		if left := plan.UserProvisioningChanges(want, got); len(left) > 0 {
			r.fail(ir, StepActions, fmt.Errorf("Okta did not keep the provisioning actions: %s", plan.Summarize(left)), "")
			return
		}
	}
	// Push groups and import are checkboxes of the API integration: the app's
	// read-only features list shows them; no API sets them.
	p := ir.in.Provisioning
	app, err := c.GetApp(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepActions, err, "")
		return
	}
	ir.app = app
	console := plan.IntegrationActionChanges(p.PushGroups, p.ImportUsers, app)
	if len(console) == 0 {
		outcome, detail := Unchanged, "as declared: "+actionsText(want, p.PushGroups, p.ImportUsers)
		if len(changes) > 0 {
			outcome, detail = Done, "set and verified: "+plan.Summarize(changes)
		}
		r.report(Event{Integration: ir.in.Name, Step: StepActions, Outcome: outcome, AppID: ir.app.ID, Changes: changes, Detail: detail})
		return
	}
	if len(changes) > 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepActions, Outcome: Done, AppID: ir.app.ID, Changes: changes, Detail: "set and verified: " + plan.Summarize(changes)})
	}
	step := r.provisioningStep(ir)
	step.Title = fmt.Sprintf("Set the integration actions of %q", ir.app.Label)
	step.Actions = []string{"Open the link (Applications > " + ir.app.Label + " > Provisioning > Integration) and click Edit",
		"Set the checkboxes below", "Click Save"}
	step.Fields = nil
	for _, ch := range console {
		name := map[string]string{"pushGroups": "Push Groups", "importUsers": "Import New Users and Profile Updates"}[ch.Field]
		step.Fields = append(step.Fields, ManualField{Name: name, Value: map[string]string{"on": "checked", "off": "unchecked"}[ch.New]})
	}
	step.Verify = "oktascim re-reads the app: its features list must show the change"
	r.report(Event{Integration: ir.in.Name, Step: StepActions, Outcome: Manual, AppID: ir.app.ID, Manual: &step, Changes: console,
		Detail: "Okta's API cannot set " + plan.Summarize(console) + "; an admin must, in the Admin Console"})
	since := r.opts.Now()
	if r.opts.Manual != nil {
		_ = r.opts.Manual(ctx, step)
	}
	if !r.opts.Wait && r.opts.Manual == nil {
		ir.code = exitcode.Worst(ir.code, exitcode.ManualPending)
		return
	}
	r.waitFor(ctx, ir, StepActions, since, func() (bool, error) {
		app, err := c.GetApp(ctx, ir.app.ID)
		if err != nil {
			return false, err
		}
		ir.app = app
		return len(plan.IntegrationActionChanges(p.PushGroups, p.ImportUsers, app)) == 0, nil
	}, "verified: the app's features now show "+plan.Summarize(console))
}

func actionsText(u okta.UserProvisioning, pushGroups, importUsers bool) string {
	return fmt.Sprintf("createUsers %s, updateUsers %s, deactivateUsers %s, syncPassword %s, pushGroups %s, importUsers %s",
		onOff(u.Create), onOff(u.UpdateProfile), onOff(u.Deactivate), onOff(u.SyncPassword), onOff(pushGroups), onOff(importUsers))
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
