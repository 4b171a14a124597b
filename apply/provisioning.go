package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// runProvisioning carries out the plan's provisioning step: nothing (on already), a
// connection write (on, base URL changed), the Provisioning Connection API then the
// guided manual step (off), or the manual step alone (the API has no scheme for the
// credentials); verified either way.
func (r *runner) runProvisioning(ctx context.Context, ir *integrationRun) {
	st := ir.steps.Provisioning
	switch st.Op {
	case plan.ProvisioningUnchanged:
		ir.provisioningOn = true
		conn := st.Connection
		kind := "this template app"
		if ir.in.Kind == config.KindCustom {
			kind = "an App Integration Wizard app"
		}
		detail := "on; Okta's API cannot read back the base URL or credentials of " + kind + ", so the connection test below verifies them"
		if conn.Supported() {
			detail = fmt.Sprintf("on (connection %s, base URL %s; the token cannot be read back — the connection test below verifies it)", lower(conn.Status), conn.BaseURL)
		}
		r.report(Event{Integration: ir.in.Name, Step: StepProvisioning, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	case plan.ProvisioningSetConnection:
		ir.provisioningOn = true
		if !r.setConnection(ctx, ir, st, st.Why) && ir.code == exitcode.OK {
			// The API managed the connection when the plan read it; now it does not.
			r.fail(ir, StepProvisioning, errors.New("the Provisioning Connection API no longer manages the app's connection"), "set the base URL in the Admin Console: "+r.opts.Client.ProvisioningTabURL(ir.app.Name, ir.app.ID))
		}
		return
	case plan.ProvisioningTryAPI:
		if r.setConnection(ctx, ir, st, "") || ir.code != exitcode.OK {
			return
		}
	}
	r.manualProvisioning(ctx, ir)
}

// setConnection writes the connection through the Provisioning Connection API and
// verifies it from the answer (POST …?activate=true returns the connection); only a
// separate activation, which answers nothing, is followed by a read. It returns true
// when it reported an outcome (done or failed), false when the API does not manage
// the app.
func (r *runner) setConnection(ctx context.Context, ir *integrationRun, st plan.ProvisioningStep, change string) bool {
	c := r.opts.Client
	got, err := c.SetTokenConnection(ctx, ir.app.ID, st.BaseURL, ir.creds.Token.Value())
	if err != nil {
		if refused := testRefusal(err); refused != err {
			r.fail(ir, StepProvisioning, refused, "Okta could not connect to the SCIM server with these credentials; see 'oktascim logs' or the test step")
			return true
		}
		if okta.IsAuth(err) {
			r.fail(ir, StepProvisioning, err, "")
			return true
		}
		// Any other refusal means the API does not manage this app: fall back to the console.
		return false
	}
	state, err := st.VerifyConnection(got, false)
	if state == plan.ConnectionInactive || state == plan.ConnectionUnshown {
		// An activation answers nothing, and an answer without the base URL cannot
		// verify it: read the connection once.
		if state == plan.ConnectionInactive {
			if err := c.ActivateConnection(ctx, ir.app.ID); err != nil {
				r.fail(ir, StepProvisioning, testRefusal(err), "")
				return true
			}
		}
		if got, err = c.GetConnection(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepProvisioning, fmt.Errorf("re-reading the provisioning connection to verify it: %w", err), "")
			return true
		}
		if state, err = st.VerifyConnection(got, true); state == plan.ConnectionInactive {
			err = fmt.Errorf("after activating the provisioning connection Okta reports status %s", got.Status)
		}
	}
	switch {
	case state == plan.ConnectionUnsupported:
		return false
	case err != nil:
		r.fail(ir, StepProvisioning, err, "")
		return true
	}
	ir.turnedOn = !ir.provisioningOn
	ir.provisioningOn = true
	detail := "enabled through the Provisioning Connection API; verified: connection ENABLED with base URL " + got.BaseURL
	if change != "" {
		detail = "updated through the Provisioning Connection API (" + change + "); verified"
	}
	r.report(Event{Integration: ir.in.Name, Step: StepProvisioning, Outcome: Done, AppID: ir.app.ID, Detail: detail})
	return true
}

// testRefusal marks Okta's 400 to a connection save or activation as what it is: Okta
// tested the credentials against the SCIM server and it refused them (the System Log
// says why; the wording is Okta's and not relied on). That is a failed connection test,
// exit 6 as for the test step, not a failure of the tool.
func testRefusal(err error) error {
	var ae *okta.APIError
	if errors.As(err, &ae) && ae.Status == 400 {
		return exitcode.With(exitcode.ConnectionFailed, err)
	}
	return err
}

// manualProvisioning prints the guided step, lets a stand-in do it if there is one,
// and with Wait polls until Okta shows provisioning on.
func (r *runner) manualProvisioning(ctx context.Context, ir *integrationRun) {
	step := r.withSecrets(ir, plan.EnableProvisioningStep(ir.in, ir.app, r.opts.Client))
	ev := Event{Step: StepProvisioning, Manual: &step,
		Detail: "Okta's API cannot enable provisioning for " + appKind(ir) + "; an admin must do it in the Admin Console"}
	verified := r.manualStep(ctx, ir, ev, func() (bool, error) {
		features, err := r.opts.Client.Features(ctx, ir.app.ID)
		if errors.Is(err, okta.ErrProvisioningOff) {
			return false, nil
		}
		ir.features = features
		return err == nil, err
	}, "verified: provisioning is on (Okta now serves the app's provisioning features)")
	if verified && ir.code == exitcode.OK {
		ir.provisioningOn, ir.turnedOn = true, true
		// The step's fields named a custom app's Push Groups, as declared.
		ir.pushGroupsChecked = plan.ChecksPushGroups(ir.in, nil)
	}
}

// withSecrets fills the plan's manual step with the integration's secrets: typed in
// Values for a stand-in (they print as (sensitive)), and in the printed fields only
// for --show-secrets.
func (r *runner) withSecrets(ir *integrationRun, step plan.ManualStep) plan.ManualStep {
	secrets := map[string]config.Secret{plan.SecretToken: ir.creds.Token, plan.SecretPassword: ir.creds.Password, plan.SecretClientSecret: ir.creds.ClientSecret}
	step.Values.Token, step.Values.Password, step.Values.ClientSecret = ir.creds.Token, ir.creds.Password, ir.creds.ClientSecret
	if r.opts.ShowSecrets {
		step.Fields = append([]plan.ManualField(nil), step.Fields...)
		for i, f := range step.Fields {
			if f.Secret {
				step.Fields[i].Value = secrets[f.SecretOf].Value()
			}
		}
	}
	return step
}

func appKind(ir *integrationRun) string {
	if ir.creds.Custom {
		return "an App Integration Wizard app (" + ir.app.SignOnMode + ")"
	}
	return "the " + ir.app.Name + " template app"
}
