package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// ensureActions sets the declared "To App" actions through the features API and checks
// the declared Integration actions (push groups, import) that only the console sets.
// Actions the file does not declare are neither written nor asked for.
func (r *runner) ensureActions(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	features := ir.features // read by the provisioning step in this run
	if features == nil {
		var err error
		if features, err = c.Features(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepActions, err, "")
			return
		}
	}
	have, ok := okta.UserProvisioningOf(features)
	if !ok {
		r.fail(ir, StepActions, errors.New("Okta lists no USER_PROVISIONING feature for the app"), "")
		return
	}
	p := ir.in.Provisioning
	changes := plan.UserProvisioningChanges(p, have)
	if len(changes) > 0 {
		// The write carries the app's own values for what the file does not declare,
		// so a replacing PUT and a partial one end the same.
		got, err := c.UpdateUserProvisioning(ctx, ir.app.ID, plan.WantUserProvisioning(p, have))
		if err != nil {
			r.fail(ir, StepActions, err, "")
			return
		}
		if left := plan.UserProvisioningChanges(p, got); len(left) > 0 {
			r.fail(ir, StepActions, fmt.Errorf("Okta did not keep the provisioning actions: %s", plan.Summarize(left)), "")
			return
		}
	}
	ev, err := r.evidence(ctx, ir, features, !ir.appFresh)
	if err != nil {
		r.fail(ir, StepActions, err, "")
		return
	}
	console := plan.IntegrationActionChanges(p, ev)
	if len(console) == 0 {
		outcome, detail := Unchanged, "as declared: "+actionsText(p)
		if len(changes) > 0 {
			outcome, detail = Done, "set and verified: "+plan.Summarize(changes)
		}
		r.report(Event{Integration: ir.in.Name, Step: StepActions, Outcome: outcome, AppID: ir.app.ID, Changes: changes, Detail: detail})
		return
	}
	if len(changes) > 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepActions, Outcome: Done, AppID: ir.app.ID, Changes: changes, Detail: "set and verified: " + plan.Summarize(changes)})
	}
	step := r.actionsStep(ir, console)
	manual := Event{Step: StepActions, Manual: &step, Changes: console,
		Detail: "Okta's API cannot set " + plan.Summarize(console) + "; an admin must, in the Admin Console"}
	verified := r.manualStep(ctx, ir, manual, func() (bool, error) {
		features, err := c.Features(ctx, ir.app.ID)
		if err != nil {
			return false, err
		}
		ev, err := r.evidence(ctx, ir, features, true)
		if err != nil {
			return false, err
		}
		return len(plan.IntegrationActionChanges(p, ev)) == 0, nil
	}, "verified: the org now shows "+plan.Summarize(console))
	asked := slices.ContainsFunc(console, func(ch plan.FieldChange) bool { return ch.Field == "pushGroups" })
	ir.pushGroupsChecked = ir.pushGroupsChecked || verified && asked && ir.in.Kind == config.KindCustom && config.On(p.PushGroups)
}

// evidence gathers what the org shows of the Integration actions: the app's features
// list (re-read when reread: provisioning changed in this run, or an admin is at it),
// the To Okta settings among features, and — only where it could decide a declared
// Push Groups — the Push Groups tab.
func (r *runner) evidence(ctx context.Context, ir *integrationRun, features map[string]*sdk.ApplicationFeature, reread bool) (plan.ActionEvidence, error) {
	app := ir.app
	if reread {
		var err error
		if app, err = r.opts.Client.GetApp(ctx, ir.app.ID); err != nil {
			return plan.ActionEvidence{}, err
		}
		ir.app = app
	}
	ev := plan.ActionEvidence{Features: app.Features, Inbound: features["INBOUND_PROVISIONING"] != nil, Confirmed: ir.in.Kind == config.KindCustom}
	if !ev.Confirmed && config.On(ir.in.Provisioning.PushGroups) && !ev.PushGroups() {
		_, tab, err := r.pushTab(ctx, app.ID)
		if err != nil {
			return ev, err
		}
		ev.PushTab = tab == tabOn
	}
	ir.pushTab = ev.PushGroups()
	return ev, nil
}

// actionsStep is the manual step for the Integration actions, naming only the
// controls of the app's kind and saying what is not confirmed.
func (r *runner) actionsStep(ir *integrationRun, console []plan.FieldChange) plan.ManualStep {
	step := r.provisioningStep(ir)
	step.Title = fmt.Sprintf("Set the integration actions of %q", ir.app.Label)
	step.Fields = nil
	for _, ch := range console {
		step.Fields = append(step.Fields, plan.ManualField{Name: actionControl(ir.in, ch.Field), Value: checkedText(ch.New)})
	}
	if ir.in.Kind == config.KindCustom {
		step.Actions = []string{"Open the link (Applications > " + ir.app.Label + " > Provisioning > Integration) and click Edit",
			"Under Supported provisioning actions, set the checkboxes below", "Click Save"}
		step.Verify = "oktascim re-reads the app: its features list must show the change"
		return step
	}
	step.Actions = []string{"Open the link (Applications > " + ir.app.Label + " > Provisioning > Integration) and click Edit",
		"If the page offers the checkboxes below, set them and click Save. Okta's documentation does not confirm that a SCIM template app's " +
			"Integration page has them: if it does not, the template decides (look for a Push Groups tab, and a To Okta page under Provisioning)",
	}
	step.Verify = "oktascim accepts any sign Okta gives: the app's features list (GROUP_PUSH, IMPORT_NEW_USERS), the To Okta settings being served, or the Push Groups tab answering"
	return step
}

// actionControl names an Integration action's control.
func actionControl(in config.Integration, field string) string {
	name := map[string]string{"pushGroups": "Push Groups", "importUsers": "Import New Users and Profile Updates"}[field]
	if in.Kind == config.KindCustom {
		return "Supported provisioning actions: " + name
	}
	return name
}

func checkedText(v string) string {
	if strings.HasPrefix(v, "on") {
		return "checked"
	}
	return "unchecked"
}

// actionsText lists the declared actions as they now are.
func actionsText(p config.Provisioning) string {
	var parts []string
	for _, a := range plan.DeclaredActions(p) {
		parts = append(parts, a.Name+" "+a.Value())
	}
	return strings.Join(parts, ", ")
}
