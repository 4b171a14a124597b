package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/scenario"
	"github.com/oktascim/oktascim/internal/simenv"
)

// simScenarioEnv runs the shared scenarios against the simulator: the cobra root
// in-process, a fresh org and SCIM servers per scenario, and the test admin doing each
// manual step with the values the file declares.
type simScenarioEnv struct {
	t   *testing.T
	env *simenv.Env
}

func (s *simScenarioEnv) Prefix() string { return "sim" }

func (s *simScenarioEnv) Vars() map[string]string { return envVars(s.env, nil) }

func (s *simScenarioEnv) Refs() scenario.Refs {
	return scenario.Refs{SCIM20URL: simenv.VarSCIMURL, SCIM11URL: simenv.VarSCIM11URL, Token: simenv.VarSCIMToken,
		Username: simenv.VarSCIMUser, Password: simenv.VarSCIMPassword}
}

func (s *simScenarioEnv) Groups() []string  { return []string{"Engineering", "Sales"} }
func (s *simScenarioEnv) Secrets() []string { return s.env.Secrets() }
func (s *simScenarioEnv) Skip(scenario.Scenario) string {
	return "" // the admin stand-in does every manual step; both SCIM versions are served
}

func (s *simScenarioEnv) Admin(_ context.Context, sc scenario.Scenario) func() {
	templates, custom := map[string][2]string{}, map[string]string{}
	for _, in := range sc.Integrations {
		if in.Kind == "custom" {
			custom[in.Label(s.Prefix())] = in.Auth
		} else {
			templates[in.Label(s.Prefix())] = [2]string{in.SCIM, in.Auth}
		}
	}
	stopTemplates := adminDoesManualSteps(s.t, s.env, declaredSettings(s.env, templates))
	stopCustom := adminEnablesSCIM(s.t, s.env, custom)
	return func() { stopTemplates(); stopCustom() }
}

func (s *simScenarioEnv) Flags(args []string) []string {
	if slices.Contains(args, "--wait") {
		return []string{"--poll-interval", "20ms"}
	}
	return nil
}

func (s *simScenarioEnv) Run(ctx context.Context, args []string, env map[string]string) (int, string, string) {
	var out, errOut bytes.Buffer
	lookup := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	code := run(ctx, args, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, lookup)
	return code, out.String(), errOut.String()
}

// OrgWrites are the writes the simulator received since the last call.
func (s *simScenarioEnv) OrgWrites() []string {
	var w []string
	for _, r := range s.env.Org.Requests() {
		if r.Method != "GET" {
			w = append(w, r.Method+" "+r.Path)
		}
	}
	s.env.Org.ResetRequests()
	return w
}

// TestScenarios runs every scenario of internal/scenario against the simulator; the
// acceptance suite (acceptance/, build tag acceptance) runs the same list against a real org.
func TestScenarios(t *testing.T) {
	for _, sc := range scenario.All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := &simScenarioEnv{t: t, env: startEnv(t, simenv.Options{})}
			scenario.Run(ctx, t, env, sc)
			if sc.Steps[len(sc.Steps)-1].Args[0] != "apply" && len(env.env.Org.Apps()) != 0 {
				t.Errorf("the org still holds %d app(s) after the scenario", len(env.env.Org.Apps()))
			}
		})
	}
}

// TestTemplateExamplesApply applies each examples/template-*.yaml against the simulator
// with the admin doing the manual step: the examples work as they are.
func TestTemplateExamplesApply(t *testing.T) {
	files, _ := filepath.Glob("../../examples/template-*.yaml")
	if len(files) != 6 {
		t.Fatalf("found %d template examples, want 6 (auth method × sign-on mode)", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			env := startEnv(t, simenv.Options{})
			vars := envVars(env, map[string]string{"SCIM_BASE_URL": env.SCIM20.URL, "SCIM_TOKEN": env.SCIMToken,
				"SCIM_USERNAME": env.SCIMUser, "SCIM_PASSWORD": env.SCIMPassword})
			parts := strings.Split(strings.TrimSuffix(filepath.Base(path), ".yaml"), "-") // template-AUTH-SIGNON
			label := "Example (" + parts[1] + ", " + parts[2] + ")"
			stop := adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{label: {"2.0", parts[1]}}))
			r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
			stop()
			if r.code != exitcode.OK {
				t.Fatalf("exit %d\n%s", r.code, r.allOutput)
			}
			if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
				t.Fatalf("plan after apply: exit %d\n%s", r.code, r.allOutput)
			}
			assertNoSecrets(t, r.allOutput, env.Secrets()...)
		})
	}
}
