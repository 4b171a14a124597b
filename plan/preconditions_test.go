package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// TestPreconditionsForNewAndExistingApps: a declared group that does not exist fails
// the plan whether the app exists yet or not, and it is not listed as a change.
func TestPreconditionsForNewAndExistingApps(t *testing.T) {
	in := integration()
	in.Groups = []string{"Εngineering"} // a Greek capital epsilon
	in.PushGroups = []config.PushGroup{{Group: "Salse"}}
	missing := Observed{Groups: map[string]string{}, Assigned: map[string]string{},
		GroupProblems:   map[string]string{"Εngineering": "does not exist in the org", "Salse": "does not exist in the org"},
		GroupCandidates: map[string][]string{"Εngineering": {"Engineering", "Engineers"}, "Salse": {"Sales", "Salsa Club"}}}
	want := []string{
		`group "Εngineering": does not exist in the org (did you mean "Engineering"? the two only look alike: character 1 is U+0395 (Greek), not 'E')`,
		`group "Salse": does not exist in the org (did you mean "Sales"?)`,
	}
	existing := missing
	existing.Match = Match{App: ptr(managedApp())}
	for name, obs := range map[string]Observed{"new app": missing, "existing app": existing} {
		p := Compute(in, obs, false)
		if !reflect.DeepEqual(p.Problems, want) {
			t.Errorf("%s: problems\n%q\nwant\n%q", name, p.Problems, want)
		}
		for _, c := range p.Changes {
			if c.Field == "groups" || strings.HasPrefix(c.Field, "push.Salse") && obs.Match.App != nil {
				t.Errorf("%s: a missing group is listed as a change: %v", name, c)
			}
		}
		plan := Plan{Integrations: []Integration{p}}
		plan.Finish()
		if !plan.HasErrors() {
			t.Errorf("%s: a plan with problems does not fail", name)
		}
	}
}

func TestPreconditionsMappings(t *testing.T) {
	in := integration()
	in.Mappings.ToOkta = []config.PropertyMapping{{Property: "nickName", Expression: "appuser.nick"}}
	obs := observedOn(managedApp())
	obs.MappingsRead, obs.ToApp = true, okta.Mapping{ID: "prm1"}
	p := Compute(in, obs, false)
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0], "mappings.toOkta: Okta has no app → Okta user profile mapping") {
		t.Fatalf("problems %q", p.Problems)
	}
	obs.ToOkta = okta.Mapping{ID: "prm2"}
	if p := Compute(in, obs, false); len(p.Problems) != 0 {
		t.Fatalf("problems %q with both mappings there", p.Problems)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []string
		want       string
	}{
		{"Εngineering", []string{"Engineering"}, `(did you mean "Engineering"? the two only look alike: character 1 is U+0395 (Greek), not 'E')`},
		{"Sаles", []string{"Sales"}, `(did you mean "Sales"? the two only look alike: character 2 is U+0430 (Cyrillic), not 'a')`},
		{"Sales\u200b", []string{"Sales"}, `(did you mean "Sales"? the two only look alike: character 6 is U+200B (format character), not an invisible character)`},
		{"ＳＲＥ", []string{"SRE"}, `the two only look alike: character 1 is U+FF33 (fullwidth), not 'S'`},
		{"engineering", []string{"Engineering"}, `(did you mean "Engineering"? group names are compared exactly, case included)`},
		{"Enginering", []string{"Engineering", "Marketing"}, `(did you mean "Engineering"?)`},
		{"Finance", []string{"Engineering", "Marketing"}, ``},
		{"Εngineering", nil, `(character 1 is U+0395 (Greek), not 'E')`},
	} {
		if got := DidYouMean(tc.name, tc.candidates); !strings.Contains(got, tc.want) || (tc.want == "" && got != "") {
			t.Errorf("DidYouMean(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := SearchPrefixes("Εngineering"); !reflect.DeepEqual(got, []string{"Engineering", "Eng"}) {
		t.Errorf("SearchPrefixes = %q", got)
	}
}

func ptr[T any](v T) *T { return &v }
