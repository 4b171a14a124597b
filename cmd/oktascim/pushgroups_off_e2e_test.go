package main

import (
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// pushGroupsOffVariants: the connection API enables a custom app's provisioning (so no
// admin checks its Supported provisioning actions) and the features list names every
// feature the app supports, GROUP_PUSH included, while Push Groups is off.
var pushGroupsOffVariants = map[string]string{oktaorg.VariantConnectionAPI: "accepted", oktaorg.VariantFeaturesFrom: "capabilities"}

// TestPushGroupsOffDespiteFeaturesList: Okta refusing the push (400) where only the
// features list showed Push Groups on becomes the Push Groups manual step: pending
// (exit 5, no mapping) without --wait; with --wait the admin checks Push Groups, the
// push is created again and verified on the SCIM server; a second apply writes nothing.
func TestPushGroupsOffDespiteFeaturesList(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{Variants: pushGroupsOffVariants}})
	path := writeFile(t, fileOf(customYAML("pg", "header", "saml")))
	vars := envVars(env, nil)

	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.ManualPending {
		t.Fatalf("apply without --wait: exit %d, want %d\n%s", r.code, exitcode.ManualPending, r.allOutput)
	}
	got := outcomes(r.stdout)
	if got["pg/provisioning"] != "done" || got["pg/actions"] != "done" || got["pg/push"] != "manual" {
		t.Fatalf("outcomes %v, want provisioning and actions done, push manual\n%s", got, r.stdout)
	}
	text := unwrapped(r.stdout)
	for _, want := range []string{"Push Groups appears to be off", "features list names GROUP_PUSH",
		"Set the integration actions of \"pg app\"", "Supported provisioning actions: Push Groups: checked", "pushes Engineering again"} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q\n%s", want, r.stdout)
		}
	}
	id := appByLabel(t, env, "pg app")["id"].(string)
	if st, _ := env.Org.Provisioning(id); st.PushGroups {
		t.Fatal("Push Groups is on before any admin turned it on: the test does not exercise the refusal")
	}
	if scimHasGroup(env, "Engineering") || scimHasGroup(env, "sales-team") {
		t.Fatal("a group reached the SCIM server while Push Groups is off")
	}

	stop := adminEnablesSCIM(t, env, map[string]string{"pg app": "header"})
	r = cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply --wait: exit %d\n%s", r.code, r.allOutput)
	}
	if got := outcomes(r.stdout); got["pg/push"] != "done" {
		t.Fatalf("push %q, want done\n%s", got["pg/push"], r.stdout)
	}
	if !strings.Contains(unwrapped(r.stdout), "verified: Push Groups is on") {
		t.Errorf("the wait did not say how it verified Push Groups\n%s", r.stdout)
	}
	for _, g := range []string{"Engineering", "sales-team"} {
		if !scimHasGroup(env, g) {
			t.Errorf("the SCIM server has no group %s\n%s", g, r.stdout)
		}
	}

	env.Org.ResetRequests()
	r = cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("second apply: exit %d\n%s", r.code, r.allOutput)
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("second apply wrote %v\n%s", w, r.stdout)
	}
	if got := outcomes(r.stdout); got["pg/push"] != "unchanged" {
		t.Fatalf("second apply: push %q, want unchanged\n%s", got["pg/push"], r.stdout)
	}
	if p := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); p.code != exitcode.OK {
		t.Fatalf("plan exit %d\n%s", p.code, p.stdout)
	}
}

// TestPushGroupsOffSimStandIn: under --sim the admin stand-in does the Push Groups step
// the refused push asked for, and apply converges.
func TestPushGroupsOffSimStandIn(t *testing.T) {
	path := writeFile(t, fileOf(customYAML("pg", "header", "saml")))
	r := cli(t, map[string]string{}, "apply", "--sim", "-f", path, "--sim-admin-delay", "10ms", "--poll-interval", "20ms",
		"--sim-variant", "connection-api=accepted", "--sim-variant", "features-from=capabilities")
	if r.code != exitcode.OK {
		t.Fatalf("apply --sim: exit %d\n%s", r.code, r.allOutput)
	}
	text := unwrapped(r.stdout)
	if got := outcomes(r.stdout); got["pg/push"] != "done" || !strings.Contains(text, "Push Groups appears to be off") {
		t.Fatalf("push %q, want done after the Push Groups step\n%s", got["pg/push"], r.stdout)
	}
}

// TestPushRefusedAfterPushGroupsChecked: where an admin checked the custom app's Push
// Groups in this run (its provisioning step, verified), a 400 to the push is not taken
// for Push Groups being off: it fails with Okta's answer, as before.
func TestPushRefusedAfterPushGroupsChecked(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{Variants: map[string]string{oktaorg.VariantFeaturesFrom: "capabilities"}}})
	env.Org.InjectFault(oktaorg.Fault{Method: "POST", Path: "/api/v1/apps/*/group-push/mappings", Kind: oktaorg.FaultStatus, Status: 400})
	path := writeFile(t, fileOf(customYAML("pg", "header", "saml")))
	stop := adminEnablesSCIM(t, env, map[string]string{"pg app": "header"})
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.Failure {
		t.Fatalf("apply: exit %d, want %d\n%s", r.code, exitcode.Failure, r.allOutput)
	}
	if got := outcomes(r.stdout); got["pg/provisioning"] != "done" || got["pg/push"] != "failed" {
		t.Fatalf("outcomes %v, want provisioning done (the admin's step), push failed\n%s", got, r.stdout)
	}
	if strings.Contains(unwrapped(r.stdout), "appears to be off") {
		t.Fatalf("a push refused after the admin checked Push Groups was taken for Push Groups off\n%s", r.stdout)
	}
}

// TestTemplatePushGroupsOffDespiteTheTab: a template app whose Push Groups tab answers
// (the simulator's Group Push Mappings list answers whatever the setting, as nothing
// documents that Okta's refuses) while the admin left Push Groups unchecked: the push
// Okta refuses (400) becomes the Push Groups manual step (exit 5, nothing pushed), not
// a failure; once the admin checks it, apply pushes and converges.
func TestTemplatePushGroupsOffDespiteTheTab(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	in := strings.Replace(integrationYAML("tp", "2.0", "header", "saml"), "syncPassword: false }", "syncPassword: false, pushGroups: true }", 1) +
		"    pushGroups:\n      - group: Engineering\n"
	path := writeFile(t, fileOf(in))
	vars := envVars(env, nil)
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.ManualPending {
		t.Fatalf("first apply: exit %d, want %d (provisioning is a manual step)\n%s", r.code, exitcode.ManualPending, r.allOutput)
	}
	id := appByLabel(t, env, "tp app")["id"].(string)
	settings := oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "header", Token: env.SCIMToken,
		UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true} // Push Groups left unchecked
	if err := env.Org.EnableProvisioning(t.Context(), id, settings); err != nil {
		t.Fatal(err)
	}
	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.ManualPending {
		t.Fatalf("apply with Push Groups off: exit %d, want %d\n%s", r.code, exitcode.ManualPending, r.allOutput)
	}
	if got := outcomes(r.stdout); got["tp/push"] != "manual" {
		t.Fatalf("outcomes %v, want push manual\n%s", got, r.stdout)
	}
	if text := unwrapped(r.stdout); !strings.Contains(text, "Push Groups appears to be off") || !strings.Contains(text, "Push Groups tab answers") {
		t.Fatalf("the push step does not say Push Groups seems off and why it looked on\n%s", r.stdout)
	}
	if scimHasGroup(env, "Engineering") {
		t.Fatal("Engineering reached the SCIM server while Push Groups is off")
	}

	settings.PushGroups = true // the admin checks Push Groups and saves
	if err := env.Org.EnableProvisioning(t.Context(), id, settings); err != nil {
		t.Fatal(err)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK || outcomes(r.stdout)["tp/push"] != "done" || !scimHasGroup(env, "Engineering") {
		t.Fatalf("apply after the admin checked Push Groups: exit %d, push %q\n%s", r.code, outcomes(r.stdout)["tp/push"], r.allOutput)
	}
	env.Org.ResetRequests()
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK || len(writes(env)) > 0 {
		t.Fatalf("second apply: exit %d, writes %v\n%s", r.code, writes(env), r.allOutput)
	}
}
