package plan

import (
	"errors"
	"reflect"
	"testing"

	"github.com/oktascim/oktascim/okta"
)

func TestAppChangesComparesDeclaredFieldsOnly(t *testing.T) {
	want := okta.AppSpec{Name: "scim2headerauth", Label: "Acme", SignOnMode: SignOnSAML,
		AppSettings: map[string]any{"acsUrl": "https://a/acs"}, AdminNote: okta.Stamp("acme"), HideWeb: true}
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
	got := UserProvisioningChanges(okta.UserProvisioning{Create: true, Deactivate: true}, okta.UserProvisioning{Create: true, SyncPassword: true})
	want := []FieldChange{{"deactivateUsers", "off", "on"}, {"syncPassword", "on", "off"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestIntegrationActionChanges(t *testing.T) {
	app := okta.App{Features: []string{"PUSH_NEW_USERS", "GROUP_PUSH"}}
	if got := IntegrationActionChanges(true, false, app); len(got) != 0 {
		t.Fatalf("got %v", got)
	}
	got := IntegrationActionChanges(false, true, app)
	want := []FieldChange{{"pushGroups", "on", "off"}, {"importUsers", "off", "on"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestMissing(t *testing.T) {
	if got := Missing([]string{"a", "b", "c"}, []string{"b", "x"}); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Fatalf("got %v", got)
	}
}
