package main

import (
	"encoding/json"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestPlanArraysAlwaysPresent: the plan document's arrays (prune[], and each
// integration's changes/removals/kept/manual/unverifiable) are present as arrays even
// when empty, in plan's document and in the plan apply embeds, so `jq '.prune[]'` works;
// so are apply's events' changes/warnings/systemLog.
func TestPlanArraysAlwaysPresent(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	check := func(what string, doc map[string]any) {
		t.Helper()
		if _, ok := doc["prune"].([]any); !ok {
			t.Errorf("%s: prune is %#v, want an array", what, doc["prune"])
		}
		ins, _ := doc["integrations"].([]any)
		if len(ins) == 0 {
			t.Fatalf("%s: no integrations: %#v", what, doc)
		}
		for _, raw := range ins {
			in := raw.(map[string]any)
			for _, k := range []string{"changes", "removals", "kept", "manual", "unverifiable"} {
				if _, ok := in[k].([]any); !ok {
					t.Errorf("%s: integrations[].%s is %#v, want an array", what, k, in[k])
				}
			}
		}
	}
	r := cli(t, vars, "plan", "-f", path, "-o", "json")
	if r.code != exitcode.OK {
		t.Fatalf("plan exit %d\n%s", r.code, r.allOutput)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("plan -o json: %v\n%s", err, r.stdout)
	}
	check("plan", doc)
	checkPlanSchema(t, r.stdout)

	r = cli(t, vars, "apply", "-f", path, "--yes", "-o", "json")
	var applied struct {
		Plan   map[string]any   `json:"plan"`
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &applied); err != nil || applied.Plan == nil || len(applied.Events) == 0 {
		t.Fatalf("apply -o json (exit %d): no plan or events (%v)\n%s", r.code, err, r.allOutput)
	}
	check("apply's plan", applied.Plan)
	// The events' arrays too: changes[], warnings[], systemLog[] (docs/output.md).
	for _, ev := range applied.Events {
		for _, k := range []string{"changes", "warnings", "systemLog"} {
			if _, ok := ev[k].([]any); !ok {
				t.Errorf("apply event %v/%v: %s is %#v, want an array", ev["integration"], ev["step"], k, ev[k])
			}
		}
	}
}
