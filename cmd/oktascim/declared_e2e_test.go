package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// toAppOnlyYAML is a template integration that declares only the three To App actions:
// no visibility, no syncPassword, pushGroups or importUsers, no groups.
func toAppOnlyYAML(name string) string {
	return `  - name: ` + name + `
    scim:
      baseUrl: ${OKTASCIM_SIM_SCIM_URL}
      auth: { method: header, token: { env: OKTASCIM_SIM_SCIM_TOKEN } }
    signOn:
      mode: saml
      saml: { acsUrl: https://` + name + `.example/saml/acs, audience: https://` + name + `.example }
    provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true }
`
}

// refused are the requests since from that Okta answered with a 4xx.
func refused(env *simenv.Env, from int) []string {
	var out []string
	for _, r := range env.Org.Requests()[from:] {
		if r.Status >= 400 && r.Status < 500 {
			out = append(out, r.Method+" "+r.Path+"?"+r.RawQuery)
		}
	}
	return out
}

// converged checks that a second apply writes nothing and plan shows no changes.
func converged(t *testing.T, env *simenv.Env, vars map[string]string, path string) {
	t.Helper()
	before := len(writes(env))
	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("second apply exit %d\n%s", r.code, r.allOutput)
	}
	if w := writes(env)[before:]; len(w) != 0 {
		t.Fatalf("second apply wrote %v\n%s", w, r.stdout)
	}
	if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after apply exit %d\n%s", r.code, r.stdout)
	}
}

// TestOnlyTheToAppActionsConvergeWhateverTheAdminLeavesOn: a file that declares only
// createUsers, updateUsers and deactivateUsers converges whichever actions Okta has on
// once the admin enables the app (all on: Push Groups and Import too; all off; To App
// only; as entered), on the manual path and on the automated one (connection API
// accepted). Push Groups and Import are never asked for.
func TestOnlyTheToAppActionsConvergeWhateverTheAdminLeavesOn(t *testing.T) {
	for _, path := range []string{"manual", "automated"} {
		for _, after := range []string{"all-on", "all-off", "to-app", "entered"} {
			t.Run(path+"/"+after, func(t *testing.T) {
				env := startEnv(t, simenv.Options{AcceptConnectionAPI: path == "automated",
					Org: oktaorg.Options{Variants: map[string]string{oktaorg.VariantActionsAfterEnable: after}}})
				file := writeFile(t, fileOf(toAppOnlyYAML("acme")))
				vars := envVars(env, nil)
				stop := adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{"acme": {"2.0", "header"}}))
				r := cli(t, vars, "apply", "-f", file, "--yes", "--wait", "--poll-interval", "20ms")
				stop()
				if r.code != exitcode.OK {
					t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
				}
				for _, never := range []string{"pushGroups", "Push Groups", "importUsers", "Import New Users"} {
					if strings.Contains(r.stdout, never) {
						t.Errorf("apply mentions %q, which the file does not declare:\n%s", never, r.stdout)
					}
				}
				if path == "automated" && !strings.Contains(r.stdout, "enabled through the Provisioning Connection API") {
					t.Errorf("the connection API was not used:\n%s", r.stdout)
				}
				converged(t, env, vars, file)
			})
		}
	}
}

// TestCustomSAMLWithMappingsStopsAtTheManualStep: a custom SAML app with mappings ends
// its first apply with exit 5 — the SCIM step pending, the mappings waiting on it, no
// request refused — and converges once the admin has switched SCIM on.
func TestCustomSAMLWithMappingsStopsAtTheManualStep(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	file := writeFile(t, fileOf(customYAML("hr", "header", "saml")))
	vars := envVars(env, nil)
	r := cli(t, vars, "plan", "-f", file)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "mappings.toApp.badgeNumber") || !strings.Contains(r.stdout, "(waiting on the manual step)") {
		t.Fatalf("plan exit %d\n%s", r.code, r.stdout)
	}
	r = cli(t, vars, "apply", "-f", file, "--yes")
	if r.code != exitcode.ManualPending {
		t.Fatalf("first apply exit %d, want 5\n%s", r.code, r.allOutput)
	}
	if bad := refused(env, 0); len(bad) > 0 {
		t.Fatalf("Okta refused %d request(s): %v\n%s", len(bad), bad, r.stdout)
	}
	got := outcomes(r.stdout)
	if got["hr/provisioning"] != "manual" || got["hr/mappings"] != "skipped" || got["hr/push"] != "skipped" {
		t.Fatalf("outcomes %v\n%s", got, r.stdout)
	}
	// The admin does the step as printed.
	var id string
	for _, a := range env.Org.Apps() {
		id = a["id"].(string)
	}
	if err := env.Org.EnableSCIM(context.Background(), id, oktaorg.SCIMSettings{BaseURL: env.SCIM20.URL, UserIDField: "userName", AuthMode: "header",
		HeaderValue: "Bearer " + env.SCIMToken, Actions: oktaorg.SCIMActions{PushNewUsers: true, PushProfileUpdates: true, PushGroups: true}}); err != nil {
		t.Fatal(err)
	}
	r = cli(t, vars, "apply", "-f", file, "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("apply after the admin step exit %d\n%s", r.code, r.allOutput)
	}
	if got := outcomes(r.stdout); got["hr/mappings"] != "done" || got["hr/push"] != "done" {
		t.Fatalf("outcomes %v\n%s", got, r.stdout)
	}
	converged(t, env, vars, file)
}

// TestGroupPushAsynchronous: when Okta pushes a group some time after the mapping
// answers ACTIVE, apply waits for the SCIM server (visibly, bounded) instead of failing.
func TestGroupPushAsynchronous(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{Variants: map[string]string{oktaorg.VariantGroupPush: "async"}}})
	file := writeFile(t, fileOf(customYAML("hr", "basic", "swa")))
	vars := envVars(env, nil)
	stop := adminEnablesSCIM(t, env, map[string]string{"hr app": "basic"})
	r := cli(t, vars, "apply", "-f", file, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.stdout, "waiting for the SCIM server to list") || outcomes(r.stdout)["hr/push"] != "done" {
		t.Fatalf("no visible wait for the push:\n%s", r.stdout)
	}
	converged(t, env, vars, file)
}

// importedConsoleApp adds a SAML app of template made in the console, with provisioning
// on as s says, imports it by id and returns the written file and the variables it
// names (prefix_SCIM_BASE_URL, prefix_SCIM_TOKEN).
func importedConsoleApp(t *testing.T, env *simenv.Env, template, label, prefix string, s oktaorg.ProvisioningSettings) (string, string, map[string]string) {
	t.Helper()
	host := strings.ToLower(label) + ".example"
	id := env.Org.AddApp(map[string]any{"name": template, "label": label, "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{"acsUrl": "https://" + host + "/acs", "audienceUri": "https://" + host},
			"notes": map[string]any{"admin": nil, "enduser": nil}}})
	s.Token, s.PushNewUsers, s.PushProfileUpdates = env.SCIMToken, true, true
	if err := env.Org.EnableProvisioning(context.Background(), id, s); err != nil {
		t.Fatal(err)
	}
	vars := envVars(env, map[string]string{prefix + "_SCIM_BASE_URL": s.BaseURL, prefix + "_SCIM_TOKEN": env.SCIMToken})
	out := filepath.Join(t.TempDir(), "imported.yaml")
	if r := cli(t, vars, "import", "--app-id", id, "--out", out); r.code != exitcode.OK {
		t.Fatalf("import exit %d\n%s", r.code, r.allOutput)
	}
	raw, _ := os.ReadFile(out)
	return out, string(raw), vars
}

// TestImportWritesWhatItReadsSoPlanIsClean: an app whose provisioning shows Push Groups
// and Import on is imported with those values written out; plan right after is clean.
func TestImportWritesWhatItReadsSoPlanIsClean(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	out, raw, vars := importedConsoleApp(t, env, "scim2headerauth", "Wiki", "WIKI",
		oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "header", PushGroups: true, ImportUsers: true})
	for _, want := range []string{"pushGroups: true", "importUsers: true", "syncPassword: false", "visibility: { hideWeb: false, hideMobile: false, autoLogin: false }"} {
		if !strings.Contains(raw, want) {
			t.Errorf("imported file lacks %q:\n%s", want, raw)
		}
	}
	if r := cli(t, vars, "plan", "-f", out, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan right after import exit %d\n%s", r.code, r.stdout)
	}
}

// TestImportSCIM11WritesAFileThatValidates: scim1testapp is imported as the method that
// names it (oauth), so the written file validates and plan right after is clean.
func TestImportSCIM11WritesAFileThatValidates(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	out, raw, vars := importedConsoleApp(t, env, "scim1testapp", "Legacy", "LEGACY", oktaorg.ProvisioningSettings{BaseURL: env.SCIM11.URL, AuthMode: "oauth"})
	if !strings.Contains(raw, "method: oauth") || !strings.Contains(raw, "OAuth bearer variant (unconfirmed)") {
		t.Errorf("imported file:\n%s", raw)
	}
	if r := cli(t, vars, "validate", "-f", out); r.code != exitcode.OK {
		t.Fatalf("validate exit %d\n%s", r.code, r.allOutput)
	}
	if r := cli(t, vars, "plan", "-f", out, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after import exit %d\n%s", r.code, r.stdout)
	}
}
