package plan

import (
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// ManualStep is what an admin must do in the Admin Console because the API cannot.
// The plan builds it (EnableProvisioningStep, ConsoleActionsStep, ConsolePushStep) with no secret in
// it; the plan document lists it as pending (Integration.Manual), and apply prints the
// same value, hands it to a stand-in, and waits on it.
type ManualStep struct {
	Integration string `json:"integration"`
	// AppID and Link are empty in the plan of an app apply has yet to create.
	AppID   string        `json:"appId,omitempty"`
	Title   string        `json:"title"`
	Link    string        `json:"link,omitempty"`
	Actions []string      `json:"actions"`
	Fields  []ManualField `json:"fields"`
	Verify  string        `json:"verify"`
	// When, in a plan, is the condition under which apply will ask for the step (an
	// API it tries first, a check it makes first); empty: it will. apply sets none.
	When string `json:"when,omitempty"`
	// Values is the same as Fields, typed, for an automated stand-in (the simulator's
	// admin). Secrets in it print as (sensitive).
	Values ProvisioningValues `json:"-"`
	// Pushes are the groups of a manual group push step, for the stand-in.
	Pushes []PushWant `json:"-"`
}

// ManualField is one value to enter.
type ManualField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Secret bool   `json:"secret,omitempty"`
	// SecretOf names the secret a Secret field holds (SecretToken, …): the plan writes
	// where it comes from, and apply puts the value in for --show-secrets.
	SecretOf string `json:"-"`
}

// ProvisioningValues are the Provisioning tab's values.
type ProvisioningValues struct {
	BaseURL, AuthMode, Username, UserIDField string
	Token, Password                          config.Secret
	PushNewUsers, PushProfileUpdates         bool
	// PushGroups, ImportUsers, ImportGroups: nil when the file does not declare them —
	// the step does not mention them and the admin leaves the form as Okta shows it.
	PushGroups, ImportUsers *bool
	// Custom apps (App Integration Wizard): SCIM is switched on first (General tab),
	// Import Groups is an action, and OAuth 2 takes the authorization server's values.
	Custom                                     bool
	ImportGroups                               *bool
	TokenEndpoint, AuthorizeEndpoint, ClientID string
	ClientSecret                               config.Secret
}

// Console gives the Admin Console's deep links to an app's tabs (okta.Client).
type Console interface {
	ProvisioningTabURL(appName, appID string) string
	GeneralTabURL(appName, appID string) string
	PushGroupsTabURL(appName, appID string) string
}

// Summary is the step in one line: its title, and its link once the app exists.
func (m ManualStep) Summary() string {
	if m.Link == "" {
		return m.Title
	}
	return m.Title + " (" + m.Link + ")"
}

// tabLink is the deep link to one of the app's tabs; none for an app apply has yet to
// create (no id), or without a console.
func tabLink(c Console, app okta.App, tab func(Console, string, string) string) string {
	if c == nil || app.ID == "" {
		return ""
	}
	return tab(c, app.Name, app.ID)
}

// The secrets a manual step's field can hold (ManualField.SecretOf).
const (
	SecretToken        = "token"
	SecretPassword     = "password"
	SecretClientSecret = "clientSecret"
)

// sensitive is a secret field's text: the plan holds no secret, only where it is from.
func sensitive(ref *config.SecretRef) string {
	source := "the file's secret"
	if ref != nil {
		source = ref.Describe()
	}
	return "(sensitive: the value of " + source + "; --show-secrets prints it)"
}

func secretField(name, of string, ref *config.SecretRef) ManualField {
	return ManualField{Name: name, Value: sensitive(ref), Secret: true, SecretOf: of}
}

// EnableProvisioningStep is the guided step that enables provisioning for the app: the
// Provisioning tab's values (a custom app's SCIM switch first), secrets as where they
// come from. apply fills the secrets in only for --show-secrets and for a stand-in.
func EnableProvisioningStep(in config.Integration, app okta.App, c Console) ManualStep {
	if in.Kind == config.KindCustom {
		return customProvisioningManual(in, app, c)
	}
	p, a := in.Provisioning, in.SCIM.Auth
	fields := []ManualField{
		{Name: "Enable API integration", Value: "checked"},
		{Name: "Base URL (SCIM connector base URL)", Value: in.SCIM.BaseURL},
	}
	if in.SCIM.UserIDField != "" && in.SCIM.UserIDField != "userName" {
		fields = append(fields, ManualField{Name: "Unique identifier field for users (if the page offers it; not confirmed for a template app)", Value: in.SCIM.UserIDField})
	}
	switch a.Method {
	case "basic":
		fields = append(fields, ManualField{Name: "Username", Value: a.Username}, secretField("Password", SecretPassword, a.Password))
	case "header":
		fields = append(fields, secretField("API Token (sent verbatim as the Authorization header)", SecretToken, a.Token))
	default:
		fields = append(fields, secretField("OAuth Bearer Token", SecretToken, a.Token))
	}
	// The To App actions are set through the API once provisioning is on; Push Groups
	// and Import only where the file declares them, and only if the page has them.
	unconfirmed := ""
	for _, o := range []struct {
		name string
		v    *bool
	}{{"Push Groups", p.PushGroups}, {"Import New Users and Profile Updates", p.ImportUsers}} {
		if o.v != nil {
			fields = append(fields, ManualField{Name: o.name + " (if the page offers it)", Value: checked(*o.v)})
			unconfirmed = " Okta's documentation does not confirm that a SCIM template app's Integration page has Push Groups or Import checkboxes: set them if it does; if not, the template decides, and apply accepts the app's features list, the To Okta page or the Push Groups tab as showing it."
		}
	}
	return ManualStep{
		Integration: in.Name, AppID: app.ID, Values: provisioningValues(in),
		Title: fmt.Sprintf("Enable provisioning for %q", app.Label),
		Link:  tabLink(c, app, Console.ProvisioningTabURL),
		Actions: []string{
			"Open the link (Applications > " + app.Label + " > Provisioning) and click Configure API Integration",
			"Enter the values below",
			"Click Test API Credentials: it must succeed",
			"Click Save (the To App actions are then set by apply through Okta's API)." + unconfirmed,
		},
		Fields: fields,
		Verify: "oktascim checks that Okta serves the app's provisioning features, then runs the connection test and reads the System Log",
	}
}

func checked(b bool) string {
	if b {
		return "checked"
	}
	return "unchecked"
}

// customProvisioningManual is the App Integration Wizard app's: switch SCIM on
// (General tab), then the Provisioning tab's SCIM connection, as Okta's guide
// "Integrate your SCIM service with an Okta app" lists its fields.
func customProvisioningManual(in config.Integration, app okta.App, c Console) ManualStep {
	p, a := in.Provisioning, in.SCIM.Auth
	vals := provisioningValues(in)
	fields := []ManualField{
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
			fields = append(fields, ManualField{Name: "Supported provisioning actions: " + o.name, Value: checked(*o.v)})
		}
	}
	test := "Click Test Connector Configuration: it must succeed for the actions checked"
	switch a.Method {
	case "basic":
		fields = append(fields, ManualField{Name: "Authentication Mode", Value: "Basic Auth"},
			ManualField{Name: "Username", Value: a.Username}, secretField("Password", SecretPassword, a.Password))
	case "header":
		fields = append(fields, ManualField{Name: "Authentication Mode", Value: "HTTP Header"},
			secretField("Authorization (Bearer token)", SecretToken, a.Token))
	default:
		o := a.OAuth2
		vals.TokenEndpoint, vals.AuthorizeEndpoint, vals.ClientID = o.TokenEndpoint, o.AuthorizeEndpoint, o.ClientID
		fields = append(fields, ManualField{Name: "Authentication Mode", Value: "OAuth 2"},
			ManualField{Name: "Access token endpoint URI", Value: o.TokenEndpoint},
			ManualField{Name: "Authorization endpoint URI", Value: o.AuthorizeEndpoint},
			ManualField{Name: "Client ID", Value: o.ClientID},
			secretField("Client Secret", SecretClientSecret, o.ClientSecret))
		test = "Click Authenticate with " + app.Label + " and sign in to the SCIM server's authorization server; then Test Connector Configuration must succeed"
	}
	return ManualStep{
		Integration: in.Name, AppID: app.ID, Values: vals,
		Title: fmt.Sprintf("Enable SCIM provisioning for %q", app.Label),
		Link:  tabLink(c, app, Console.GeneralTabURL),
		Actions: []string{
			"Open the link (Applications > " + app.Label + " > General), click Edit under App Settings, set Provisioning to SCIM, and Save",
			"Open the Provisioning tab (Applications > " + app.Label + " > Provisioning), Integration, and click Edit",
			"Enter the values below",
			test,
			"Click Save",
		},
		Fields: fields,
		Verify: "oktascim checks that Okta serves the app's provisioning features, then runs the connection test and reads the System Log",
	}
}

// provisioningValues are the Provisioning tab's values the file declares, typed for a
// stand-in admin, without the secrets (apply adds them).
func provisioningValues(in config.Integration) ProvisioningValues {
	p, a := in.Provisioning, in.SCIM.Auth
	return ProvisioningValues{BaseURL: in.SCIM.BaseURL, AuthMode: a.Method, Username: a.Username, UserIDField: in.SCIM.UserIDField,
		PushNewUsers: p.CreateUsers, PushProfileUpdates: p.UpdateUsers, PushGroups: p.PushGroups, ImportUsers: p.ImportUsers,
		Custom: in.Kind == config.KindCustom, ImportGroups: p.ImportGroups}
}

// ConsoleActionsStep is the manual step for the Integration actions only the console sets
// (the actions step's Console changes), naming only the controls of the app's kind and
// saying what is not confirmed.
func ConsoleActionsStep(in config.Integration, app okta.App, c Console, console []FieldChange) ManualStep {
	step := EnableProvisioningStep(in, app, c)
	step.Title = fmt.Sprintf("Set the integration actions of %q", app.Label)
	step.Link = tabLink(c, app, Console.ProvisioningTabURL) // a custom app's provisioning step starts on the General tab
	step.Fields = nil
	for _, ch := range console {
		step.Fields = append(step.Fields, ManualField{Name: actionControl(in, ch.Field), Value: checkedText(ch.New)})
	}
	if in.Kind == config.KindCustom {
		step.Actions = []string{"Open the link (Applications > " + app.Label + " > Provisioning > Integration) and click Edit",
			"Under Supported provisioning actions, set the checkboxes below", "Click Save"}
		step.Verify = "oktascim re-reads the app: its features list must show the change"
		return step
	}
	step.Actions = []string{"Open the link (Applications > " + app.Label + " > Provisioning > Integration) and click Edit",
		"If the page offers the checkboxes below, set them and click Save. Okta's documentation does not confirm that a SCIM template app's " +
			"Integration page has them: if it does not, the template decides (look for a Push Groups tab, and a To Okta page under Provisioning)",
	}
	step.Verify = templateActionsVerify(console)
	return step
}

// templateActionsVerify says how a template app's Integration actions are verified: on
// takes any plausible sign, off needs the features list not to name it (satisfied).
func templateActionsVerify(console []FieldChange) string {
	var on, off bool
	for _, ch := range console {
		if checkedText(ch.New) == "checked" {
			on = true
		} else {
			off = true
		}
	}
	const signs = "any sign Okta gives: the app's features list (GROUP_PUSH, IMPORT_NEW_USERS), the To Okta settings being served, or the Push Groups tab answering"
	const gone = "the app's features list must no longer name it (GROUP_PUSH, IMPORT_NEW_USERS)"
	switch {
	case on && off:
		return "oktascim re-reads the app: for a checkbox set, it accepts " + signs + "; for one cleared, " + gone
	case off:
		return "oktascim re-reads the app: for each checkbox cleared, " + gone
	}
	return "oktascim accepts " + signs
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

// ConsolePushStep is the console path of a group push, for an org without the Group Push
// Mappings API.
func ConsolePushStep(in config.Integration, app okta.App, c Console, wants []PushWant) ManualStep {
	step := ManualStep{Integration: in.Name, AppID: app.ID, Pushes: wants,
		Title: fmt.Sprintf("Push groups to %q", app.Label),
		Link:  tabLink(c, app, Console.PushGroupsTabURL),
		Actions: []string{"Open the link (Applications > " + app.Label + " > Push Groups)",
			"For each group below: + Push Groups > Find groups by name, pick it, set the target name (link to an existing group of that name if offered), Save"},
		Verify: "oktascim checks that the SCIM server's /Groups lists each group"}
	for _, w := range wants {
		step.Fields = append(step.Fields, ManualField{Name: w.GroupName, Value: "push as " + w.Target})
	}
	return step
}

// pendingApp is the app a plan's steps name before apply has created it: the file's
// label and template, no id (so no link yet).
func pendingApp(want okta.AppSpec) okta.App {
	return okta.App{Name: want.Name, Label: want.Label, SignOnMode: want.SignOnMode}
}

// The conditions of a plan's pending steps (ManualStep.When).
const (
	whenAPIRefuses  = "Okta's Provisioning Connection API does not take the connection (apply tries it first)"
	whenNotShown    = "the org does not show these actions as declared once provisioning is on (apply checks then)"
	whenNotOnServer = "the SCIM server does not list every group yet (apply checks it first)"
)

// provisioningPending is the plan's pending provisioning step: the step apply prints,
// with the API apply tries first as its condition.
func provisioningPending(in config.Integration, st ProvisioningStep, app okta.App, c Console) ManualStep {
	m := EnableProvisioningStep(in, app, c)
	if st.Op == ProvisioningTryAPI {
		m.When = whenAPIRefuses
	}
	return m
}

// actionsPending is the plan's pending console actions step, if any: deferred when
// provisioning is not on yet, as apply decides the actions again then.
func actionsPending(in config.Integration, app okta.App, c Console, console []FieldChange, deferred bool) []ManualStep {
	if len(console) == 0 {
		return nil
	}
	m := ConsoleActionsStep(in, app, c, console)
	if deferred {
		m.When = whenNotShown
	}
	return []ManualStep{m}
}

// pushPending is the plan's pending console group push (an org without the Group Push
// Mappings API): apply asks for it only if the SCIM server lacks a group.
func pushPending(in config.Integration, app okta.App, c Console, wants []PushWant) ManualStep {
	m := ConsolePushStep(in, app, c, wants)
	m.When = whenNotOnServer
	return m
}
