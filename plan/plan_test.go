package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"

	"github.com/oktascim/oktascim/okta"
)

func TestAppChangesComparesDeclaredFieldsOnly(t *testing.T) {
	want := okta.AppSpec{Name: "scim2headerauth", Label: "Acme", SignOnMode: SignOnSAML,
		AppSettings: map[string]any{"acsUrl": "https://a/acs"}, AdminNote: okta.Stamp("acme"), HideWeb: config.Bool(true)}
	have := okta.App{Name: "scim2headerauth", Label: "Acme (old)", SignOnMode: SignOnSAML,
		AppSettings: map[string]any{"acsUrl": "https://a/acs", "other": "kept"}, AdminNote: okta.Stamp("acme") + "\nmy note"}
	got := AppChanges(want, have)
	wantChanges := []FieldChange{
		{"label", `"Acme (old)"`, `"Acme"`},
		{"visibility.hide.web", "false", "true"},
	}
	if !reflect.DeepEqual(got, wantChanges) {
		t.Fatalf("got %v\nwant %v", got, wantChanges)
	}
	have.Label, have.HideWeb = "Acme", true
	if got := AppChanges(want, have); len(got) != 0 {
		t.Fatalf("expected no changes, got %v", got)
	}
}

func TestAppChangesSeesMissingStamp(t *testing.T) {
	want := okta.AppSpec{Label: "a", AdminNote: okta.Stamp("acme"), AppSettings: map[string]any{}}
	got := AppChanges(want, okta.App{Label: "a"})
	if len(got) != 1 || got[0].Field != "settings.notes.admin (ownership stamp)" {
		t.Fatalf("got %v", got)
	}
}

func TestFindManaged(t *testing.T) {
	stamped := okta.App{ID: "0oa1", Name: "scim2headerauth", Label: "X", AdminNote: okta.Stamp("acme")}
	other := okta.App{ID: "0oa2", Name: "scim2headerauth", Label: "Acme", AdminNote: okta.Stamp("other")}
	unstamped := okta.App{ID: "0oa3", Name: "scim2headerauth", Label: "Acme"}
	unstamped2 := okta.App{ID: "0oa4", Name: "scim2headerauth", Label: "Acme"}
	wrongLabel := okta.App{ID: "0oa5", Name: "scim2headerauth", Label: "Acme2"}

	m, err := FindManaged("acme", "Acme", "scim2headerauth", []okta.App{other, unstamped, stamped})
	if err != nil || m.App.ID != "0oa1" || m.Adopt {
		t.Fatalf("stamp must win: %+v %v", m, err)
	}
	m, err = FindManaged("acme", "Acme", "scim2headerauth", []okta.App{other, unstamped, wrongLabel})
	if err != nil || m.App.ID != "0oa3" || !m.Adopt {
		t.Fatalf("expected adopt of 0oa3: %+v %v", m, err)
	}
	_, err = FindManaged("acme", "Acme", "scim2headerauth", []okta.App{unstamped, unstamped2})
	var amb *AmbiguousError
	if !errors.As(err, &amb) || !reflect.DeepEqual(amb.IDs, []string{"0oa3", "0oa4"}) {
		t.Fatalf("expected ambiguity listing both ids, got %v", err)
	}
	m, err = FindManaged("acme", "Acme", "scim2headerauth", []okta.App{other, wrongLabel})
	if err != nil || m.App != nil {
		t.Fatalf("expected create, got %+v %v", m, err)
	}
}

func TestUserProvisioningChanges(t *testing.T) {
	p := config.Provisioning{CreateUsers: true, DeactivateUsers: true, SyncPassword: config.Bool(false), Defaulted: []string{"createUsers"}}
	got := UserProvisioningChanges(p, okta.UserProvisioning{Create: false, SyncPassword: true})
	want := []FieldChange{{"createUsers", "off", "on (default)"}, {"deactivateUsers", "off", "on"}, {"syncPassword", "on", "off"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	// syncPassword omitted: not compared, and the write keeps the app's value.
	p.SyncPassword = nil
	have := okta.UserProvisioning{Create: true, Deactivate: true, SyncPassword: true, PasswordSeed: "OKTA"}
	if got := UserProvisioningChanges(p, have); len(got) != 0 {
		t.Fatalf("omitted syncPassword compared: %v", got)
	}
	if w := WantUserProvisioning(p, have); !w.SyncPassword || w.PasswordSeed != "OKTA" || w.UpdateProfile {
		t.Fatalf("want = %+v", w)
	}
}

func TestIntegrationActionChangesOnlyDeclared(t *testing.T) {
	ev := ActionEvidence{Features: []string{"PUSH_NEW_USERS", "GROUP_PUSH"}}
	var p config.Provisioning
	if got := IntegrationActionChanges(p, ev); len(got) != 0 {
		t.Fatalf("omitted actions compared: %v", got)
	}
	p.PushGroups, p.ImportUsers = config.Bool(true), config.Bool(false)
	if got := IntegrationActionChanges(p, ev); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
	p.PushGroups, p.ImportUsers = config.Bool(false), config.Bool(true)
	got := IntegrationActionChanges(p, ev)
	want := []FieldChange{{"pushGroups", "on", "off"}, {"importUsers", "off", "on"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestIntegrationActionsAcceptEachPlausibleSign(t *testing.T) {
	p := config.Provisioning{PushGroups: config.Bool(true), ImportUsers: config.Bool(true)}
	for _, ev := range []ActionEvidence{
		{Features: []string{"GROUP_PUSH", "IMPORT_NEW_USERS"}}, // the features list
		{PushTab: true, Inbound: true},                         // the Push Groups tab, the To Okta page
		{Features: []string{"GROUP_PUSH"}, Inbound: true},
	} {
		if got := IntegrationActionChanges(p, ev); len(got) != 0 {
			t.Errorf("%+v: %v", ev, got)
		}
	}
	if got := IntegrationActionChanges(p, ActionEvidence{}); len(got) != 2 {
		t.Errorf("no sign accepted as on: %v", got)
	}
}

func integration() config.Integration {
	return config.Integration{Name: "acme", Label: "Acme", SCIM: config.SCIM{Version: "2.0", BaseURL: "https://scim.example/v2", Auth: config.Auth{Method: "header"}},
		SignOn:       config.SignOn{Mode: "saml", SAML: &config.SAML{ACSURL: "https://a/acs", Audience: "https://a"}},
		Provisioning: config.Provisioning{CreateUsers: true, UpdateUsers: true, DeactivateUsers: true}, Groups: []string{"Eng"}}
}

// managedApp is the app exactly as integration() declares it.
func managedApp() okta.App {
	in := integration()
	want := DesiredApp(in)
	return okta.App{ID: "0oa1", Name: want.Name, Label: want.Label, Status: "ACTIVE", SignOnMode: want.SignOnMode,
		AppSettings: map[string]any{"acsUrl": "https://a/acs", "audienceUri": "https://a"}, AdminNote: want.AdminNote}
}

func observedOn(app okta.App) Observed {
	return Observed{Match: Match{App: &app}, ProvisioningOn: true, UserProvisioning: okta.UserProvisioning{Create: true, UpdateProfile: true, Deactivate: true},
		Groups: map[string]string{"Eng": "00g1"}, Assigned: map[string]string{"00g1": "Eng"}}
}

func TestComputeUnchangedSaysWhatItCannotRead(t *testing.T) {
	p := Compute(integration(), observedOn(managedApp()), false)
	if p.Action != Unchanged || p.Drifted() || len(p.Manual) != 0 || len(p.Unverifiable) != 1 || p.Provisioning != "on" {
		t.Fatalf("%+v", p)
	}
}

func TestComputeCreateListsEverythingAndTheManualStep(t *testing.T) {
	in := integration()
	in.Provisioning.Defaulted = []string{"createUsers"}
	p := Compute(in, Observed{Groups: map[string]string{"Eng": "00g1"}}, false)
	if p.Action != Create || p.Provisioning != "unknown" || len(p.Manual) != 1 {
		t.Fatalf("%+v", p)
	}
	want := []FieldChange{{"app", "", `scim2headerauth "Acme" (SAML_2_0)`}, {"createUsers", "", "on (default)"}, {"updateUsers", "", "on"}, {"deactivateUsers", "", "on"}, {"groups", "", "Eng"}}
	if !reflect.DeepEqual(p.Changes, want) {
		t.Fatalf("changes %v\nwant %v", p.Changes, want)
	}
}

func TestComputeExtraAssignmentsKeptOrRemoved(t *testing.T) {
	obs := observedOn(managedApp())
	obs.Assigned["00g2"] = "Support"
	kept := Compute(integration(), obs, false)
	// Without --prune an undeclared assignment is untouched: not removed, not listed.
	if kept.Action != Unchanged || len(kept.Kept) != 0 || len(kept.Removals) != 0 {
		t.Fatalf("without prune: %+v", kept)
	}
	pruned := Compute(integration(), obs, true)
	if pruned.Action != Update || !reflect.DeepEqual(pruned.Removals, []FieldChange{{"groups", "Support", ""}}) || len(pruned.Kept) != 0 {
		t.Fatalf("with prune: %+v", pruned)
	}
}

func TestComputeDriftAndPendingSteps(t *testing.T) {
	app := managedApp()
	app.Status = "INACTIVE"
	app.Features = []string{"GROUP_PUSH"}
	obs := observedOn(app)
	obs.UserProvisioning.Deactivate = false
	delete(obs.Assigned, "00g1")
	p := Compute(integration(), obs, false)
	want := []FieldChange{{"status", "INACTIVE", "ACTIVE"}, {"deactivateUsers", "off", "on"}, {"groups", "", "Eng"}}
	if p.Action != Update || !reflect.DeepEqual(p.Changes, want) {
		t.Fatalf("changes %v\nwant %v", p.Changes, want)
	}
	// pushGroups is not in the file: whatever the org has is left alone, never asked for.
	if len(p.Manual) != 0 {
		t.Fatalf("manual %v", p.Manual)
	}
	in := integration()
	in.Provisioning.PushGroups = config.Bool(false)
	p = Compute(in, obs, false)
	// The step apply prints (provisioning is on: it asks for it now, no condition).
	want2 := ConsoleActionsStep(in, app, nil, []FieldChange{{"pushGroups", "on", "off"}})
	if len(p.Manual) != 1 || !reflect.DeepEqual(p.Manual[0], want2) || p.Manual[0].When != "" ||
		!reflect.DeepEqual(p.Manual[0].Fields, []ManualField{{Name: "Push Groups", Value: "unchecked"}}) {
		t.Fatalf("manual %+v\nwant %+v", p.Manual, want2)
	}
}

// fakeConsole links to tabs as okta.Client does, on a made-up admin host.
type fakeConsole struct{}

func (fakeConsole) ProvisioningTabURL(name, id string) string {
	return "https://admin/" + name + "/" + id + "#prov"
}
func (fakeConsole) GeneralTabURL(name, id string) string {
	return "https://admin/" + name + "/" + id + "#general"
}
func (fakeConsole) PushGroupsTabURL(name, id string) string {
	return "https://admin/" + name + "/" + id + "#push"
}

// The plan's pending steps are the steps apply prints, built by the same builders: for
// an app not created yet with no id and no link, for an existing one with its links;
// the plan adds only the condition under which apply asks for them.
func TestComputePendingStepsAreApplysSteps(t *testing.T) {
	in := integration()
	in.Provisioning.PushGroups = config.Bool(true)
	obs := Observed{Groups: map[string]string{"Eng": "00g1"}, Console: fakeConsole{}}
	p := Compute(in, obs, false)
	pending := okta.App{Name: "scim2headerauth", Label: "Acme", SignOnMode: "SAML_2_0"}
	prov := EnableProvisioningStep(in, pending, fakeConsole{})
	prov.When = whenAPIRefuses // header auth: the connection API first
	actions := ConsoleActionsStep(in, pending, fakeConsole{}, []FieldChange{{"pushGroups", "off", "on"}})
	actions.When = whenNotShown
	if !reflect.DeepEqual(p.Manual, []ManualStep{prov, actions}) {
		t.Fatalf("create: manual %+v\nwant %+v", p.Manual, []ManualStep{prov, actions})
	}
	for _, m := range p.Manual {
		if m.AppID != "" || m.Link != "" || m.Integration != "acme" || len(m.Fields) == 0 || len(m.Actions) == 0 {
			t.Fatalf("create: %+v", m)
		}
	}
	// Basic auth: the API has no scheme for it, so apply asks for the step outright.
	basic := integration()
	basic.SCIM.Auth = config.Auth{Method: "basic", Username: "u"}
	if m := Compute(basic, obs, false).Manual; len(m) != 1 || m[0].When != "" || m[0].Fields[len(m[0].Fields)-1].Secret != true {
		t.Fatalf("basic: %+v", m)
	}
	// An existing app with provisioning off: the app's links, and the console push of
	// an org without the Group Push Mappings API.
	app := managedApp()
	off := observedOn(app)
	off.ProvisioningOn, off.Console = false, fakeConsole{}
	p = Compute(in, off, false)
	if len(p.Manual) != 2 || p.Manual[0].Link != "https://admin/scim2headerauth/"+app.ID+"#prov" || p.Manual[0].AppID != app.ID || p.Manual[1].When != whenNotShown {
		t.Fatalf("off: %+v", p.Manual)
	}
	on := observedOn(app)
	on.Console, on.PushAPIMissing = fakeConsole{}, true
	on.PushWants = []PushWant{{GroupID: "00g1", GroupName: "Eng", Target: "Eng"}}
	in.Provisioning.PushGroups = nil
	in.PushGroups = []config.PushGroup{{Group: "Eng"}}
	p = Compute(in, on, false)
	push := ConsolePushStep(in, app, fakeConsole{}, on.PushWants)
	push.When = whenNotOnServer
	if !reflect.DeepEqual(p.Manual, []ManualStep{push}) || push.Link != "https://admin/scim2headerauth/"+app.ID+"#push" {
		t.Fatalf("push: %+v\nwant %+v", p.Manual, push)
	}
}

func TestComputeOnlyTheThreeDefaultsIsCleanWhateverTheOrgHas(t *testing.T) {
	in := integration()
	in.Provisioning.Defaulted = config.DefaultActions()
	for _, features := range [][]string{nil, {"GROUP_PUSH", "IMPORT_NEW_USERS", "PUSH_NEW_USERS"}} {
		app := managedApp()
		app.Features = features
		obs := observedOn(app)
		obs.UserProvisioning.SyncPassword = true
		if p := Compute(in, obs, false); p.Action != Unchanged || len(p.Manual) != 0 {
			t.Errorf("features %v: %+v", features, p)
		}
	}
}

func TestComputeMappingsWaitForProvisioning(t *testing.T) {
	in := integration()
	in.Kind = config.KindCustom
	in.Mappings.ToApp = []config.PropertyMapping{{Property: "department", Expression: "user.department", Update: true, Type: "string"}}
	obs := observedOn(managedApp())
	obs.ProvisioningOn = false
	p := Compute(in, obs, false)
	var waiting int
	for _, c := range p.Changes {
		if strings.HasSuffix(c.New, "(waiting on the manual step)") {
			waiting++
		}
	}
	if waiting != 2 || len(p.Manual) != 1 {
		t.Fatalf("changes %v manual %v", p.Changes, p.Manual)
	}
}

func TestComputeProvisioningOffAndMissingGroup(t *testing.T) {
	obs := observedOn(managedApp())
	obs.ProvisioningOn = false
	obs.Groups = map[string]string{}
	obs.GroupProblems = map[string]string{"Eng": "2 groups have this name"}
	p := Compute(integration(), obs, false)
	if p.Provisioning != "off" || len(p.Manual) != 1 || p.Unverifiable[0] != unreadableConnection {
		t.Fatalf("%+v", p)
	}
	// The group is a problem of the plan, not a change apply would make.
	for _, c := range p.Changes {
		if c.Field == "groups" {
			t.Fatalf("group change %v", c)
		}
	}
	if want := []string{`group "Eng": 2 groups have this name`}; !reflect.DeepEqual(p.Problems, want) {
		t.Fatalf("problems %q, want %q", p.Problems, want)
	}
	plan := Plan{Integrations: []Integration{p}}
	plan.Finish()
	if !plan.HasErrors() || plan.Summary.Failing != 1 {
		t.Fatalf("a plan with problems must fail: %+v", plan.Summary)
	}
}

func TestComputeConnectionBaseURLWhereTheAPIReadsIt(t *testing.T) {
	obs := observedOn(managedApp())
	obs.Connection = okta.Connection{Status: "ENABLED", AuthScheme: "TOKEN", BaseURL: "https://old.example/v2"}
	p := Compute(integration(), obs, false)
	want := []FieldChange{{"scim.baseUrl", "https://old.example/v2", "https://scim.example/v2"}, {"scim.auth.token", "(sensitive)", "(sensitive)"}}
	if !reflect.DeepEqual(p.Changes, want) || strings.Contains(p.Unverifiable[0], "base URL") {
		t.Fatalf("%+v", p)
	}
}

func TestComputeAmbiguousIsAnError(t *testing.T) {
	p := Compute(integration(), Observed{MatchErr: &AmbiguousError{"acme", "two", []string{"0oa1", "0oa2"}}}, false)
	if p.Action != Error || !strings.Contains(p.Error, "0oa1, 0oa2") {
		t.Fatalf("%+v", p)
	}
	plan := Plan{Integrations: []Integration{p}}
	plan.Finish()
	if !plan.HasErrors() || plan.Summary.Errors != 1 {
		t.Fatalf("%+v", plan)
	}
}
