package roundtrip

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

const file = `version: 1
integrations:
  - name: acme
    scim:
      version: "2.0"
      baseUrl: ${OKTASCIM_SIM_SCIM_URL}
      auth: { method: oauth, token: { env: OKTASCIM_SIM_SCIM_TOKEN } }
    signOn:
      mode: saml
      saml: { acsUrl: https://acme.example/acs, audience: https://acme.example }
    provisioning: { pushGroups: true }
    pushGroups: [Engineering]
  - name: legacy
    scim:
      version: "1.1"
      baseUrl: ${OKTASCIM_SIM_SCIM11_URL}
      auth: { method: oauth, token: { env: OKTASCIM_SIM_SCIM_TOKEN } }
    signOn:
      mode: saml
      saml: { acsUrl: https://legacy.example/acs, audience: https://legacy.example }
`

// provisioned makes, as an admin would, a stamped template app per integration with
// provisioning on (Push Groups checked) and every To App action on.
func provisioned(t *testing.T, env *simenv.Env, c *okta.Client, ins []config.Integration) {
	t.Helper()
	ctx := context.Background()
	for _, in := range ins {
		name, base := "scim2testapp", env.SCIM20.URL
		if in.SCIM.Version == "1.1" {
			name, base = "scim1testapp", env.SCIM11.URL
		}
		id := env.Org.AddApp(map[string]any{"name": name, "label": in.Label, "signOnMode": "SAML_2_0",
			"settings": map[string]any{"app": map[string]any{}, "notes": map[string]any{"admin": okta.Stamp(in.Name)}}})
		if err := env.Org.EnableProvisioning(ctx, id, oktaorg.ProvisioningSettings{BaseURL: base, AuthMode: in.SCIM.Auth.Method, Token: env.SCIMToken,
			UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true, PushGroups: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UpdateUserProvisioning(ctx, id, okta.UserProvisioning{Status: "ENABLED", Create: true, UpdateProfile: true, Deactivate: true, PasswordSeed: "RANDOM", PasswordChange: "KEEP_EXISTING"}); err != nil {
			t.Fatal(err)
		}
	}
}

func setup(t *testing.T, variants map[string]string) (*simenv.Env, *okta.Client, []config.Integration) {
	t.Helper()
	env, err := simenv.Start(simenv.Options{Org: oktaorg.Options{ProvisioningDelay: 20 * time.Millisecond, Variants: variants, RateLimitPerMinute: 10000}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	f, err := config.Parse("oktascim.yaml", []byte(file), t.TempDir(), config.LoadOptions{LookupEnv: env.LookupEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	provisioned(t, env, c, f.Integrations)
	return env, c, f.Integrations
}

// TestRunEveryStage: SCIM 2.0 with a group push that arrives later than the API's
// answer (group-push=async), and SCIM 1.1 (deactivation by PUT): every stage passes,
// in order, each with its time.
func TestRunEveryStage(t *testing.T) {
	env, c, ins := setup(t, map[string]string{oktaorg.VariantGroupPush: "async", oktaorg.VariantProvisionStaged: "on-assignment"})
	env.Org.ResetRequests()
	res := Run(context.Background(), Options{Client: c, Integrations: ins, Timeout: 20 * time.Second, PollInterval: 10 * time.Millisecond})
	byRoute := map[string]int{}
	for _, r := range env.Org.Requests() {
		byRoute[r.Method+" "+r.Path[:min(len(r.Path), 20)]]++
	}
	// A budget: the writes are fixed (create, activate, assign, update, unassign, two
	// DELETEs, the group, its push and their removal); the reads grow with the waits,
	// and the System Log is read at most once a second.
	if n := len(env.Org.Requests()); n > 50 || byRoute["GET /api/v1/logs"] > 8 {
		t.Errorf("%d requests, %d System Log reads for two round trips: %v", n, byRoute["GET /api/v1/logs"], byRoute)
	}
	if res.Code != 0 {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	want := []string{"acme 1 assign done", "acme 2 create done", "acme 3 update done", "acme 4 deactivate done", "acme 5 group-push done", "acme 6 cleanup done",
		"legacy 1 assign done", "legacy 2 create done", "legacy 3 update done", "legacy 4 deactivate done", "legacy 5 group-push skipped", "legacy 6 cleanup done"}
	if len(res.Stages) != len(want) {
		t.Fatalf("%d stages, want %d: %+v", len(res.Stages), len(want), res.Stages)
	}
	for i, s := range res.Stages {
		if got := s.Integration + " " + itoa(s.Number) + " " + s.Name + " " + string(s.Outcome); got != want[i] {
			t.Errorf("stage %d: %q, want %q (%s)", i, got, want[i], s.Detail)
		}
		if s.Seconds < 0 || s.Probe == "" || s.AppID == "" {
			t.Errorf("stage %d lacks its time, probe or app: %+v", i, s)
		}
	}
	for _, u := range env.SCIM11.Users() {
		if u["active"] != false {
			t.Errorf("SCIM 1.1 probe not deactivated: %v", u)
		}
	}
	if n := len(env.Org.Users()); n != 0 {
		t.Errorf("%d users left in the org", n)
	}
}

// TestRunProvisioningOff: an app whose provisioning is off fails stage 1 with the
// reason and a hint, makes nothing, and skips the rest (exit 1).
func TestRunProvisioningOff(t *testing.T) {
	env, c, ins := setup(t, nil)
	for _, a := range env.Org.Apps() {
		if err := env.Org.DisableProvisioning(a["id"].(string)); err != nil {
			t.Fatal(err)
		}
	}
	res := Run(context.Background(), Options{Client: c, Integrations: ins[:1], Timeout: 2 * time.Second})
	if res.Code != 1 || len(res.Stages) != 5 || res.Stages[0].Outcome != apply.Failed || res.Stages[0].Hint == "" || res.Stages[4].Outcome != apply.Skipped {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	if n := len(env.Org.Users()); n != 0 {
		t.Errorf("%d users made", n)
	}
}

func TestProbeDomain(t *testing.T) {
	for base, want := range map[string]string{
		"https://scim.acme.example/scim/v2": "scim.acme.example",
		"http://127.0.0.1:8080/scim/v2":     "example.com",
		"https://[::1]/scim":                "example.com",
		"https://localhost/scim":            "example.com",
	} {
		tr := &trip{runner: &runner{}, in: config.Integration{SCIM: config.SCIM{BaseURL: base}}}
		if got := tr.domain(); got != want {
			t.Errorf("%s: %q, want %q", base, got, want)
		}
	}
	tr := &trip{runner: &runner{opts: Options{Domain: "corp.example"}}}
	if tr.domain() != "corp.example" {
		t.Error("--probe-domain not used")
	}
}

// TestAboutTheProbe: an event about another user is not the probe's; one naming only
// the app (a variant) or the probe is.
func TestAboutTheProbe(t *testing.T) {
	tr := &trip{user: okta.User{ID: "00uprobe"}}
	for ids, want := range map[string]bool{"0oaapp": true, "0oaapp 00uprobe": true, "0oaapp 00uother": false} {
		if got := tr.about(okta.LogEvent{TargetIDs: strings.Fields(ids)}); got != want {
			t.Errorf("%s: %t", ids, got)
		}
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

// TestRunRemovesLeftoverGroups: a probe group an earlier run left, still pushed to the
// app, goes with its push and the SCIM server's group; the run then passes.
func TestRunRemovesLeftoverGroups(t *testing.T) {
	env, c, ins := setup(t, nil)
	ctx := context.Background()
	app, err := apply.NewSession(apply.Options{Client: c, Integrations: ins}).ManagedApp(ctx, ins[0])
	if err != nil {
		t.Fatal(err)
	}
	group := env.Org.AddGroup(ProbePrefix + "earlier")
	if _, err := env.Org.PushGroup(ctx, app.ID, group, ""); err != nil {
		t.Fatal(err)
	}
	if len(env.SCIM20.Groups()) != 1 {
		t.Fatalf("the leftover push did not reach the SCIM server: %v", env.SCIM20.Groups())
	}
	// An hour later, by the run's clock: the group is an earlier run's.
	later := func() time.Time { return time.Now().Add(time.Hour) }
	res := Run(ctx, Options{Client: c, Integrations: ins[:1], Timeout: 20 * time.Second, PollInterval: 10 * time.Millisecond, Now: later})
	if res.Code != 0 || res.Stages[0].Name != StageLeftovers || !strings.Contains(res.Stages[0].Detail, "group "+ProbePrefix+"earlier") {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	if g, err := c.GetGroup(ctx, group); err == nil {
		t.Errorf("the leftover group is still in Okta: %+v", g)
	}
	if pushes, _ := c.GroupPushes(ctx, app.ID); len(pushes) != 0 {
		t.Errorf("pushes left: %+v", pushes)
	}
	if n := len(env.SCIM20.Groups()); n != 0 {
		t.Errorf("%d groups left on the SCIM server: %v", n, env.SCIM20.Groups())
	}
}

// TestRunLostCreateAnswer: Okta makes the probe user but its answer is lost: stage 1
// fails, and the cleanup finds the user by its login and deletes it.
func TestRunLostCreateAnswer(t *testing.T) {
	env, c, ins := setup(t, nil)
	env.Org.InjectFault(oktaorg.Fault{Method: "POST", Path: "/api/v1/users", Kind: oktaorg.FaultResetAfterWrite})
	res := Run(context.Background(), Options{Client: c, Integrations: ins[:1], Timeout: 5 * time.Second, PollInterval: 10 * time.Millisecond})
	if res.Code != 1 || res.Stages[0].Outcome != apply.Failed {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	last := res.Stages[len(res.Stages)-1]
	if last.Name != StageCleanup || last.Outcome != apply.Done || !strings.Contains(last.Detail, "deactivated and deleted") {
		t.Fatalf("cleanup: %+v", last)
	}
	if n := len(env.Org.Users()); n != 0 {
		t.Errorf("%d users left in the org: %v", n, env.Org.Users())
	}
}

// TestRunActionsOffInOkta: with create off in Okta the create stage and what depends on
// it are skipped, saying that the file wants it on; nothing reaches the SCIM server and
// nothing is left in Okta.
func TestRunActionsOffInOkta(t *testing.T) {
	env, c, ins := setup(t, nil)
	for _, a := range env.Org.Apps() {
		if _, err := c.UpdateUserProvisioning(context.Background(), a["id"].(string), okta.UserProvisioning{Status: "ENABLED", Create: false, UpdateProfile: true, Deactivate: true, PasswordSeed: "RANDOM", PasswordChange: "KEEP_EXISTING"}); err != nil {
			t.Fatal(err)
		}
	}
	res := Run(context.Background(), Options{Client: c, Integrations: ins[:1], Timeout: 5 * time.Second, PollInterval: 10 * time.Millisecond})
	if res.Code != 0 || len(res.Stages) != 6 || res.Stages[1].Outcome != apply.Skipped || !strings.Contains(res.Stages[1].Detail, "run 'oktascim apply'") ||
		res.Stages[2].Outcome != apply.Skipped || res.Stages[3].Outcome != apply.Skipped {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	if n := len(env.SCIM20.Users()); n != 0 {
		t.Errorf("%d users reached the SCIM server", n)
	}
	if n := len(env.Org.Users()); n != 0 {
		t.Errorf("%d users left in the org", n)
	}
}

// A push create answered with nothing of the mapping (write-answers=bare; the spec
// requires no field of it): the round trip finds its mapping by group and removes it.
func TestRunPushAnsweredBare(t *testing.T) {
	env, c, ins := setup(t, map[string]string{oktaorg.VariantWriteAnswers: "bare"})
	res := Run(context.Background(), Options{Client: c, Integrations: ins[:1], Timeout: 20 * time.Second, PollInterval: 10 * time.Millisecond})
	if res.Code != 0 {
		t.Fatalf("exit %d: %+v", res.Code, res.Stages)
	}
	for _, app := range env.Org.Apps() {
		pushes, err := c.GroupPushes(context.Background(), fmt.Sprint(app["id"]))
		if err != nil || len(pushes) != 0 {
			t.Fatalf("push mappings left on %v: %+v (%v)", app["label"], pushes, err)
		}
	}
}
