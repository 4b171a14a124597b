package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestFaultMatrix injects each fault at each step of apply for a three-integration file
// and asserts: apply succeeds, or it fails with a clear message and a re-run succeeds;
// afterwards the org holds exactly the declared apps — no duplicates, no orphans — and
// plan finds nothing left to do. A request only a second apply makes (the plan's
// reads of an app that exists) gets its fault in a second apply, after a clean first.
func TestFaultMatrix(t *testing.T) {
	steps := []struct {
		method, path string
		second       bool
	}{
		{"GET", "/api/v1/apps", false},
		{"POST", "/api/v1/apps", false},
		{"POST", "/api/v1/apps/*/connections/default", false},
		{"GET", "/api/v1/apps/*/connections/default", true},
		{"GET", "/api/v1/apps/*/features", false},
		{"PUT", "/api/v1/apps/*/features/USER_PROVISIONING", false},
		{"GET", "/api/v1/groups", false},
		{"PUT", "/api/v1/apps/*/groups/*", false},
		{"GET", "/api/v1/groups/*/apps", true},
		{"GET", "/api/v1/logs", false},
	}
	faults := []oktaorg.Fault{
		{Kind: oktaorg.FaultStatus, Status: 500},
		{Kind: oktaorg.FaultStatus, Status: 503, Times: 3},
		{Kind: oktaorg.FaultRateLimitBurst, Times: 2, Delay: 200 * time.Millisecond},
		{Kind: oktaorg.FaultReset, Times: 2},
		{Kind: oktaorg.FaultResetAfterWrite},
		{Kind: oktaorg.FaultHang, Delay: 150 * time.Millisecond}, // then the connection drops
		{Kind: oktaorg.FaultHang, Times: 2},                      // no answer at all: the request timeout cuts it off
		{Kind: oktaorg.FaultLatency, Delay: 200 * time.Millisecond, Times: 5},
	}
	names := []string{"alpha", "beta", "gamma"}
	var ins []string
	for i, n := range names {
		method := []string{"oauth", "header", "oauth"}[i]
		ins = append(ins, integrationYAML(n, "2.0", method, "saml"))
	}
	content := fileOf(ins...)
	for _, st := range steps {
		for _, f := range faults {
			if f.Kind == oktaorg.FaultResetAfterWrite && st.method == "GET" {
				continue // the same as a reset for a read
			}
			f.Method, f.Path = st.method, st.path
			name := fmt.Sprintf("%s %s/%s%d%s", st.method, st.path, f.Kind, f.Status, f.Delay)
			t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
				t.Parallel()
				env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
				path := writeFile(t, content)
				vars := envVars(env, nil)
				if st.second {
					if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
						t.Fatalf("first apply (no fault): exit %d\n%s", r.code, r.allOutput)
					}
				}
				env.Org.InjectFault(f)
				r := cli(t, vars, "apply", "-f", path, "--yes", "--request-timeout", "400ms")
				if env.Org.FaultsHit() == 0 {
					t.Fatalf("the fault never hit: the step was not exercised\n%s", r.allOutput)
				}
				if r.code != exitcode.OK {
					if !strings.Contains(r.stdout, " failed ") {
						t.Fatalf("exit %d without a failed step saying why:\n%s", r.code, r.allOutput)
					}
					env.Org.ClearFaults()
					if r2 := cli(t, vars, "apply", "-f", path, "--yes"); r2.code != exitcode.OK {
						t.Fatalf("first run exit %d, re-run exit %d\n%s\n%s", r.code, r2.code, r.allOutput, r2.allOutput)
					}
				}
				env.Org.ClearFaults()
				stamps := map[string]int{}
				for _, a := range env.Org.Apps() {
					note, _ := a["settings"].(map[string]any)["notes"].(map[string]any)["admin"].(string)
					n, ok := okta.StampedName(note)
					if !ok {
						t.Fatalf("an unstamped app exists: %v", a["id"])
					}
					stamps[n]++
				}
				if len(stamps) != len(names) {
					t.Fatalf("org holds apps for %v, want %v", stamps, names)
				}
				for n, c := range stamps {
					if c != 1 {
						t.Fatalf("%d apps for %s", c, n)
					}
				}
				if p := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); p.code != exitcode.OK {
					t.Fatalf("plan after: exit %d\n%s", p.code, p.stdout)
				}
			})
		}
	}
}
