package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/scenario"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
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
func (s *simScenarioEnv) Skip(sc scenario.Scenario) string {
	if sc.ManualPath && s.env.Org.Variant(oktaorg.VariantConnectionAPI) == "accepted" {
		return "the org's connection API enables provisioning (connection-api=accepted): there is no manual step to show"
	}
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
	stopPush := s.adminChecksPushGroups(custom)
	return func() { stopTemplates(); stopCustom(); stopPush() }
}

// adminChecksPushGroups does the integration-actions step of the custom apps (whose
// files declare pushGroups: true) when provisioning went on without Push Groups, as
// under an org whose connection API turns every action off (actions-after-connection):
// the admin edits the Integration and checks Push Groups.
func (s *simScenarioEnv) adminChecksPushGroups(custom map[string]string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tried := map[string]bool{}
		for ctx.Err() == nil {
			for _, app := range s.env.Org.Apps() {
				id, _ := app["id"].(string)
				st, _ := s.env.Org.Provisioning(id)
				// The actions step asks for it when the features list lacks GROUP_PUSH; where
				// the list names it and Okta refuses the push, the push step asks, and
				// adminEnablesSCIM (which acts once the tool waits) checks it.
				if _, ours := custom[fmt.Sprint(app["label"])]; !ours || tried[id] || !st.Enabled || strings.Contains(fmt.Sprint(app["features"]), "GROUP_PUSH") {
					continue
				}
				tried[id] = true
				set := oktaorg.SCIMSettings{BaseURL: st.BaseURL, UserIDField: st.UserIDField, AuthMode: "header", HeaderValue: "Bearer " + s.env.SCIMToken,
					Actions: oktaorg.SCIMActions{ImportNewUsers: st.ImportUsers, PushNewUsers: st.PushNewUsers, PushProfileUpdates: st.PushProfileUpdates, PushGroups: true}}
				// A person who started saving finishes it (no cancellation half way).
				if err := s.env.Org.EnableSCIM(context.WithoutCancel(ctx), id, set); err != nil {
					s.t.Errorf("admin stand-in, checking Push Groups: %v", err)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
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

// TestScenarioVariantMatrix runs the scenario list against the simulator under each
// value of each variant (sim/oktaorg/variants.go, docs/variants.md) one at a time,
// and once with every variant flipped from its default: whatever Okta turns out to do
// where nobody has confirmed it, each scenario converges — after the admin's step apply
// exits 0, a second apply writes nothing, plan shows no changes. The default values are
// TestScenarios' run. One value at a time runs a representative subset (matrixSubset);
// the all-flipped run, every scenario.
func TestScenarioVariantMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the variant matrix is long; -short skips it")
	}
	type run struct {
		name     string
		variants map[string]string
	}
	var runs []run
	for _, v := range oktaorg.Variants() {
		for _, value := range v.Values[1:] {
			runs = append(runs, run{v.Name + "=" + value, map[string]string{v.Name: value}})
		}
	}
	last := map[string]string{}
	for _, v := range oktaorg.Variants() {
		last[v.Name] = v.Values[len(v.Values)-1]
	}
	runs = append(runs, run{"all-flipped", oktaorg.Flipped()}, run{"all-last", last},
		// The connection POST's answer is only written where the API accepts it.
		run{"write-answers=bare,connection-api=accepted", map[string]string{oktaorg.VariantWriteAnswers: "bare", oktaorg.VariantConnectionAPI: "accepted"}})
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			// Subtests run from goroutines, not t.Parallel: -parallel (GOMAXPROCS, 2 on CI)
			// would run two at a time, and each mostly waits on loopback round trips.
			var wg sync.WaitGroup
			for _, sc := range scenario.All() {
				if !strings.HasPrefix(r.name, "all-") && !inMatrixSubset(r.variants, sc.Name) {
					continue
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					matrixSlots <- struct{}{}
					defer func() { <-matrixSlots }()
					t.Run(sc.Name, func(t *testing.T) {
						ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
						defer cancel()
						env := &simScenarioEnv{t: t, env: startEnv(t, simenv.Options{Org: oktaorg.Options{Variants: r.variants, GroupPushDelay: 100 * time.Millisecond}})}
						scenario.Run(ctx, t, env, sc.Tolerant())
					})
				}()
			}
			wg.Wait()
		})
	}
}

// matrixSlots bounds how many matrix scenarios run at once.
var matrixSlots = make(chan struct{}, 8)

// matrixSubset are the scenarios each single variant value runs: a SAML and an SWA
// template app (header and OAuth), the pending manual step and a custom SAML app;
// matrixExtra adds those a variant is about. The all-flipped and all-last runs take
// every scenario.
var matrixSubset = map[string]bool{"template-header-saml": true, "template-oauth-swa": true, "manual-step-pending": true, "custom-header-saml": true, "custom-group-push": true}

var matrixExtra = map[string][]string{
	oktaorg.VariantSCIM1Auth:              {"template-scim11"},
	oktaorg.VariantTemplateSWA:            {"template-basic-swa", "several-at-once"},
	oktaorg.VariantRateLimitScope:         {"several-at-once"},
	oktaorg.VariantRateLimitWindow:        {"several-at-once"},
	oktaorg.VariantMappingsAt:             {"custom-basic-swa", "template-basic-saml"},
	oktaorg.VariantSchemaBaseAt:           {"custom-basic-swa", "template-basic-saml"},
	oktaorg.VariantFeaturesFrom:           {"custom-basic-swa", "several-at-once"},
	oktaorg.VariantActionsAfterEnable:     {"template-basic-swa", "several-at-once", "template-scim11"},
	oktaorg.VariantActionsAfterConnection: {"custom-basic-swa", "several-at-once"},
	oktaorg.VariantGroupPush:              {"custom-group-push"},
	oktaorg.VariantUnknownPushSource:      {"custom-group-push"},
	oktaorg.VariantWriteAnswers:           {"custom-group-push", "several-at-once"},
}

func inMatrixSubset(variants map[string]string, name string) bool {
	for v := range variants {
		if slices.Contains(matrixExtra[v], name) {
			return true
		}
	}
	return matrixSubset[name]
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
