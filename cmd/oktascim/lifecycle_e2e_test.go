package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/simenv"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// converge applies the file with an admin doing the manual steps, and fails the test
// unless everything is verified.
func converge(t *testing.T, env *simenv.Env, path string, byLabel map[string][2]string, extra ...string) result {
	t.Helper()
	stop := adminDoesManualSteps(t, env, declaredSettings(env, byLabel))
	defer stop()
	r := cli(t, envVars(env, nil), append([]string{"apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms"}, extra...)...)
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	return r
}

// orgClient is a client for changing the org behind the tool's back, as an admin would.
func orgClient(t *testing.T, env *simenv.Env) *okta.Client {
	t.Helper()
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// appByLabel finds the one app with a label.
func appByLabel(t *testing.T, env *simenv.Env, label string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, a := range env.Org.Apps() {
		if a["label"] == label {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d apps labelled %q, want 1", len(found), label)
	}
	return found[0]
}

func groupID(t *testing.T, env *simenv.Env, name string) string {
	t.Helper()
	g, _, err := orgClient(t, env).FindGroup(context.Background(), name)
	if err != nil || g.ID == "" {
		t.Fatalf("group %s: %v", name, err)
	}
	return g.ID
}

// writes lists the write requests the org received.
func writes(env *simenv.Env) []string {
	var out []string
	for _, r := range env.Org.Requests() {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

var (
	appIDPattern = regexp.MustCompile(`0oa[A-Za-z0-9]{17}`)
	portPattern  = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// golden compares output with testdata/golden/name after replacing app ids and
// ports, which change from run to run.
func golden(t *testing.T, name, got string) {
	t.Helper()
	ids := map[string]string{}
	got = appIDPattern.ReplaceAllStringFunc(got, func(id string) string {
		if _, ok := ids[id]; !ok {
			ids[id] = "0oaAPP" + string(rune('A'+len(ids))) + strings.Repeat("x", 11)
		}
		return ids[id]
	})
	got = portPattern.ReplaceAllString(got, "127.0.0.1:PORT")
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// checkPlanSchema validates a plan document against docs/plan.schema.json.
func checkPlanSchema(t *testing.T, doc string) {
	t.Helper()
	checkPlanSchemaPart(t, "", doc)
}

// checkPlanSchemaPart validates a JSON value against a part of docs/plan.schema.json
// (fragment "" for the whole document, "/$defs/manualStep" for a manual step).
func checkPlanSchemaPart(t *testing.T, fragment, doc string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	raw, err := os.ReadFile("../../docs/plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("plan.schema.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("plan.schema.json#" + fragment)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("plan output is not JSON: %v\n%s", err, doc)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("output does not match docs/plan.schema.json#%s: %v\n%s", fragment, err, doc)
	}
}

// TestPlanOnEmptyOrg: every integration is a create; plan sends no write; the
// detailed exit code says there are changes; text and JSON match the golden files.
func TestPlanOnEmptyOrg(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "basic", "swa")))
	vars := envVars(env, nil)
	r := cli(t, vars, "plan", "-f", path)
	if r.code != exitcode.OK {
		t.Fatalf("plan exit %d\n%s", r.code, r.allOutput)
	}
	golden(t, "plan_empty.txt", strings.ReplaceAll(r.stdout, env.SCIM20.URL, "SCIM_URL"))
	r = cli(t, vars, "plan", "-f", path, "--detailed-exitcode", "-o", "json")
	if r.code != exitcode.Changes {
		t.Fatalf("plan --detailed-exitcode exit %d, want 3\n%s", r.code, r.allOutput)
	}
	checkPlanSchema(t, r.stdout)
	golden(t, "plan_empty.json", strings.ReplaceAll(r.stdout, env.SCIM20.URL, "SCIM_URL"))
	if w := writes(env); len(w) > 0 {
		t.Fatalf("plan wrote to the org: %v", w)
	}
	if len(env.Org.Apps()) != 0 {
		t.Fatal("plan created an app")
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken, env.SCIMPassword)
}

// TestPlanAfterApplyShowsNoChanges: exit 0 with --detailed-exitcode, and the plan says
// plainly what it cannot read back.
func TestPlanAfterApplyShowsNoChanges(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "basic", "swa")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "basic"}})
	env.Org.ResetRequests()
	r := cli(t, envVars(env, nil), "plan", "-f", path, "--detailed-exitcode")
	if r.code != exitcode.OK {
		t.Fatalf("plan exit %d, want 0\n%s", r.code, r.allOutput)
	}
	for _, want := range []string{"= unchanged  acme", "= unchanged  beta", "No changes: the org matches the file.", "? not readable: SCIM base URL and credentials", "connection test"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("plan wrote to the org: %v", w)
	}
}

// TestDriftShowsInPlanAndApplyFixesIt changes each declared field directly in the org,
// as an admin would in the console, and checks that plan names it and apply puts it back.
func TestDriftShowsInPlanAndApplyFixesIt(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	byLabel := map[string][2]string{"acme app": {"2.0", "header"}}
	converge(t, env, path, byLabel)
	vars := envVars(env, nil)
	id := appByLabel(t, env, "acme app")["id"].(string)
	c := orgClient(t, env)
	ctx := context.Background()
	mutate := func(f func(app map[string]any)) func(t *testing.T) {
		return func(t *testing.T) {
			if err := env.Org.MutateApp(id, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		drift  func(t *testing.T)
		inPlan string
	}{
		{"label", mutate(func(a map[string]any) { a["label"] = "renamed by hand" }), `~ label: "renamed by hand" → "acme app"`},
		{"sign-on settings", mutate(func(a map[string]any) {
			a["settings"].(map[string]any)["app"].(map[string]any)["acsUrl"] = "https://evil.example/acs"
		}), `~ signOn.saml.acsUrl: "https://evil.example/acs" → "https://acme.example/saml/acs"`},
		{"sign-on mode", mutate(func(a map[string]any) { a["signOnMode"] = "BROWSER_PLUGIN" }), `~ signOn.mode: "BROWSER_PLUGIN" → "SAML_2_0"`},
		{"visibility", mutate(func(a map[string]any) {
			a["visibility"].(map[string]any)["hide"].(map[string]any)["web"] = true
		}), "~ visibility.hideWeb: true → false"},
		{"status", func(t *testing.T) {
			if err := c.DeactivateApp(ctx, id); err != nil {
				t.Fatal(err)
			}
		}, "~ status: INACTIVE → ACTIVE"},
		{"provisioning actions", func(t *testing.T) {
			if _, err := c.UpdateUserProvisioning(ctx, id, okta.UserProvisioning{Create: false, UpdateProfile: true, Deactivate: false}); err != nil {
				t.Fatal(err)
			}
		}, "~ createUsers: off → on"},
		{"group assignment", func(t *testing.T) {
			if err := c.UnassignGroup(ctx, id, groupID(t, env, "Sales")); err != nil {
				t.Fatal(err)
			}
		}, "+ groups: Sales"},
		{"ownership stamp", mutate(func(a map[string]any) {
			a["settings"].(map[string]any)["notes"].(map[string]any)["admin"] = "someone's own note"
		}), `& adopt  acme  ` + id},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.drift(t)
			r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
			if r.code != exitcode.Changes {
				t.Fatalf("plan exit %d, want 3\n%s", r.code, r.allOutput)
			}
			if !strings.Contains(r.stdout, tc.inPlan) {
				t.Fatalf("plan does not show %q:\n%s", tc.inPlan, r.stdout)
			}
			a := cli(t, vars, "apply", "-f", path, "--yes")
			if a.code != exitcode.OK {
				t.Fatalf("apply exit %d\n%s", a.code, a.allOutput)
			}
			r = cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
			if r.code != exitcode.OK {
				t.Fatalf("after apply, plan exit %d, want 0\n%s", r.code, r.allOutput)
			}
			if n := len(env.Org.Apps()); n != 1 {
				t.Fatalf("org holds %d apps, want 1", n)
			}
		})
	}
	// The admin's own note survives adoption, next to the stamp.
	app, _ := env.Org.App(id)
	note := app["settings"].(map[string]any)["notes"].(map[string]any)["admin"].(string)
	if !strings.HasPrefix(note, "[oktascim:acme]") || !strings.Contains(note, "someone's own note") {
		t.Errorf("admin note after adoption: %q", note)
	}
}

// TestConsoleOnlyActionsShowAsPendingManualSteps: push groups and import have no API.
// On a custom app the wizard's checkbox is documented, so only the features list counts:
// left unchecked, it is a pending manual step (exit 5), never a write. On a template
// app the checkbox is not confirmed, so the Push Groups tab answering is accepted.
func TestConsoleOnlyActionsShowAsPendingManualSteps(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(customYAML("hr", "header", "swa")))
	vars := envVars(env, nil)
	stop := adminEnablesSCIM(t, env, map[string]string{"hr app": "header+nopush"})
	r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--wait-timeout", "300ms", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.ManualPending {
		t.Fatalf("apply exit %d, want 5: Push Groups was never checked\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.stdout, "Under Supported provisioning actions, set the checkboxes below") || !strings.Contains(r.stdout, "Supported provisioning actions: Push Groups") {
		t.Errorf("the step does not name the wizard's control:\n%s", r.stdout)
	}
	r = cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
	if r.code != exitcode.Changes || !strings.Contains(r.stdout, "! manual step pending: Set the integration actions of \"hr app\"\n") ||
		!regexp.MustCompile(`\n +link: \S+/#tab-provisioning\n +Supported provisioning actions: Push Groups: +checked\n`).MatchString(r.stdout) {
		t.Fatalf("plan exit %d:\n%s", r.code, r.stdout)
	}

	tpl := writeFile(t, fileOf(strings.Replace(integrationYAML("acme", "2.0", "header", "saml"),
		"syncPassword: false }", "syncPassword: false, pushGroups: true }", 1)))
	stop = adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{"acme app": {"2.0", "header"}}))
	r = cli(t, vars, "apply", "-f", tpl, "--yes", "--wait", "--wait-timeout", "5s", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "if the page offers it") {
		t.Fatalf("template app: apply exit %d, want 0 (the Push Groups tab shows Push Groups)\n%s", r.code, r.allOutput)
	}
	if r := cli(t, vars, "plan", "-f", tpl, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("template app: plan exit %d\n%s", r.code, r.stdout)
	}
}

// TestAdoptUnstampedApp: an app made in the console with the same template and label
// is adopted (stamped), not duplicated.
func TestAdoptUnstampedApp(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	id := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "acme app", "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{"acsUrl": "https://acme.example/saml/acs", "audienceUri": "https://acme.example"},
			"notes": map[string]any{"admin": nil, "enduser": nil}}})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
	if r.code != exitcode.Changes || !strings.Contains(r.stdout, "& adopt  acme  "+id) || !strings.Contains(r.stdout, "ownership stamp") {
		t.Fatalf("plan exit %d:\n%s", r.code, r.stdout)
	}
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}})
	if n := len(env.Org.Apps()); n != 1 {
		t.Fatalf("org holds %d apps after adopting, want 1", n)
	}
	app, _ := env.Org.App(id)
	if note, _ := app["settings"].(map[string]any)["notes"].(map[string]any)["admin"].(string); !strings.HasPrefix(note, "[oktascim:acme]") {
		t.Fatalf("adopted app not stamped: %q", note)
	}
}

// TestTwoCandidatesAreAnError: the plan names both ids and apply creates nothing.
func TestTwoCandidatesAreAnError(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	a := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "acme app"})
	b := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "acme app"})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	for _, args := range [][]string{{"plan", "-f", path}, {"plan", "-f", path, "--detailed-exitcode"}} {
		r := cli(t, vars, args...)
		if r.code != exitcode.Failure || !strings.Contains(r.stdout, a) || !strings.Contains(r.stdout, b) || !strings.Contains(r.stdout, "! error  acme") {
			t.Fatalf("%v: exit %d:\n%s", args, r.code, r.allOutput)
		}
	}
	env.Org.ResetRequests()
	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.Failure || !strings.Contains(r.stdout, a) || !strings.Contains(r.stdout, b) {
		t.Fatalf("apply exit %d:\n%s", r.code, r.allOutput)
	}
	if w := writes(env); len(w) > 0 || len(env.Org.Apps()) != 2 {
		t.Fatalf("apply wrote %v with two candidates", w)
	}
}

// TestLabelRenameRenamesTheApp: the stamp keeps the app; no second app appears.
func TestLabelRenameRenamesTheApp(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	content := fileOf(integrationYAML("acme", "2.0", "header", "saml"))
	path := writeFile(t, content)
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}})
	id := appByLabel(t, env, "acme app")["id"].(string)
	if err := os.WriteFile(path, []byte(strings.Replace(content, "label: acme app", "label: Acme Production", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := envVars(env, nil)
	r := cli(t, vars, "plan", "-f", path)
	if !strings.Contains(r.stdout, "~ update  acme  "+id) || !strings.Contains(r.stdout, `~ label: "acme app" → "Acme Production"`) {
		t.Fatalf("plan:\n%s", r.allOutput)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if got := appByLabel(t, env, "Acme Production")["id"]; got != id || len(env.Org.Apps()) != 1 {
		t.Fatalf("renamed app id %v, want %s; %d apps", got, id, len(env.Org.Apps()))
	}
}

// TestPruneOffKeepsOnRemoves: assignments and apps the file does not name are left
// alone unless --prune, which lists each removal first. Without --prune an assignment
// the file does not name is not even read (omitted means untouched), so the plan does
// not show it.
func TestPruneOffKeepsOnRemoves(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	both := fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "saml"))
	path := writeFile(t, both)
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "oauth"}})
	vars := envVars(env, nil)
	c := orgClient(t, env)
	acme := appByLabel(t, env, "acme app")["id"].(string)
	beta := appByLabel(t, env, "beta app")["id"].(string)
	support := groupID(t, env, "Support")
	if _, err := c.AssignGroup(context.Background(), acme, support); err != nil {
		t.Fatal(err)
	}
	unmanaged := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "made by hand"})
	// The file now names only acme.
	if err := os.WriteFile(path, []byte(fileOf(integrationYAML("acme", "2.0", "header", "saml"))), 0o600); err != nil {
		t.Fatal(err)
	}

	r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
	if r.code != exitcode.OK || strings.Contains(r.stdout, "Support") || strings.Contains(r.stdout, "- delete") {
		t.Fatalf("plan without --prune: exit %d\n%s", r.code, r.stdout)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if !contains(env.Org.AppGroupIDs(acme), support) || len(env.Org.Apps()) != 3 {
		t.Fatal("apply without --prune removed something")
	}

	r = cli(t, vars, "plan", "-f", path, "--prune", "--detailed-exitcode")
	for _, want := range []string{"- groups: Support  (--prune)", "- delete  beta  " + beta} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan --prune lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != exitcode.Changes || strings.Contains(r.stdout, unmanaged) {
		t.Fatalf("plan --prune exit %d (or names the unmanaged app)\n%s", r.code, r.stdout)
	}
	golden(t, "plan_prune.txt", strings.ReplaceAll(r.stdout, env.SCIM20.URL, "SCIM_URL"))
	r = cli(t, vars, "apply", "-f", path, "--prune", "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("apply --prune exit %d\n%s", r.code, r.allOutput)
	}
	if contains(env.Org.AppGroupIDs(acme), support) {
		t.Error("apply --prune kept the Support assignment")
	}
	if _, ok := env.Org.App(beta); ok {
		t.Error("apply --prune kept the orphaned beta app")
	}
	if _, ok := env.Org.App(unmanaged); !ok {
		t.Fatal("apply --prune deleted an app oktascim does not manage")
	}
	if r := cli(t, vars, "plan", "-f", path, "--prune", "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("after apply --prune, plan exit %d\n%s", r.code, r.stdout)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestPlanGoldenWithDrift: one integration of each kind (unchanged, update with a kept
// assignment, adopt, create) in the human and the JSON form.
func TestPlanGoldenWithDrift(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("same", "2.0", "header", "saml"), integrationYAML("drifted", "2.0", "oauth", "swa")))
	converge(t, env, path, map[string][2]string{"same app": {"2.0", "header"}, "drifted app": {"2.0", "oauth"}})
	drifted := appByLabel(t, env, "drifted app")["id"].(string)
	if err := env.Org.MutateApp(drifted, func(a map[string]any) {
		a["label"] = "Drifted (edited)"
		a["visibility"].(map[string]any)["hide"].(map[string]any)["iOS"] = false
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := orgClient(t, env).AssignGroup(context.Background(), drifted, groupID(t, env, "Support")); err != nil {
		t.Fatal(err)
	}
	env.Org.AddApp(map[string]any{"name": "scim2testapp_basic", "label": "adopted app", "signOnMode": "SAML_2_0"})
	path = writeFile(t, fileOf(integrationYAML("same", "2.0", "header", "saml"), integrationYAML("drifted", "2.0", "oauth", "swa"),
		integrationYAML("adopted", "2.0", "basic", "saml"), integrationYAML("new", "1.1", "oauth", "saml")))
	vars := envVars(env, nil)
	norm := func(s string) string {
		return strings.NewReplacer(env.SCIM20.URL, "SCIM_URL", env.SCIM11.URL, "SCIM11_URL").Replace(s)
	}
	r := cli(t, vars, "plan", "-f", path)
	if r.code != exitcode.OK {
		t.Fatalf("plan exit %d\n%s", r.code, r.allOutput)
	}
	golden(t, "plan_drift.txt", norm(r.stdout))
	r = cli(t, vars, "plan", "-f", path, "-o", "json")
	checkPlanSchema(t, r.stdout)
	golden(t, "plan_drift.json", norm(r.stdout))
	var doc struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"create": 1, "adopt": 1, "update": 1, "unchanged": 1, "delete": 0, "errors": 0, "failing": 0}; !equalCounts(doc.Summary, want) {
		t.Fatalf("summary %v, want %v", doc.Summary, want)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
