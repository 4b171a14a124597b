package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

func TestDecideAppEachOperation(t *testing.T) {
	in := integration()
	if s := DecideApp(in, Match{}); s.Op != AppCreate || s.Spec.Label != "Acme" || s.Activates() {
		t.Fatalf("no app: %+v", s)
	}
	app := managedApp()
	app.AdminNote += "\nthe admin's note"
	if s := DecideApp(in, Match{App: &app}); s.Op != AppUnchanged || len(s.Changes) != 0 {
		t.Fatalf("as declared: %+v", s)
	}
	app.Label = "old"
	s := DecideApp(in, Match{App: &app})
	if s.Op != AppUpdate || len(s.Changes) != 1 || !strings.Contains(s.Spec.AdminNote, "the admin's note") {
		t.Fatalf("label drift: %+v (the update keeps the admin's note)", s)
	}
	app.Label, app.Status = "Acme", "INACTIVE"
	s = DecideApp(in, Match{App: &app})
	if s.Op != AppActivate || !s.Activates() || !reflect.DeepEqual(s.Changes, []FieldChange{{"status", "INACTIVE", "ACTIVE"}}) {
		t.Fatalf("inactive: %+v", s)
	}
}

func TestAppStepVerifiesTheAnswer(t *testing.T) {
	s := DecideApp(integration(), Match{})
	got := managedApp()
	if err := s.Verify(got); err != nil {
		t.Fatalf("the app as written: %v", err)
	}
	got.AppSettings = map[string]any{"acsUrl": "https://other/acs", "audienceUri": "https://a"}
	var nk *NotKeptError
	if err := s.Verify(got); !errors.As(err, &nk) || nk.Left[0].Field != "settings.app.acsUrl" {
		t.Fatalf("a setting Okta did not keep: %v", err)
	}
	got = managedApp()
	got.Status = "INACTIVE"
	if err := s.Verify(got); err == nil || !strings.Contains(err.Error(), "INACTIVE after activation") {
		t.Fatalf("inactive after the write: %v", err)
	}
}

// One rule decides whether the connection API can take the credentials, for the plan's
// base URL change and apply's attempt alike: not Basic, not a custom app's OAuth 2.
func TestDecideProvisioning(t *testing.T) {
	in := integration() // header
	on := okta.Connection{Status: "ENABLED", AuthScheme: "TOKEN", BaseURL: "https://old/v2"}
	if s := DecideProvisioning(in, true, on); s.Op != ProvisioningSetConnection || s.Why != "base URL https://old/v2 → https://scim.example/v2" {
		t.Fatalf("base URL drift: %+v", s)
	}
	on.BaseURL = in.SCIM.BaseURL
	if s := DecideProvisioning(in, true, on); s.Op != ProvisioningUnchanged {
		t.Fatalf("as declared: %+v", s)
	}
	if s := DecideProvisioning(in, true, okta.Connection{Status: "UNKNOWN"}); s.Op != ProvisioningUnchanged {
		t.Fatalf("unreadable connection: %+v", s)
	}
	if s := DecideProvisioning(in, false, okta.Connection{}); s.Op != ProvisioningTryAPI {
		t.Fatalf("off, token: %+v", s)
	}
	for _, c := range []struct {
		method, kind string
	}{{"basic", ""}, {"oauth", config.KindCustom}} {
		in := integration()
		in.SCIM.Auth.Method, in.Kind = c.method, c.kind
		if s := DecideProvisioning(in, false, okta.Connection{}); s.Op != ProvisioningManual {
			t.Fatalf("%s %s off: %+v", c.kind, c.method, s)
		}
		drift := okta.Connection{Status: "ENABLED", BaseURL: "https://old/v2"}
		if s := DecideProvisioning(in, true, drift); s.Op != ProvisioningUnchanged {
			t.Fatalf("%s %s: the API cannot take these credentials, so no base URL change: %+v", c.kind, c.method, s)
		}
		if p := Compute(in, Observed{Match: Match{App: &okta.App{ID: "0oa1", Status: "ACTIVE"}}, ProvisioningOn: true, Connection: drift}, false); strings.Contains(Summarize(p.Changes), "scim.baseUrl") {
			t.Fatalf("%s %s: the plan shows a base URL change apply would not make: %v", c.kind, c.method, p.Changes)
		}
	}
}

func TestVerifyConnection(t *testing.T) {
	s := DecideProvisioning(integration(), false, okta.Connection{})
	for _, c := range []struct {
		got    okta.Connection
		reread bool
		state  ConnectionState
		err    bool
	}{
		{okta.Connection{Status: "ENABLED", BaseURL: "https://scim.example/v2"}, false, ConnectionSet, false},
		{okta.Connection{Status: "UNKNOWN"}, false, ConnectionUnsupported, false},
		{okta.Connection{Status: "DISABLED", BaseURL: "https://scim.example/v2"}, false, ConnectionInactive, false},
		{okta.Connection{Status: "DISABLED"}, false, ConnectionInactive, false},
		// An answer without a base URL (the spec does not require one) is read again…
		{okta.Connection{Status: "ENABLED", BaseURL: ""}, false, ConnectionUnshown, false},
		// …and a read without one fails, as does a base URL other than the one written.
		{okta.Connection{Status: "ENABLED", BaseURL: ""}, true, ConnectionSet, true},
		{okta.Connection{Status: "ENABLED", BaseURL: "https://other.example/v2"}, false, ConnectionSet, true},
		{okta.Connection{Status: "ENABLED", BaseURL: "https://other.example/v2"}, true, ConnectionSet, true},
	} {
		state, err := s.VerifyConnection(c.got, c.reread)
		if state != c.state || (err != nil) != c.err {
			t.Errorf("%+v (reread %v): state %v err %v", c.got, c.reread, state, err)
		}
	}
}

// The PUT carries the app's own values for what the file does not declare.
func TestDecideActionsCarriesUndeclaredValues(t *testing.T) {
	in := integration()
	have := okta.UserProvisioning{Create: true, UpdateProfile: false, Deactivate: true, SyncPassword: true, PasswordSeed: "OKTA", PasswordChange: "CHANGE"}
	s := DecideActions(in, have, ActionEvidence{})
	if s.Put == nil || !s.Put.UpdateProfile || !s.Put.SyncPassword || s.Put.PasswordSeed != "OKTA" || !reflect.DeepEqual(s.Changes, []FieldChange{{"updateUsers", "off", "on"}}) {
		t.Fatalf("%+v", s)
	}
	if err := s.Verify(in, *s.Put); err != nil {
		t.Fatalf("the answer as written: %v", err)
	}
	if err := s.Verify(in, have); err == nil {
		t.Fatal("an answer without the change passed")
	}
	have.UpdateProfile = true
	if s := DecideActions(in, have, ActionEvidence{}); s.Put != nil || len(s.Console) != 0 {
		t.Fatalf("as declared: %+v", s)
	}
	in.Provisioning.PushGroups = config.Bool(true)
	s = DecideActions(in, have, ActionEvidence{})
	if s.Put != nil || len(s.Console) != 1 || ConsoleDone(in, s.Evidence) || !ConsoleDone(in, ActionEvidence{Features: []string{"GROUP_PUSH"}}) {
		t.Fatalf("Push Groups only the console sets: %+v", s)
	}
}

// Without --prune the plan reads only the declared assignments; with it, all.
func TestDecideGroups(t *testing.T) {
	in := integration()
	in.Groups = []string{"Eng", "Ops", "Gone"}
	ids := map[string]string{"Eng": "00g1", "Ops": "00g2"} // Gone: a precondition problem
	s := DecideGroups(in, ids, map[string]string{"00g1": "Eng"}, false)
	if !reflect.DeepEqual(s.Assign, []GroupRef{{"00g2", "Ops"}}) || len(s.Remove) != 0 || !reflect.DeepEqual(s.Declared, []string{"Eng", "Ops"}) {
		t.Fatalf("%+v", s)
	}
	all := map[string]string{"00g1": "Eng", "00g9": "Support", "00g8": "Alpha"}
	s = DecideGroups(in, ids, all, true)
	if !reflect.DeepEqual(s.Remove, []GroupRef{{"00g8", "Alpha"}, {"00g9", "Support"}}) || s.Unchanged() {
		t.Fatalf("prune: %+v", s)
	}
	if err := s.VerifyAssigned(GroupRef{"00g2", "Ops"}, "00g2"); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyAssigned(GroupRef{"00g2", "Ops"}, ""); err == nil {
		t.Fatal("an answer without the assignment passed")
	}
	if err := s.VerifyRemoved([]string{"00g1", "00g9"}); err == nil || !strings.Contains(err.Error(), "Support") {
		t.Fatalf("a removal Okta did not make: %v", err)
	}
}

func TestDecidePushAndVerify(t *testing.T) {
	wants := []PushWant{{"00g1", "Eng", "Eng"}, {"00g2", "Ops", "ops"}}
	have := []okta.GroupPush{{ID: "gp1", SourceGroupID: "00g1", Status: "INACTIVE"}, {ID: "gp9", SourceGroupID: "00g9", Status: "ACTIVE"}}
	s := DecidePush(wants, have, map[string]string{"00g9": "Old"}, true)
	if !reflect.DeepEqual(s.Create, wants[1:]) || len(s.Activate) != 1 || s.Activate[0].ID != "gp1" || len(s.Remove) != 1 || s.Remove[0].ID != "gp9" {
		t.Fatalf("%+v", s)
	}
	if s := DecidePush(wants, have, nil, false); len(s.Remove) != 0 || len(s.Kept) != 1 {
		t.Fatalf("without prune: %+v", s)
	}
	if err := VerifyPush(wants[1], okta.GroupPush{ID: "gp2", SourceGroupID: "00g2", Status: "ACTIVE"}); err != nil {
		t.Fatal(err)
	}
	var pf *PushFailedError
	if err := VerifyPush(wants[1], okta.GroupPush{ID: "gp2", SourceGroupID: "00g2", Status: "ERROR", ErrorSummary: "409"}); !errors.As(err, &pf) || pf.Reason != "409" {
		t.Fatalf("ERROR: %v", err)
	}
	if err := VerifyPush(wants[1], okta.GroupPush{}); !errors.Is(err, ErrPushNotShown) {
		t.Fatalf("no mapping in the answer: %v", err)
	}
	// An answer without the source group or status (with or without the id) is short
	// (read it again); one that names another source group or a status is not:
	// VerifyPush judges it.
	for _, c := range []struct {
		got   okta.GroupPush
		short bool
	}{
		{okta.GroupPush{ID: "gp2"}, true},
		{okta.GroupPush{ID: "gp2", SourceGroupID: "00g2"}, true},
		{okta.GroupPush{ID: "gp2", Status: "ACTIVE"}, true},
		{okta.GroupPush{ID: "gp2", SourceGroupID: "00g9", Status: "ACTIVE"}, false},
		{okta.GroupPush{ID: "gp2", SourceGroupID: "00g2", Status: "INACTIVE"}, false},
		{okta.GroupPush{}, true},
	} {
		if got := PushAnswerShort(c.got); got != c.short {
			t.Errorf("PushAnswerShort(%+v) = %v", c.got, got)
		}
	}
	if got := FindPush(wants[1], have); got.ID != "" {
		t.Fatalf("FindPush of a group without a mapping: %+v", got)
	}
	if got := FindPush(wants[0], have); got.ID != "gp1" {
		t.Fatalf("FindPush: %+v", got)
	}
	if err := VerifyPush(wants[1], okta.GroupPush{ID: "gp2", SourceGroupID: "00g9", Status: "ACTIVE"}); !errors.Is(err, ErrPushNotShown) {
		t.Fatalf("an answer naming another source group: %v", err)
	}
}

func TestDecideMappings(t *testing.T) {
	in := integration()
	in.Mappings.ToApp = []config.PropertyMapping{{Property: "dept", Expression: "user.department", Type: "string", Update: true}}
	s := DecideMappings(in, okta.AppSchema{}, okta.Mapping{ID: "prm1", Properties: map[string]okta.MappingProperty{}}, okta.Mapping{})
	if len(s.Add) != 1 || len(s.Writes) != 1 || s.Writes[0].ID != "prm1" || s.Missing != nil {
		t.Fatalf("%+v", s)
	}
	if err := s.Writes[0].Verify(okta.Mapping{ID: "prm1", Properties: s.Writes[0].Body}); err != nil {
		t.Fatal(err)
	}
	if err := s.Writes[0].Verify(okta.Mapping{ID: "prm1"}); err == nil {
		t.Fatal("an answer without the property passed")
	}
	if err := s.VerifySchema(in, okta.AppSchema{}); err == nil {
		t.Fatal("a schema without the property passed")
	}
	if s := DecideMappings(in, okta.AppSchema{}, okta.Mapping{}, okta.Mapping{}); s.Missing == nil {
		t.Fatal("no toApp mapping on the app is not named")
	}
}

// Provisioning on without a USER_PROVISIONING feature: the actions step cannot PUT,
// and says why instead of writing.
func TestComputeWithoutUserProvisioning(t *testing.T) {
	obs := observedOn(managedApp())
	obs.UserProvisioning, obs.NoUserProvisioning = okta.UserProvisioning{}, true
	p := Compute(integration(), obs, false)
	if a := p.Steps.Actions; a.Put != nil || !errors.Is(a.Missing, ErrNoUserProvisioning) {
		t.Fatalf("%+v", a)
	}
}
