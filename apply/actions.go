package apply

import (
	"context"

	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// runActions carries out the plan's actions step: the USER_PROVISIONING PUT (verified
// from its answer), then the Integration actions only the console sets, as a manual
// step. When the plan deferred the step (provisioning was off), this run turned
// provisioning on: the features are read now and the step decided by the plan.
func (r *runner) runActions(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	st := ir.steps.Actions
	if st.Deferred || ir.turnedOn {
		var err error
		if st, err = r.decideActions(ctx, ir); err != nil {
			r.fail(ir, StepActions, err, "")
			return
		}
	}
	ir.evidence = st.Evidence
	if st.Missing != nil {
		r.fail(ir, StepActions, st.Missing, "")
		return
	}
	p := ir.in.Provisioning
	if st.Put != nil {
		got, err := c.UpdateUserProvisioning(ctx, ir.app.ID, *st.Put)
		if err == nil {
			err = st.Verify(ir.in, got)
		}
		if err != nil {
			r.fail(ir, StepActions, err, "")
			return
		}
	}
	changes, console := st.Changes, st.Console
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
	step := r.withSecrets(ir, plan.ConsoleActionsStep(ir.in, ir.app, r.opts.Client, console))
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
		ir.evidence = ev
		return plan.ConsoleDone(ir.in, ev), nil
	}, "verified: the org now shows "+plan.Summarize(console))
	ir.pushGroupsChecked = ir.pushGroupsChecked || verified && plan.ChecksPushGroups(ir.in, console)
}

// decideActions reads what the actions step needs once provisioning turned on in
// this run (the features, unless the manual step's check just read them; the app's
// features list only when a step looks at it) and lets the plan
// decide the step.
func (r *runner) decideActions(ctx context.Context, ir *integrationRun) (plan.ActionsStep, error) {
	features := ir.features
	if features == nil {
		var err error
		if features, err = r.opts.Client.Features(ctx, ir.app.ID); err != nil {
			return plan.ActionsStep{}, err
		}
	}
	have, ok := okta.UserProvisioningOf(features)
	if !ok {
		return plan.ActionsStep{}, plan.ErrNoUserProvisioning
	}
	ev, err := r.evidence(ctx, ir, features, plan.NeedsFeaturesList(ir.in))
	if err != nil {
		return plan.ActionsStep{}, err
	}
	return plan.DecideActions(ir.in, have, ev), nil
}

// evidence gathers what the org shows of the Integration actions: the app's features
// list (read again when reread), the To Okta settings among features, and — only
// where it could decide a declared Push Groups — the Push Groups tab.
func (r *runner) evidence(ctx context.Context, ir *integrationRun, features map[string]*sdk.ApplicationFeature, reread bool) (plan.ActionEvidence, error) {
	if reread {
		app, err := r.opts.Client.GetApp(ctx, ir.app.ID)
		if err != nil {
			return plan.ActionEvidence{}, err
		}
		ir.app = app
	}
	ev := plan.ActionEvidence{Features: ir.app.Features, Inbound: features["INBOUND_PROVISIONING"] != nil, Confirmed: ir.in.Kind == config.KindCustom}
	if plan.NeedsPushTab(ir.in, ev) {
		_, tab, err := r.pushTab(ctx, ir.app.ID)
		if err != nil {
			return ev, err
		}
		ev.PushTab = tab == tabOn
	}
	return ev, nil
}

// actionsText lists the declared actions as they now are.
func actionsText(p config.Provisioning) string {
	var parts []string
	for _, a := range plan.DeclaredActions(p) {
		parts = append(parts, a.Name+" "+a.Value())
	}
	return strings.Join(parts, ", ")
}
