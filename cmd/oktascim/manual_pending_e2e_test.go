package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// manualDoc is the part of a plan or apply document this test compares.
type manualDoc struct {
	Integrations []struct {
		Name   string           `json:"name"`
		Manual []map[string]any `json:"manual"`
	} `json:"integrations"`
	Plan   *manualDoc `json:"plan"`
	Events []struct {
		Integration string         `json:"integration"`
		Manual      map[string]any `json:"manual"`
	} `json:"events"`
}

func decodeManual(t *testing.T, r result) manualDoc {
	t.Helper()
	var d manualDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("%v\n%s", err, r.allOutput)
	}
	return d
}

// pending is a plan's manual steps by integration.
func (d manualDoc) pending() map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, in := range d.Integrations {
		out[in.Name] = in.Manual
	}
	return out
}

// printed is the manual steps apply's events carry, by integration.
func (d manualDoc) printed() map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, e := range d.Events {
		if e.Manual != nil {
			out[e.Integration] = append(out[e.Integration], e.Manual)
		}
	}
	return out
}

// without is a copy of m without keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// TestPlanPendingStepsAreTheStepsApplyPrints: the manual step plan -o json lists as
// pending for an integration is the step apply -o json prints for it (title, actions,
// fields, verify), apart from the app id and link a created app gains and the plan's
// condition; once the app exists, the same in every key. Through the cobra root, on
// an org whose Provisioning Connection API takes nothing (provisioning stays manual),
// for a template app with Basic auth, one with a header token (the API tried first)
// and a custom app. The steps match the schema's manualStep, and the plan holds no
// secret even where apply prints them (--show-secrets).
func TestPlanPendingStepsAreTheStepsApplyPrints(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("tmpl", "2.0", "basic", "saml"), integrationYAML("hdr", "2.0", "header", "swa"), customYAML("cust", "header", "saml")))
	vars := envVars(env, nil)
	names := []string{"tmpl", "hdr", "cust"}

	compare := func(stage string, planned, printed map[string][]map[string]any, ignore ...string) {
		t.Helper()
		for _, name := range names {
			if len(printed[name]) == 0 || len(planned[name]) == 0 {
				t.Fatalf("%s: %s: plan lists %d pending step(s), apply printed %d", stage, name, len(planned[name]), len(printed[name]))
			}
			for _, got := range printed[name] {
				if got["appId"] == nil || got["link"] == nil || got["when"] != nil {
					t.Fatalf("%s: %s: apply's step has no app id or link, or a condition: %v", stage, name, got)
				}
				found := false
				for _, want := range planned[name] {
					if want["title"] != got["title"] {
						continue
					}
					found = true
					if !reflect.DeepEqual(without(want, append(ignore, "when")...), without(got, ignore...)) {
						t.Errorf("%s: %s: the plan's pending step\n%v\ndiffers from the step apply printed\n%v", stage, name, want, got)
					}
				}
				if !found {
					t.Errorf("%s: %s: apply printed %q, which the plan does not list as pending (%v)", stage, name, got["title"], planned[name])
				}
			}
		}
	}

	// A new app: the plan's step has no app id or link yet.
	r := cli(t, vars, "plan", "-f", path, "-o", "json")
	checkPlanSchema(t, r.stdout)
	before := decodeManual(t, r).pending()
	for _, name := range names {
		for _, m := range before[name] {
			if m["appId"] != nil || m["link"] != nil {
				t.Fatalf("%s: a pending step of an app not created yet has an id or link: %v", name, m)
			}
		}
	}
	if before["tmpl"][0]["when"] != nil || before["hdr"][0]["when"] == nil {
		t.Fatalf("conditions: basic auth %v, header token %v", before["tmpl"][0]["when"], before["hdr"][0]["when"])
	}
	r = cli(t, vars, "apply", "-f", path, "--yes", "-o", "json")
	if r.code != exitcode.ManualPending {
		t.Fatalf("apply exit %d, want %d\n%s", r.code, exitcode.ManualPending, r.allOutput)
	}
	applied := decodeManual(t, r)
	if !reflect.DeepEqual(applied.Plan.pending(), before) {
		t.Fatalf("apply's plan lists other pending steps than plan's:\n%v\n%v", applied.Plan.pending(), before)
	}
	// apply's plan is the plan document's: its integrations match the schema's.
	var embedded struct {
		Plan struct {
			Integrations []json.RawMessage `json:"integrations"`
		} `json:"plan"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &embedded); err != nil || len(embedded.Plan.Integrations) != len(names) {
		t.Fatalf("apply's plan: %v\n%s", err, r.stdout)
	}
	for _, in := range embedded.Plan.Integrations {
		checkPlanSchemaPart(t, "/$defs/integration", string(in))
	}
	for _, ms := range applied.printed() {
		for _, m := range ms {
			b, _ := json.Marshal(m)
			checkPlanSchemaPart(t, "/$defs/manualStep", string(b))
		}
	}
	compare("create", before, applied.printed(), "appId", "link")

	// The app exists, provisioning is still off: the plan's step is apply's, link and all.
	r = cli(t, vars, "plan", "-f", path, "-o", "json")
	checkPlanSchema(t, r.stdout)
	after := decodeManual(t, r).pending()
	r = cli(t, vars, "apply", "-f", path, "--yes", "-o", "json")
	if r.code != exitcode.ManualPending {
		t.Fatalf("second apply exit %d\n%s", r.code, r.allOutput)
	}
	compare("existing app", after, decodeManual(t, r).printed())

	// --show-secrets: apply's step carries the secret's value, the plan beside it never.
	r = cli(t, vars, "apply", "-f", path, "--yes", "-o", "json", "--show-secrets")
	var raw struct {
		Plan json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil || len(raw.Plan) == 0 {
		t.Fatalf("--show-secrets: no plan in apply's document: %v\n%s", err, r.allOutput)
	}
	assertNoSecrets(t, string(raw.Plan), env.SCIMToken, env.SCIMPassword)
	shown := decodeManual(t, r)
	printed, _ := json.Marshal(shown.printed())
	for _, secret := range []string{env.SCIMToken, env.SCIMPassword} {
		if !strings.Contains(string(printed), secret) {
			t.Fatalf("--show-secrets: apply's steps do not carry a secret: %s", printed)
		}
	}
	compare("--show-secrets", after, shown.printed(), "fields")
}
