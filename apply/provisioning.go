package apply

import (
	"context"
	"errors"
	"fmt"

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
		detail := "on; Okta's API cannot read back the base URL or credentials of this template app, so the connection test below verifies them"
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
	state, err := st.VerifyConnection(got)
	if state == plan.ConnectionInactive {
		if err := c.ActivateConnection(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepProvisioning, testRefusal(err), "")
			return true
		}
		if got, err = c.GetConnection(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepProvisioning, fmt.Errorf("re-reading the provisioning connection to verify it: %w", err), "")
			return true
		}
		if state, err = st.VerifyConnection(got); state == plan.ConnectionInactive {
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
	step := r.provisioningStep(ir)
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

func (r *runner) provisioningStep(ir *integrationRun) plan.ManualStep {
	if ir.creds.Custom {
		return r.customProvisioningStep(ir)
	}
	in := ir.in
	p := in.Provisioning
	vals := provisioningValues(ir)
	fields := []plan.ManualField{
		{Name: "Enable API integration", Value: "checked"},
		{Name: "Base URL (SCIM connector base URL)", Value: in.SCIM.BaseURL},
	}
	if in.SCIM.UserIDField != "" && in.SCIM.UserIDField != "userName" {
		fields = append(fields, plan.ManualField{Name: "Unique identifier field for users (if the page offers it; not confirmed for a template app)", Value: in.SCIM.UserIDField})
	}
	switch ir.creds.Method {
	case "basic":
		fields = append(fields, plan.ManualField{Name: "Username", Value: ir.creds.Username},
			plan.ManualField{Name: "Password", Value: r.secretText(ir.creds.Password, in.SCIM.Auth.Password.Describe()), Secret: true})
	case "header":
		fields = append(fields, plan.ManualField{Name: "API Token (sent verbatim as the Authorization header)", Value: r.secretText(ir.creds.Token, in.SCIM.Auth.Token.Describe()), Secret: true})
	default:
		fields = append(fields, plan.ManualField{Name: "OAuth Bearer Token", Value: r.secretText(ir.creds.Token, in.SCIM.Auth.Token.Describe()), Secret: true})
	}
	// The To App actions are set through the API once provisioning is on; Push Groups
	// and Import only where the file declares them, and only if the page has them.
	unconfirmed := ""
	for _, o := range []struct {
		name string
		v    *bool
	}{{"Push Groups", p.PushGroups}, {"Import New Users and Profile Updates", p.ImportUsers}} {
		if o.v != nil {
			fields = append(fields, plan.ManualField{Name: o.name + " (if the page offers it)", Value: checked(*o.v)})
			unconfirmed = " Okta's documentation does not confirm that a SCIM template app's Integration page has Push Groups or Import checkboxes: set them if it does; if not, the template decides, and apply accepts the app's features list, the To Okta page or the Push Groups tab as showing it."
		}
	}
	return plan.ManualStep{
		Integration: in.Name, AppID: ir.app.ID, Values: vals,
		Title: fmt.Sprintf("Enable provisioning for %q", ir.app.Label),
		Link:  r.opts.Client.ProvisioningTabURL(ir.app.Name, ir.app.ID),
		Actions: []string{
			"Open the link (Applications > " + ir.app.Label + " > Provisioning) and click Configure API Integration",
			"Enter the values below",
			"Click Test API Credentials: it must succeed",
			"Click Save (the To App actions are then set by apply through Okta's API)." + unconfirmed,
		},
		Fields: fields,
		Verify: "oktascim checks that Okta serves the app's provisioning features, then runs the connection test and reads the System Log",
	}
}

func (r *runner) secretText(s interface{ Value() string }, source string) string {
	if r.opts.ShowSecrets {
		return s.Value()
	}
	return "(sensitive: the value of " + source + "; --show-secrets prints it)"
}

func checked(b bool) string {
	if b {
		return "checked"
	}
	return "unchecked"
}

// customProvisioningStep is the App Integration Wizard app's: switch SCIM on (General
// tab), then the Provisioning tab's SCIM connection, as Okta's guide "Integrate your
// SCIM service with an Okta app" lists its fields.
func (r *runner) customProvisioningStep(ir *integrationRun) plan.ManualStep {
	in := ir.in
	p := in.Provisioning
	vals := provisioningValues(ir)
	fields := []plan.ManualField{
		{Name: "SCIM connector base URL", Value: in.SCIM.BaseURL},
		{Name: "Unique identifier field for users", Value: in.SCIM.UserIDField},
	}
	// Only the actions the file manages; the others stay as the wizard shows them.
	for _, o := range []struct {
		name string
		v    *bool
	}{{"Import New Users and Profile Updates", p.ImportUsers}, {"Push New Users", &p.CreateUsers}, {"Push Profile Updates", &p.UpdateUsers},
		{"Push Groups", p.PushGroups}, {"Import Groups", p.ImportGroups}} {
		if o.v != nil {
			fields = append(fields, plan.ManualField{Name: "Supported provisioning actions: " + o.name, Value: checked(*o.v)})
		}
	}
	test := "Click Test Connector Configuration: it must succeed for the actions checked"
	switch ir.creds.Method {
	case "basic":
		fields = append(fields, plan.ManualField{Name: "Authentication Mode", Value: "Basic Auth"},
			plan.ManualField{Name: "Username", Value: ir.creds.Username},
			plan.ManualField{Name: "Password", Value: r.secretText(ir.creds.Password, in.SCIM.Auth.Password.Describe()), Secret: true})
	case "header":
		fields = append(fields, plan.ManualField{Name: "Authentication Mode", Value: "HTTP Header"},
			plan.ManualField{Name: "Authorization (Bearer token)", Value: r.secretText(ir.creds.Token, in.SCIM.Auth.Token.Describe()), Secret: true})
	default:
		o := in.SCIM.Auth.OAuth2
		vals.TokenEndpoint, vals.AuthorizeEndpoint, vals.ClientID = o.TokenEndpoint, o.AuthorizeEndpoint, o.ClientID
		fields = append(fields, plan.ManualField{Name: "Authentication Mode", Value: "OAuth 2"},
			plan.ManualField{Name: "Access token endpoint URI", Value: o.TokenEndpoint},
			plan.ManualField{Name: "Authorization endpoint URI", Value: o.AuthorizeEndpoint},
			plan.ManualField{Name: "Client ID", Value: o.ClientID},
			plan.ManualField{Name: "Client Secret", Value: r.secretText(ir.creds.ClientSecret, o.ClientSecret.Describe()), Secret: true})
		test = "Click Authenticate with " + ir.app.Label + " and sign in to the SCIM server's authorization server; then Test Connector Configuration must succeed"
	}
	return plan.ManualStep{
		Integration: in.Name, AppID: ir.app.ID, Values: vals,
		Title: fmt.Sprintf("Enable SCIM provisioning for %q", ir.app.Label),
		Link:  r.opts.Client.GeneralTabURL(ir.app.Name, ir.app.ID),
		Actions: []string{
			"Open the link (Applications > " + ir.app.Label + " > General), click Edit under App Settings, set Provisioning to SCIM, and Save",
			"Open the Provisioning tab (" + r.opts.Client.ProvisioningTabURL(ir.app.Name, ir.app.ID) + "), Integration, click Edit",
			"Enter the values below",
			test,
			"Click Save",
		},
		Fields: fields,
		Verify: "oktascim checks that Okta serves the app's provisioning features, then runs the connection test and reads the System Log",
	}
}

func appKind(ir *integrationRun) string {
	if ir.creds.Custom {
		return "an App Integration Wizard app (" + ir.app.SignOnMode + ")"
	}
	return "the " + ir.app.Name + " template app"
}

// provisioningValues are the Provisioning tab's values the file declares, typed for a
// stand-in admin (the printed fields say the same for a person).
func provisioningValues(ir *integrationRun) plan.ProvisioningValues {
	in, p := ir.in, ir.in.Provisioning
	return plan.ProvisioningValues{BaseURL: in.SCIM.BaseURL, AuthMode: ir.creds.Method, Username: ir.creds.Username,
		Token: ir.creds.Token, Password: ir.creds.Password, UserIDField: in.SCIM.UserIDField,
		PushNewUsers: p.CreateUsers, PushProfileUpdates: p.UpdateUsers, PushGroups: p.PushGroups, ImportUsers: p.ImportUsers,
		Custom: ir.creds.Custom, ImportGroups: p.ImportGroups, ClientSecret: ir.creds.ClientSecret}
}
