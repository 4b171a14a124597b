package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/openapicheck"
	"github.com/oktascim/oktascim/internal/reftest"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// integrationYAML is one integration for the e2e tests.
func integrationYAML(name, version, method, signOn string) string {
	auth := map[string]string{
		"header": "method: header\n        token: { env: OKTASCIM_SIM_SCIM_TOKEN }",
		"oauth":  "method: oauth\n        token: { env: OKTASCIM_SIM_SCIM_TOKEN }",
		"basic":  "method: basic\n        username: ${OKTASCIM_SIM_SCIM_USERNAME}\n        password: { env: OKTASCIM_SIM_SCIM_PASSWORD }",
	}[method]
	base := "${OKTASCIM_SIM_SCIM_URL}"
	if version == "1.1" {
		base = "${OKTASCIM_SIM_SCIM11_URL}"
	}
	sign := "mode: saml\n      saml: { acsUrl: https://" + name + ".example/saml/acs, audience: https://" + name + ".example }"
	if signOn == "swa" {
		sign = "mode: swa\n      swa: { loginUrl: https://" + name + ".example/login }"
	}
	return fmt.Sprintf(`  - name: %s
    label: %s app
    scim:
      version: "%s"
      baseUrl: %s
      auth:
        %s
    signOn:
      %s
    visibility: { hideWeb: false, hideMobile: true, autoLogin: false }
    provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true, syncPassword: false }
    groups: [Engineering, Sales]
`, name, name, version, base, auth, sign)
}

func fileOf(integrations ...string) string {
	return "version: 1\nintegrations:\n" + strings.Join(integrations, "")
}

// declaredSettings tells the admin stand-in what the file declares for each app, as
// the manual step printed it.
func declaredSettings(env *simenv.Env, byLabel map[string][2]string) func(app map[string]any) (oktaorg.ProvisioningSettings, bool) {
	return func(app map[string]any) (oktaorg.ProvisioningSettings, bool) {
		label, _ := app["label"].(string)
		d, ok := byLabel[label]
		if !ok {
			return oktaorg.ProvisioningSettings{}, false
		}
		version, method := d[0], d[1]
		base := env.SCIM20.URL
		if version == "1.1" {
			base = env.SCIM11.URL
		}
		return oktaorg.ProvisioningSettings{BaseURL: base, AuthMode: method, Token: env.SCIMToken, Username: env.SCIMUser,
			Password: env.SCIMPassword, UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true}, true
	}
}

var outcomeLine = regexp.MustCompile(`(?m)^(\S+)\s+(app|provisioning|actions|mappings|groups|push|test|delete)\s+(done|unchanged|manual|failed|skipped|waiting)\s`)

// outcomes maps "integration/step" to its last outcome in text output.
func outcomes(out string) map[string]string {
	m := map[string]string{}
	for _, g := range outcomeLine.FindAllStringSubmatch(out, -1) {
		m[g[1]+"/"+g[2]] = g[3]
	}
	return m
}

// TestApplyEveryAuthMethodAndSignOn covers SAML and SWA × basic, header and oauth, and
// SCIM 1.1, through the manual path with --wait while an admin does the step, then a
// second apply that makes no write request.
func TestApplyEveryAuthMethodAndSignOn(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	var ins []string
	byLabel := map[string][2]string{}
	for _, signOn := range []string{"saml", "swa"} {
		for _, method := range []string{"basic", "header", "oauth"} {
			name := signOn + "-" + method
			ins = append(ins, integrationYAML(name, "2.0", method, signOn))
			byLabel[name+" app"] = [2]string{"2.0", method}
		}
	}
	ins = append(ins, integrationYAML("legacy-11", "1.1", "oauth", "saml"))
	byLabel["legacy-11 app"] = [2]string{"1.1", "oauth"}
	path := writeFile(t, fileOf(ins...))
	vars := envVars(env, nil)

	stop := adminDoesManualSteps(t, env, declaredSettings(env, byLabel))
	r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	got := outcomes(r.stdout)
	for label := range byLabel {
		name := strings.TrimSuffix(label, " app")
		for step, want := range map[string]string{"app": "done", "provisioning": "done", "actions": "done", "groups": "done", "test": "done"} {
			if got[name+"/"+step] != want {
				t.Errorf("%s/%s = %q, want %q\n%s", name, step, got[name+"/"+step], want, r.stdout)
			}
		}
	}
	// What the org holds now is what the file declares.
	apps := env.Org.Apps()
	if len(apps) != len(byLabel) {
		t.Fatalf("org holds %d apps, want %d", len(apps), len(byLabel))
	}
	for _, app := range apps {
		label := app["label"].(string)
		want := map[string]string{"2.0/basic": "scim2testapp_basic", "2.0/header": "scim2headerauth", "2.0/oauth": "scim2testapp", "1.1/oauth": "scim1testapp"}[byLabel[label][0]+"/"+byLabel[label][1]]
		if app["name"] != want {
			t.Errorf("%s: app name %v, want %s", label, app["name"], want)
		}
		wantMode := "SAML_2_0"
		if strings.HasPrefix(label, "swa-") {
			wantMode = "BROWSER_PLUGIN"
		}
		if app["signOnMode"] != wantMode || app["status"] != "ACTIVE" {
			t.Errorf("%s: signOnMode %v status %v", label, app["signOnMode"], app["status"])
		}
		if groups := env.Org.AppGroupIDs(app["id"].(string)); len(groups) != 2 {
			t.Errorf("%s: %d groups assigned, want 2", label, len(groups))
		}
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken, env.SCIMPassword)

	// The second apply changes nothing and sends no write.
	env.Org.ResetRequests()
	r2 := cli(t, vars, "apply", "-f", path, "--yes")
	if r2.code != exitcode.OK {
		t.Fatalf("second apply exit %d\n%s", r2.code, r2.allOutput)
	}
	for _, req := range env.Org.Requests() {
		if req.Method != "GET" {
			t.Errorf("second apply sent a write: %s %s", req.Method, req.Path)
		}
	}
	for k, v := range outcomes(r2.stdout) {
		if !strings.HasSuffix(k, "/test") && v != "unchanged" {
			t.Errorf("second apply: %s = %s\n%s", k, v, r2.stdout)
		}
	}
}

// TestApplyWithoutWaitStopsAtManualStepAndRerunFinishes: exit 5 with the manual step
// printed (values, deep link, secrets masked); after the admin acts, a re-run finishes.
func TestApplyWithoutWaitStopsAtManualStepAndRerunFinishes(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.ManualPending {
		t.Fatalf("exit %d, want 5\n%s", r.code, r.allOutput)
	}
	for _, want := range []string{"manual step", "#tab-provisioning", env.SCIM20.URL, "(sensitive", "Test API Credentials"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("manual step output lacks %q:\n%s", want, r.stdout)
		}
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken)
	apps := env.Org.Apps()
	if len(apps) != 1 {
		t.Fatalf("want 1 app, got %d", len(apps))
	}
	id := apps[0]["id"].(string)
	if !strings.Contains(r.stdout, "/admin/app/scim2headerauth/instance/"+id+"/#tab-provisioning") {
		t.Errorf("deep link missing:\n%s", r.stdout)
	}
	s, _ := declaredSettings(env, map[string][2]string{"acme app": {"2.0", "header"}})(apps[0])
	if err := env.Org.EnableProvisioning(t.Context(), id, s); err != nil {
		t.Fatal(err)
	}
	r2 := cli(t, vars, "apply", "-f", path, "--yes")
	if r2.code != exitcode.OK {
		t.Fatalf("re-run exit %d\n%s", r2.code, r2.allOutput)
	}
	if len(env.Org.Apps()) != 1 {
		t.Fatal("re-run created another app")
	}
	if o := outcomes(r2.stdout); o["acme/app"] != "unchanged" || o["acme/provisioning"] != "unchanged" || o["acme/actions"] != "done" || o["acme/test"] != "done" {
		t.Fatalf("re-run outcomes %v\n%s", o, r2.stdout)
	}
}

// TestApplyAutomatedPath: with the simulator accepting the connection API, apply
// enables provisioning without a manual step and verifies it.
func TestApplyAutomatedPath(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("auto", "2.0", "oauth", "saml")))
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "-o", "json")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	var doc struct {
		Version int `json:"version"`
		Events  []struct {
			Step, Outcome, Detail string
		} `json:"events"`
		ExitCode int `json:"exitCode"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	found := false
	for _, e := range doc.Events {
		if e.Step == "provisioning" {
			found = true
			if e.Outcome != "done" || !strings.Contains(e.Detail, "Provisioning Connection API") {
				t.Fatalf("provisioning event %+v", e)
			}
		}
		if e.Outcome == "manual" {
			t.Fatalf("unexpected manual step %+v", e)
		}
	}
	if !found || doc.Version != reportVersion || doc.ExitCode != 0 {
		t.Fatalf("doc %+v", doc)
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken)
}

// TestApplyWrongSCIMToken: the admin enters the (wrong) token from the file; Okta's
// credential test fails, the System Log shows it, apply exits 6 and says why.
func TestApplyWrongSCIMToken(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("wrong", "2.0", "header", "saml")))
	vars := envVars(env, map[string]string{"OKTASCIM_SIM_SCIM_TOKEN": "not-the-right-token"})
	stop := adminDoesManualSteps(t, env, func(app map[string]any) (oktaorg.ProvisioningSettings, bool) {
		return oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "header", Token: "not-the-right-token", UserIDField: "userName"}, true
	})
	// A person could still correct the token, so the wait goes on until it times out;
	// the refusal is then the newest word: exit 6 (TestWaitOutlivesAMistypedSave).
	r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--wait-timeout", "1s", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.ConnectionFailed {
		t.Fatalf("exit %d, want 6\n%s", r.code, r.allOutput)
	}
	for _, want := range []string{"System Log", "application.configuration.update", "FAILURE", "credentials"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	assertNoSecrets(t, r.allOutput, "not-the-right-token", env.Token)
}

// TestApplyInvalidOktaToken: Okta answers 401; exit 4 with a hint, nothing created.
func TestApplyInvalidOktaToken(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	r := cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00invalid-token-value"}), "apply", "-f", path, "--yes")
	if r.code != exitcode.AuthRefused {
		t.Fatalf("exit %d, want 4\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.allOutput, "E0000011") || !strings.Contains(r.allOutput, "API token") {
		t.Errorf("no useful message:\n%s", r.allOutput)
	}
	assertNoSecrets(t, r.allOutput, "00invalid-token-value")
	if len(env.Org.Apps()) != 0 {
		t.Fatal("an app was created with an invalid token")
	}
}

// TestQuickstart runs the README's first command.
func TestQuickstart(t *testing.T) {
	r := cli(t, map[string]string{}, "apply", "--sim", "-f", "../../examples/quickstart.yaml", "--sim-admin-delay", "10ms", "--poll-interval", "20ms")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if o := outcomes(r.stdout); o["quickstart/test"] != "done" || o["quickstart/provisioning"] != "done" {
		t.Fatalf("outcomes %v\n%s", o, r.stdout)
	}
}

// TestValidateInvalidFileSendsNothing: exit 2 and every problem named.
func TestValidateInvalidFileSendsNothing(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, "version: 1\nintegrations:\n  - name: Bad_Name\n    scim: { version: \"2.0\", baseUrl: http://example.com/scim, auth: { method: header, token: literal-secret } }\n    signOn: { mode: saml }\n")
	for _, cmd := range []string{"validate", "apply"} {
		r := cli(t, envVars(env, nil), cmd, "-f", path)
		if r.code != exitcode.Invalid {
			t.Fatalf("%s: exit %d, want 2\n%s", cmd, r.code, r.allOutput)
		}
		if !strings.Contains(r.stderr, "oktascim.yaml:3:") || strings.Contains(r.allOutput, "literal-secret") {
			t.Errorf("%s: want positions and no literal secret:\n%s", cmd, r.stderr)
		}
	}
	if n := len(env.Org.Requests()); n != 0 {
		t.Fatalf("invalid input sent %d requests to Okta", n)
	}
}

// TestEveryRequestMatchesOktasSpec: every request apply sends (each auth method, sign-on
// mode, the manual and the automated path) validates against Okta's OpenAPI spec, with
// only the documented exceptions.
func TestEveryRequestMatchesOktasSpec(t *testing.T) {
	specPath := openapicheck.DefaultSpecPath()
	if specPath == "" {
		reftest.Missing(t, "Okta's OpenAPI spec not found beside the repo (../shared/reference)")
	}
	v, err := openapicheck.Load(specPath)
	if err != nil {
		t.Fatal(err)
	}
	var requests []oktaorg.Request
	for _, accept := range []bool{false, true} {
		env := startEnv(t, simenv.Options{AcceptConnectionAPI: accept})
		byLabel := map[string][2]string{}
		var ins []string
		for _, method := range []string{"basic", "header", "oauth"} {
			for _, signOn := range []string{"saml", "swa"} {
				name := fmt.Sprintf("%s-%s", signOn, method)
				ins = append(ins, integrationYAML(name, "2.0", method, signOn))
				byLabel[name+" app"] = [2]string{"2.0", method}
			}
		}
		path := writeFile(t, fileOf(ins...))
		stop := adminDoesManualSteps(t, env, declaredSettings(env, byLabel))
		r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
		stop()
		if r.code != exitcode.OK {
			t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
		}
		// Drift, so that the update paths are exercised too.
		for _, app := range env.Org.Apps() {
			_ = env.Org.MutateApp(app["id"].(string), func(a map[string]any) { a["label"] = "changed by hand" })
		}
		r = cli(t, envVars(env, nil), "apply", "-f", path, "--yes")
		if r.code != exitcode.OK {
			t.Fatalf("second apply exit %d\n%s", r.code, r.allOutput)
		}
		// And the read-only and lifecycle commands: an extra assignment for plan to
		// name, status of the file and of the org, import, destroy.
		first := env.Org.Apps()[0]["id"].(string)
		if _, err := orgClient(t, env).AssignGroup(context.Background(), first, groupID(t, env, "Support")); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"plan", "-f", path, "--prune"}, {"status", "-f", path}, {"status", "--all"},
			{"import", "--app-id", first}, {"logs", "-f", path, "--name", "saml-basic", "--failures", "--limit", "300"},
			{"doctor", "-f", path}, {"destroy", "-f", path, "--yes"}} {
			if r := cli(t, envVars(env, nil), args...); r.code != exitcode.OK {
				t.Fatalf("%v: exit %d\n%s", args, r.code, r.allOutput)
			}
		}
		requests = append(requests, env.Org.Requests()...)
	}
	// Custom apps, mappings and group push: SAML and SWA × each auth mode, then drift
	// (a mapping and a push edited by hand) for the update paths.
	env := startEnv(t, simenv.Options{})
	var custom []string
	methods := map[string]string{}
	for _, signOn := range []string{"saml", "swa"} {
		for _, method := range []string{"basic", "header", "oauth"} {
			name := "c-" + signOn + "-" + method
			custom = append(custom, customYAML(name, method, signOn))
			methods[name+" app"] = method
		}
	}
	path := writeFile(t, fileOf(custom...))
	stop := adminEnablesSCIM(t, env, methods)
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms"); r.code != exitcode.OK {
		stop()
		t.Fatalf("custom apply exit %d\n%s", r.code, r.allOutput)
	}
	stop()
	requests = append(requests, env.Org.Requests()...)
	c := orgClient(t, env)
	ctx := context.Background()
	for _, app := range env.Org.Apps() {
		id := app["id"].(string)
		_ = env.Org.MutateApp(id, func(a map[string]any) { a["label"] = a["label"].(string) + " (edited)" })
		if toApp, _, err := c.AppMappings(ctx, id); err == nil && toApp.ID != "" {
			_, _ = c.UpdateMapping(ctx, toApp.ID, map[string]okta.MappingProperty{"badgeNumber": {Expression: "user.title", PushStatus: "PUSH"}})
		}
		if pushes, err := c.GroupPushes(ctx, id); err == nil && len(pushes) > 0 {
			_, _ = c.SetGroupPushStatus(ctx, id, pushes[0].ID, "INACTIVE")
		}
	}
	// A push the file does not name, of a group the app is not assigned: plan --prune
	// reads the group to name its removal (GET /api/v1/groups/{id}).
	if _, err := c.CreateGroupPush(ctx, env.Org.Apps()[0]["id"].(string), groupID(t, env, "Support"), "Support"); err != nil {
		t.Fatal(err)
	}
	env.Org.ResetRequests()
	for _, args := range [][]string{{"apply", "-f", path, "--yes"}, {"plan", "-f", path, "--prune"}, {"destroy", "-f", path, "--yes"}} {
		if r := cli(t, envVars(env, nil), args...); r.code != exitcode.OK {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.allOutput)
		}
	}
	requests = append(requests, env.Org.Requests()...)
	checked := map[string]bool{}
	for _, req := range requests {
		err := v.Validate(openapicheck.Request{Method: req.Method, Path: req.Path, RawQuery: req.RawQuery, Header: req.Header, Body: req.Body})
		if err != nil {
			t.Errorf("%v", err)
		}
		checked[req.Method+" "+routeOf(req.Path)] = true
	}
	for _, must := range []string{"POST /api/v1/apps", "PUT /api/v1/apps/{id}", "GET /api/v1/apps", "POST /api/v1/apps/{id}/connections/default",
		"GET /api/v1/apps/{id}/features", "PUT /api/v1/apps/{id}/features/USER_PROVISIONING", "PUT /api/v1/apps/{id}/groups/{id}", "GET /api/v1/logs",
		"GET /api/v1/groups/{id}", "POST /api/v1/apps/{id}/lifecycle/deactivate", "DELETE /api/v1/apps/{id}", "GET /api/v1/apps/{id}/groups",
		"GET /.well-known/okta-organization", "GET /api/v1/users/me", "GET /api/v1/users/{id}/roles",
		"GET /api/v1/mappings", "GET /api/v1/mappings/{id}", "POST /api/v1/mappings/{id}", "GET /api/v1/meta/schemas/apps/{id}/default",
		"GET /api/v1/apps/{id}/group-push/mappings", "PATCH /api/v1/apps/{id}/group-push/mappings/{id}",
		"POST /api/v1/meta/schemas/apps/{id}/default", "POST /api/v1/apps/{id}/group-push/mappings"} {
		if !checked[must] {
			t.Errorf("no %s request was validated (checked: %v)", must, checked)
		}
	}
}

var idSegment = regexp.MustCompile(`/(0oa|00g|00u|prm|gPm)[A-Za-z0-9]+`)

func routeOf(path string) string { return idSegment.ReplaceAllString(path, "/{id}") }
