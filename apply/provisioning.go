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

// ensureProvisioning turns on the API integration with the base URL and credentials:
// through the Provisioning Connection API where Okta supports it for the app, else as
// a guided manual step, verified either way.
func (r *runner) ensureProvisioning(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	on := false
	if !ir.created {
		// An app created a moment ago has no provisioning: no read to be refused.
		features, err := c.Features(ctx, ir.app.ID)
		on = err == nil
		// On from the start: the features and the app as read stay current for the
		// actions step.
		ir.features, ir.appFresh = features, on
		if err != nil && !errors.Is(err, okta.ErrProvisioningOff) {
			r.fail(ir, StepProvisioning, err, "")
			return
		}
	}
	if on {
		conn, err := c.GetConnection(ctx, ir.app.ID)
		if err != nil {
			r.fail(ir, StepProvisioning, err, "")
			return
		}
		ir.provisioningOn = true
		if conn.Supported() && conn.Status == "ENABLED" && conn.BaseURL != ir.in.SCIM.BaseURL && ir.creds.tokenAuth() {
			r.setConnection(ctx, ir, fmt.Sprintf("base URL %s → %s", conn.BaseURL, ir.in.SCIM.BaseURL))
			return
		}
		detail := "on; Okta's API cannot read back the base URL or credentials of this template app, so the connection test below verifies them"
		if conn.Supported() {
			detail = fmt.Sprintf("on (connection %s, base URL %s; the token cannot be read back — the connection test below verifies it)", lower(conn.Status), conn.BaseURL)
		}
		r.report(Event{Integration: ir.in.Name, Step: StepProvisioning, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	}
	// The connection API has no Basic scheme, and answers UNKNOWN where it does not
	// manage the app. Try it where it may work; re-read to see whether it did.
	if ir.creds.tokenAuth() {
		if r.setConnection(ctx, ir, "") {
			return
		}
		if ir.code != exitcode.OK {
			return
		}
	}
	r.manualProvisioning(ctx, ir)
}

// setConnection tries the Provisioning Connection API. It returns true when it
// reported an outcome (done or failed), false when the API does not manage the app.
func (r *runner) setConnection(ctx context.Context, ir *integrationRun, change string) bool {
	c := r.opts.Client
	set, err := c.SetTokenConnection(ctx, ir.app.ID, ir.in.SCIM.BaseURL, ir.creds.Token.Value())
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
	if !set.Supported() {
		return false
	}
	got, err := c.GetConnection(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepProvisioning, err, "")
		return true
	}
	if !got.Supported() {
		return false
	}
	if got.Status != "ENABLED" {
		if err := c.ActivateConnection(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepProvisioning, testRefusal(err), "")
			return true
		}
		if got, err = c.GetConnection(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepProvisioning, err, "")
			return true
		}
	}
	if got.Status != "ENABLED" || got.BaseURL != ir.in.SCIM.BaseURL {
		r.fail(ir, StepProvisioning, fmt.Errorf("after setting the provisioning connection Okta reports status %s, base URL %q", got.Status, got.BaseURL), "")
		return true
	}
	features, err := c.Features(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepProvisioning, fmt.Errorf("connection enabled but provisioning features are not readable: %w", err), "")
		return true
	}
	ir.provisioningOn, ir.features, ir.appFresh = true, features, false
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
		ir.provisioningOn = true
		ir.pushGroupsChecked = ir.creds.Custom && config.On(ir.in.Provisioning.PushGroups)
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
