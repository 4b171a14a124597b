package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestPushPatternMatchingNoGroup: a pushGroups match: that matches no group in the org
// is a note, not a change, in plan (new app and existing app alike), and apply's push
// step says the same instead of nothing.
func TestPushPatternMatchingNoGroup(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{Variants: map[string]string{oktaorg.VariantConnectionAPI: "accepted"}}})
	in := strings.Replace(customYAML("pm", "header", "saml"), "      - Engineering\n", "      - Engineering\n      - { match: \"nomatch-*\" }\n", 1)
	path := writeFile(t, fileOf(in))
	vars := envVars(env, nil)
	const note = "push.nomatch-*: matches no group in the org"

	planSays := func(when string) {
		t.Helper()
		r := cli(t, vars, "plan", "-f", path, "-o", "json")
		var doc struct {
			Integrations []struct {
				Changes []struct{ Field string }
				Notes   []string
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Integrations) != 1 {
			t.Fatalf("%s: plan -o json (exit %d): %v\n%s", when, r.code, err, r.allOutput)
		}
		checkPlanSchema(t, r.stdout)
		for _, c := range doc.Integrations[0].Changes {
			if strings.Contains(c.Field, "nomatch") {
				t.Errorf("%s: the pattern is counted as a change: %+v", when, c)
			}
		}
		if strings.Join(doc.Integrations[0].Notes, "\n") != note {
			t.Errorf("%s: notes %q, want %q", when, doc.Integrations[0].Notes, note)
		}
		if r = cli(t, vars, "plan", "-f", path); !strings.Contains(unwrapped(r.stdout), note) {
			t.Errorf("%s: plan's text lacks %q\n%s", when, note, r.stdout)
		}
	}
	planSays("new app")

	stop := adminEnablesSCIM(t, env, map[string]string{"pm app": "header"})
	r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.allOutput)
	}
	if text := unwrapped(r.stdout); !strings.Contains(text, note) {
		t.Errorf("apply's push step does not say %q\n%s", note, r.stdout)
	}
	planSays("existing app")
}
