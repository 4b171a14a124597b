package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// customYAML is one custom (App Integration Wizard) integration with mappings and a
// pushed group.
func customYAML(name, method, signOn string) string {
	auth := map[string]string{
		"header": "method: header\n        token: { env: OKTASCIM_SIM_SCIM_TOKEN }",
		"basic":  "method: basic\n        username: ${OKTASCIM_SIM_SCIM_USERNAME}\n        password: { env: OKTASCIM_SIM_SCIM_PASSWORD }",
		"oauth": "method: oauth\n        oauth:\n          tokenEndpoint: ${OKTASCIM_SIM_OAUTH_TOKEN_URL}\n          authorizeEndpoint: ${OKTASCIM_SIM_OAUTH_AUTHORIZE_URL}\n" +
			"          clientId: ${OKTASCIM_SIM_OAUTH_CLIENT_ID}\n          clientSecret: { env: OKTASCIM_SIM_OAUTH_CLIENT_SECRET }",
	}[method]
	sign := "mode: saml\n      saml:\n        acsUrl: https://" + name + ".example/saml/acs\n        audience: https://" + name + ".example\n" +
		"        nameIdFormat: emailAddress\n        nameId: ${user.email}\n        attributes:\n          - { name: email, value: user.email }"
	if signOn == "swa" {
		sign = "mode: swa\n      swa: { loginUrl: https://" + name + ".example/login }"
	}
	return fmt.Sprintf(`  - name: %s
    kind: custom
    label: %s app
    scim:
      baseUrl: ${OKTASCIM_SIM_SCIM_URL}
      auth:
        %s
    signOn:
      %s
    provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true, pushGroups: true }
    groups: [Engineering]
    mappings:
      toApp:
        badgeNumber: { expression: user.employeeNumber, type: string, update: false }
        userName: user.login
    pushGroups:
      - Engineering
      - { group: Sales, target: sales-team }
`, name, name, auth, sign)
}

// adminEnablesSCIM plays the admin for custom apps: once the tool has read an app's
// provisioning and waits for the manual step, it switches SCIM on with the
// values the file declares, as the step lists them. methodByLabel maps an app label to
// its auth method, with "+import" when the file turns import on.
func adminEnablesSCIM(t *testing.T, env *simenv.Env, methodByLabel map[string]string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tried := map[string]bool{}
		for ctx.Err() == nil {
			for _, app := range env.Org.Apps() {
				id, _ := app["id"].(string)
				spec, ok := methodByLabel[fmt.Sprint(app["label"])]
				if !ok || tried[id] || !waitingOn(env, id) {
					continue
				}
				tried[id] = true
				method, extra, _ := strings.Cut(spec, "+") // "oauth+import": also Import New Users; "+nopush": Push Groups left unchecked
				s := oktaorg.SCIMSettings{BaseURL: env.SCIM20.URL, UserIDField: "userName", AuthMode: method,
					Actions: oktaorg.SCIMActions{PushNewUsers: true, PushProfileUpdates: true, PushGroups: extra != "nopush", ImportNewUsers: extra == "import"}}
				switch method {
				case "basic":
					s.Username, s.Password = env.SCIMUser, env.SCIMPassword
				case "header":
					s.HeaderValue = "Bearer " + env.SCIMToken
				case "oauth":
					s.AuthMode = "oauth2"
					s.OAuth = oktaorg.SCIMOAuth{TokenEndpoint: env.OAuth.TokenURL, AuthorizeEndpoint: env.OAuth.AuthorizeURL,
						ClientID: env.OAuth.ClientID, ClientSecret: env.OAuth.ClientSecret}
				}
				if err := env.Org.EnableSCIM(ctx, id, s); err != nil {
					t.Errorf("admin stand-in: %v", err)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
}

// TestCustomAppsEachAuthMode: custom SAML and SWA apps with Basic, HTTP Header and
// OAuth 2 provisioning, mappings and group push: apply converges and verifies, a second
// apply writes nothing, plan finds nothing to do.
func TestCustomAppsEachAuthMode(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	var ins []string
	methods := map[string]string{}
	for _, signOn := range []string{"saml", "swa"} {
		for _, method := range []string{"basic", "header", "oauth"} {
			name := "c-" + signOn + "-" + method
			ins = append(ins, customYAML(name, method, signOn))
			methods[name+" app"] = method
		}
	}
	path := writeFile(t, fileOf(ins...))
	vars := envVars(env, nil)
	stop := adminEnablesSCIM(t, env, methods)
	r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	got := outcomes(r.stdout)
	for label, method := range methods {
		name := strings.TrimSuffix(label, " app")
		app := appByLabel(t, env, label)
		wantMode := map[bool]string{true: "SAML_2_0", false: "AUTO_LOGIN"}[strings.Contains(name, "saml")]
		if app["signOnMode"] != wantMode {
			t.Errorf("%s: signOnMode %v, want %s", name, app["signOnMode"], wantMode)
		}
		for _, step := range []string{"app", "provisioning", "actions", "mappings", "groups", "push"} {
			if got[name+"/"+step] != "done" {
				t.Errorf("%s/%s = %q, want done\n%s", name, step, got[name+"/"+step], r.stdout)
			}
		}
		wantTest := "done"
		if method == "oauth" {
			wantTest = "skipped" // Okta's own OAuth 2 tokens: the tool cannot send its request
		}
		if got[name+"/test"] != wantTest {
			t.Errorf("%s/test = %q, want %s", name, got[name+"/test"], wantTest)
		}
	}
	for _, g := range []string{"Engineering", "sales-team"} {
		if !scimHasGroup(env, g) {
			t.Errorf("the SCIM server has no group %s", g)
		}
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken, env.SCIMPassword, env.OAuth.ClientSecret)

	env.Org.ResetRequests()
	r2 := cli(t, vars, "apply", "-f", path, "--yes")
	if r2.code != exitcode.OK {
		t.Fatalf("second apply exit %d\n%s", r2.code, r2.allOutput)
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("second apply wrote %v\n%s", w, r2.stdout)
	}
	if p := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); p.code != exitcode.OK {
		t.Fatalf("plan exit %d\n%s", p.code, p.stdout)
	}
}

// scimHasGroup asks the SCIM server directly.
func scimHasGroup(env *simenv.Env, name string) bool {
	for _, g := range env.SCIM20.Groups() {
		if g["displayName"] == name {
			return true
		}
	}
	return false
}

// convergeCustom applies a one-integration custom file with the admin stand-in and
// returns the app id.
func convergeCustom(t *testing.T, env *simenv.Env, path, label, method string) string {
	t.Helper()
	stop := adminEnablesSCIM(t, env, map[string]string{label: method})
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	return appByLabel(t, env, label)["id"].(string)
}

// TestMappingDrift: a mapping edited by hand shows in plan property by property and
// apply puts it back; a property the file does not name is left alone.
func TestMappingDrift(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(customYAML("hr", "header", "saml")))
	id := convergeCustom(t, env, path, "hr app", "header")
	c := orgClient(t, env)
	ctx := context.Background()
	toApp, _, err := c.AppMappings(ctx, id)
	if err != nil || toApp.ID == "" {
		t.Fatalf("mappings: %v %+v", err, toApp)
	}
	if p := toApp.Properties["badgeNumber"]; p.Expression != "user.employeeNumber" || p.PushStatus != "DONT_PUSH" {
		t.Fatalf("badgeNumber mapping as applied: %+v", p)
	}
	schema, _ := c.GetAppSchema(ctx, id)
	if _, ok := schema.Custom["badgeNumber"]; !ok {
		t.Fatalf("badgeNumber was not added to the app's schema: %+v", schema.Custom)
	}
	if _, err := c.UpdateMapping(ctx, toApp.ID, map[string]okta.MappingProperty{
		"badgeNumber": {Expression: "user.department", PushStatus: "PUSH"},
		"nickName":    {Expression: "user.nickName", PushStatus: "PUSH"},
	}); err != nil {
		t.Fatal(err)
	}
	vars := envVars(env, nil)
	r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
	want := "~ mappings.toApp.badgeNumber: user.department (create and update) → user.employeeNumber (create only)"
	if r.code != exitcode.Changes || !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "nickName") {
		t.Fatalf("plan exit %d, want %q and nothing about nickName:\n%s", r.code, want, r.stdout)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK || outcomes(r.stdout)["hr/mappings"] != "done" {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	got, _ := c.GetMapping(ctx, toApp.ID)
	if got.Properties["badgeNumber"].Expression != "user.employeeNumber" || got.Properties["nickName"].Expression != "user.nickName" {
		t.Fatalf("after apply: %+v", got.Properties)
	}
	if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after apply: exit %d\n%s", r.code, r.stdout)
	}
}

// TestGroupPushLinkDriftAndPrune: a target group the SCIM server already has is linked,
// not duplicated; a push deactivated by hand is drift that apply fixes; a push the file
// does not name is kept, and removed only with --prune.
func TestGroupPushLinkDriftAndPrune(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	// The SCIM server already has the target group.
	if err := seedSCIMGroup(env, "sales-team"); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, fileOf(customYAML("hr", "header", "saml")))
	id := convergeCustom(t, env, path, "hr app", "header")
	n := 0
	for _, g := range env.SCIM20.Groups() {
		if g["displayName"] == "sales-team" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the SCIM server has %d groups named sales-team, want the existing one linked", n)
	}
	c := orgClient(t, env)
	ctx := context.Background()
	pushes, err := c.GroupPushes(ctx, id)
	if err != nil || len(pushes) != 2 {
		t.Fatalf("pushes %+v %v", pushes, err)
	}
	eng := groupID(t, env, "Engineering")
	for _, p := range pushes {
		if p.SourceGroupID == eng {
			if _, err := c.SetGroupPushStatus(ctx, id, p.ID, "INACTIVE"); err != nil {
				t.Fatal(err)
			}
		}
	}
	support := groupID(t, env, "Support")
	if _, err := c.CreateGroupPush(ctx, id, support, "Support"); err != nil {
		t.Fatal(err)
	}
	vars := envVars(env, nil)
	// Support is not in the file: without --prune its push is kept, shown by the group's
	// id (declared means managed: the group is not read); --prune names its removal.
	r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode")
	if r.code != exitcode.Changes || !strings.Contains(r.stdout, "~ push.Engineering: INACTIVE → ACTIVE") || !strings.Contains(r.stdout, "= push."+support+"  (pushed in the org, not in the file: kept; --prune removes it)") {
		t.Fatalf("plan exit %d:\n%s", r.code, r.stdout)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after apply: exit %d\n%s", r.code, r.stdout)
	}
	r = cli(t, vars, "plan", "-f", path, "--prune")
	if !strings.Contains(r.stdout, "- push.Support: ACTIVE  (--prune)") {
		t.Fatalf("plan --prune:\n%s", r.stdout)
	}
	if r := cli(t, vars, "apply", "-f", path, "--yes", "--prune"); r.code != exitcode.OK {
		t.Fatalf("apply --prune exit %d\n%s", r.code, r.allOutput)
	}
	if pushes, _ := c.GroupPushes(ctx, id); len(pushes) != 2 {
		t.Fatalf("after --prune %d pushes, want the 2 declared", len(pushes))
	}
}

// TestGroupPushWithoutTheAPI: an org without the Group Push Mappings API gets a manual
// step, verified on the SCIM server once the admin has pushed the groups.
func TestGroupPushWithoutTheAPI(t *testing.T) {
	off := false
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{GroupPushAPI: &off}})
	path := writeFile(t, fileOf(customYAML("hr", "basic", "swa")))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { // the admin pushes the groups once the tool has printed the step
		defer close(done)
		for ctx.Err() == nil {
			for _, app := range env.Org.Apps() {
				id := app["id"].(string)
				if requested(env, "GET", "/api/v1/apps/"+id+"/group-push/mappings") {
					_, _ = env.Org.PushGroup(ctx, id, groupID(t, env, "Engineering"), "Engineering")
					_, _ = env.Org.PushGroup(ctx, id, groupID(t, env, "Sales"), "sales-team")
					return
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	stop := adminEnablesSCIM(t, env, map[string]string{"hr app": "basic"})
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	cancel()
	<-done
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "manual step: Push groups to") || !strings.Contains(r.stdout, "verified: the SCIM server lists every pushed group") {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
}

// seedSCIMGroup creates a group on the SCIM 2.0 server as its own admin would.
func seedSCIMGroup(env *simenv.Env, name string) error {
	req, _ := http.NewRequest("POST", env.SCIM20.URL+"/Groups", strings.NewReader(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"`+name+`"}`))
	req.Header.Set("Authorization", "Bearer "+env.SCIMToken)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("seeding group %s: %d", name, resp.StatusCode)
	}
	return nil
}

// TestCustomExamplesApply applies examples/custom-*.yaml against the simulator with the
// admin switching SCIM on: the examples work as they are (OAuth 2 against the local
// authorization server).
func TestCustomExamplesApply(t *testing.T) {
	for file, label := range map[string]string{"custom-saml-oauth2.yaml": "HR (SAML)", "custom-swa-basic.yaml": "Team Wiki (SWA)"} {
		t.Run(file, func(t *testing.T) {
			env := startEnv(t, simenv.Options{})
			vars := envVars(env, map[string]string{
				"HR_SCIM_URL": env.SCIM20.URL, "HR_AUTH_URL": strings.TrimSuffix(env.OAuth.TokenURL, "/oauth/token"),
				"HR_OAUTH_CLIENT_SECRET": env.OAuth.ClientSecret, "WIKI_SCIM_URL": env.SCIM20.URL, "WIKI_SCIM_PASSWORD": env.SCIMPassword})
			path := "../../examples/" + file
			method := map[bool]string{true: "oauth+import", false: "basic"}[strings.Contains(file, "oauth")]
			stop := adminEnablesSCIM(t, env, map[string]string{label: method})
			r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
			stop()
			if r.code != exitcode.OK {
				t.Fatalf("exit %d\n%s", r.code, r.allOutput)
			}
			if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
				t.Fatalf("plan after apply: exit %d\n%s", r.code, r.stdout)
			}
			assertNoSecrets(t, r.allOutput, env.Secrets()...)
		})
	}
}
