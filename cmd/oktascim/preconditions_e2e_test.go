package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestPlanTellsTheTruthBeforeAnythingIsWritten: a new app whose file names a group
// the org does not have (a Greek Ε where Engineering has a Latin E) fails the plan
// (exit 1, with --detailed-exitcode too) naming the group and what it looks like, and
// apply does not start that integration: no app is created, nothing is written,
// while an integration without problems in the same file is applied.
func TestPlanTellsTheTruthBeforeAnythingIsWritten(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	bad := strings.Replace(integrationYAML("lookalike", "2.0", "header", "saml"), "groups: [Engineering, Sales]", "groups: [\"Εngineering\", Sales]", 1)
	file := writeFile(t, fileOf(bad, integrationYAML("fine", "2.0", "header", "saml")))
	want := `group "Εngineering": does not exist in the org (did you mean "Engineering"? the two only look alike: character 1 is U+0395 (Greek), not 'E')`
	for _, args := range [][]string{{"plan", "-f", file}, {"plan", "-f", file, "--detailed-exitcode"}, {"plan", "-f", file, "-o", "json"}} {
		r := cli(t, envVars(env, nil), args...)
		shown := want
		if args[len(args)-1] == "json" {
			b, _ := json.Marshal(want)
			shown = string(b)
		}
		if r.code != exitcode.Failure || !strings.Contains(r.stdout, shown) {
			t.Errorf("%v: exit %d, want 1 naming the group\n%s", args, r.code, r.allOutput)
		}
	}
	before := len(env.Org.Requests())
	r := cli(t, envVars(env, nil), "apply", "-f", file, "--yes")
	if r.code != exitcode.Failure || !strings.Contains(r.stdout, "not started, nothing written: the plan says it would fail: "+want) {
		t.Fatalf("apply: exit %d\n%s", r.code, r.allOutput)
	}
	for _, req := range env.Org.Requests()[before:] {
		if req.Method != http.MethodGet && strings.Contains(string(req.Body), "lookalike") {
			t.Errorf("apply wrote for the failing integration: %s %s", req.Method, req.Path)
		}
	}
	if o := outcomes(r.stdout); o["fine/app"] != "done" {
		t.Errorf("the integration without problems was not applied: %v\n%s", o, r.stdout)
	}
}
