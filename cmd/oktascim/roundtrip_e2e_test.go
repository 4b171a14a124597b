package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/openapicheck"
	"github.com/oktascim/oktascim/roundtrip"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/scimserver"
	"github.com/oktascim/oktascim/sim/simenv"
)

// roundTripEnv is an org whose provisioning takes a little while, as Okta's does.
func roundTripEnv(t *testing.T) *simenv.Env {
	return startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{ProvisioningDelay: 40 * time.Millisecond}})
}

var stageLine = regexp.MustCompile(`(?m)^(\S+)\s+(\d) (assign|create|update|deactivate|group-push|cleanup)\s+(done|skipped|failed)\s+(.*)$`)

// stageOutcomes maps "integration/stage" to its outcome in text output.
func stageOutcomes(out string) map[string]string {
	m := map[string]string{}
	for _, g := range stageLine.FindAllStringSubmatch(out, -1) {
		m[g[1]+"/"+g[3]] = g[4]
	}
	return m
}

// assertNothingLeft: no probe user or group is left in the org.
func assertNothingLeft(t *testing.T, env *simenv.Env) {
	t.Helper()
	for _, u := range env.Org.Users() {
		if p, _ := u["profile"].(map[string]any); strings.HasPrefix(p["login"].(string), roundtrip.ProbePrefix) {
			t.Errorf("probe user left in the org: %v (%v)", p["login"], u["status"])
		}
	}
	for _, g := range orgGroups(t, env) {
		if strings.HasPrefix(g, roundtrip.ProbePrefix) {
			t.Errorf("probe group left in the org: %s", g)
		}
	}
}

func orgGroups(t *testing.T, env *simenv.Env) []string {
	groups, err := orgClient(t, env).SearchGroups(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range groups {
		out = append(out, g.Name)
	}
	return out
}

// TestRoundTripEveryStagePasses: a template app (create, update, deactivate; no group
// push declared) and a custom app that pushes groups: every stage passes, each line has
// its time, the SCIM server keeps the probe deactivated and the output says so, nothing
// is left in Okta, every request matches Okta's spec, and -o json has every stage.
func TestRoundTripEveryStagePasses(t *testing.T) {
	roundTripAllStages(t, roundTripEnv(t))
}

// TestRoundTripUnderFlippedVariants: the same where the simulator answers every
// unconfirmed behaviour the other way (a STAGED user pushed on assignment, profile
// changes as PATCH, provisioning events naming only the app, group pushes arriving
// the actions all off after the admin's step, group pushes arriving later, …).
func TestRoundTripUnderFlippedVariants(t *testing.T) {
	roundTripAllStages(t, startEnv(t, simenv.Options{AcceptConnectionAPI: true,
		Org: oktaorg.Options{ProvisioningDelay: 40 * time.Millisecond, Variants: oktaorg.Flipped()}}))
}

func roundTripAllStages(t *testing.T, env *simenv.Env) {
	t.Helper()
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml"), customYAML("hr", "header", "saml")))
	stop := adminEnablesSCIM(t, env, map[string]string{"hr app": "header"})
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	env.Org.ResetRequests()
	r = cli(t, envVars(env, nil), "test", "-f", path, "--round-trip", "--round-trip-timeout", "20s")
	if r.code != exitcode.OK {
		t.Fatalf("round trip exit %d\n%s", r.code, r.allOutput)
	}
	got := stageOutcomes(r.stdout)
	want := map[string]string{"acme/assign": "done", "acme/create": "done", "acme/update": "done", "acme/deactivate": "done", "acme/group-push": "skipped", "acme/cleanup": "done",
		"hr/assign": "done", "hr/create": "done", "hr/update": "done", "hr/deactivate": "done", "hr/group-push": "done", "hr/cleanup": "done"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q\n%s", k, got[k], v, r.stdout)
		}
	}
	for _, g := range stageLine.FindAllStringSubmatch(r.stdout, -1) {
		if !regexp.MustCompile(`\(\d+\.\ds\)$`).MatchString(g[5]) {
			t.Errorf("stage line without its time: %q", g[0])
		}
	}
	if !strings.Contains(r.stdout, "pushGroups is off in the file") || !strings.Contains(r.stdout, "keeps user oktascim-probe-") || !strings.Contains(r.stdout, "deactivated (active: false)") {
		t.Errorf("the output does not say why group push was skipped or what is left on the SCIM server:\n%s", r.stdout)
	}
	for _, u := range env.SCIM20.Users() {
		if strings.HasPrefix(u["userName"].(string), roundtrip.ProbePrefix) && u["active"] != false {
			t.Errorf("SCIM probe user not deactivated: %v", u)
		}
	}
	for _, g := range env.SCIM20.Groups() {
		if strings.HasPrefix(g["displayName"].(string), roundtrip.ProbePrefix) {
			t.Errorf("probe group left on the SCIM server: %v", g)
		}
	}
	assertNothingLeft(t, env)
	assertRequestsMatchSpec(t, env.Org.Requests(), "POST /api/v1/users", "POST /api/v1/users/{id}/lifecycle/activate", "POST /api/v1/apps/{id}/users",
		"POST /api/v1/users/{id}", "DELETE /api/v1/apps/{id}/users/{id}", "DELETE /api/v1/users/{id}", "GET /api/v1/users", "POST /api/v1/groups")

	// -o json documents every stage; --cleanup-scim deletes the SCIM user.
	r = cli(t, envVars(env, nil), "test", "-f", path, "--name", "acme", "--round-trip", "--cleanup-scim", "-o", "json")
	if r.code != exitcode.OK {
		t.Fatalf("json round trip exit %d\n%s", r.code, r.allOutput)
	}
	var doc struct {
		RoundTrip struct {
			Stages []roundtrip.Stage `json:"stages"`
		} `json:"roundTrip"`
		ExitCode int `json:"exitCode"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.RoundTrip.Stages) != 6 {
		t.Fatalf("%d stages in the document, want 6:\n%s", len(doc.RoundTrip.Stages), r.stdout)
	}
	for i, s := range doc.RoundTrip.Stages {
		if s.Number != i+1 || s.Name == "" || s.Outcome == "" || s.Detail == "" || s.Integration != "acme" {
			t.Errorf("stage %d incomplete: %+v", i+1, s)
		}
	}
	last := doc.RoundTrip.Stages[5]
	if !strings.Contains(last.Detail, "deleted SCIM user") {
		t.Errorf("--cleanup-scim: %s", last.Detail)
	}
	probe := doc.RoundTrip.Stages[0].Probe
	for _, u := range env.SCIM20.Users() {
		if u["userName"] == probe {
			t.Errorf("--cleanup-scim left %s on the SCIM server", probe)
		}
	}
}

// assertRequestsMatchSpec validates requests against Okta's OpenAPI spec and checks
// that each named route was among them.
func assertRequestsMatchSpec(t *testing.T, requests []oktaorg.Request, must ...string) {
	t.Helper()
	specPath := openapicheck.DefaultSpecPath()
	if specPath == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Okta's OpenAPI spec not found beside the repo (../shared/reference), and CI is set")
		}
		t.Skip("Okta's OpenAPI spec not found beside the repo (../shared/reference)")
	}
	v, err := openapicheck.Load(specPath)
	if err != nil {
		t.Fatal(err)
	}
	checked := map[string]bool{}
	for _, req := range requests {
		if err := v.Validate(openapicheck.Request{Method: req.Method, Path: req.Path, RawQuery: req.RawQuery, Header: req.Header, Body: req.Body}); err != nil {
			t.Errorf("%v", err)
		}
		checked[req.Method+" "+routeOf(req.Path)] = true
	}
	for _, m := range must {
		if !checked[m] {
			t.Errorf("no %s request was validated (checked: %v)", m, checked)
		}
	}
}

// refusingSCIM is a SCIM server that refuses every POST /Users with the given status
// and SCIM error, and otherwise is the SCIM test server.
func refusingSCIM(t *testing.T, env *simenv.Env, status int, scimType, detail string) string {
	inner := scimserver.New(scimserver.Options{Auth: scimserver.Auth{Mode: "bearer", Token: env.SCIMToken}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Users") {
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
				"status": http.StatusText(status), "scimType": scimType, "detail": detail})
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/scim/v2"
}

// TestRoundTripRefusedCreate: the SCIM server refuses the create (409, then 400): exit
// 6, stage 2 failed with Okta's reason from the System Log and a hint; the later
// stages are skipped; the cleanup still runs and leaves nothing in the org.
func TestRoundTripRefusedCreate(t *testing.T) {
	for _, c := range []struct {
		status             int
		scimType, detail   string
		reason, hintSubstr string
	}{
		{409, "uniqueness", "a user with this email already exists", "HTTP 409 Conflict", "exists"},
		{400, "invalidValue", "attribute 'department' is required", "HTTP 400 Bad Request", "attribute"},
	} {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			env := roundTripEnv(t)
			vars := envVars(env, map[string]string{simenv.VarSCIMURL: refusingSCIM(t, env, c.status, c.scimType, c.detail)})
			path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
			if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
				t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
			}
			r := cli(t, vars, "test", "-f", path, "--round-trip", "--round-trip-timeout", "20s")
			if r.code != exitcode.ConnectionFailed {
				t.Fatalf("exit %d, want 6\n%s", r.code, r.allOutput)
			}
			got := stageOutcomes(r.stdout)
			if got["acme/create"] != "failed" || got["acme/update"] != "skipped" || got["acme/deactivate"] != "skipped" || got["acme/cleanup"] != "done" {
				t.Fatalf("stages %v\n%s", got, r.stdout)
			}
			for _, want := range []string{"application.provision.user.push FAILURE", c.reason, c.detail, "hint: ", "a round-trip stage failed"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("the failure does not show %q:\n%s", want, r.stdout)
				}
			}
			if !strings.Contains(strings.ToLower(hintOf(r.stdout)), c.hintSubstr) {
				t.Errorf("hint does not speak of %q: %q", c.hintSubstr, hintOf(r.stdout))
			}
			assertNothingLeft(t, env)
		})
	}
}

func hintOf(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if i := strings.Index(l, "hint: "); i >= 0 {
			return l[i+6:]
		}
	}
	return ""
}

// TestRoundTripDeactivateOff: with deactivateUsers off the deactivate stage is skipped
// with the reason, the others pass, and the output says the SCIM user is left active.
func TestRoundTripDeactivateOff(t *testing.T) {
	env := roundTripEnv(t)
	in := strings.Replace(integrationYAML("acme", "2.0", "oauth", "saml"), "deactivateUsers: true", "deactivateUsers: false", 1)
	path := writeFile(t, fileOf(in))
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	r := cli(t, envVars(env, nil), "test", "-f", path, "--round-trip")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	got := stageOutcomes(r.stdout)
	if got["acme/create"] != "done" || got["acme/update"] != "done" || got["acme/deactivate"] != "skipped" || got["acme/cleanup"] != "done" {
		t.Fatalf("stages %v\n%s", got, r.stdout)
	}
	if !strings.Contains(r.stdout, "deactivateUsers is off for the app in Okta") || !strings.Contains(r.stdout, "it was not seen deactivated") {
		t.Errorf("no reason for the skip, or no word on the SCIM user:\n%s", r.stdout)
	}
	assertNothingLeft(t, env)
}

// TestRoundTripCtrlCInStage2: Ctrl-C while waiting for the SCIM user: the cleanup runs,
// exit 130, and nothing the round trip made is left in the org.
func TestRoundTripCtrlCInStage2(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{ProvisioningDelay: time.Hour}})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
	vars := envVars(env, nil)
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut, done := cliBackground(ctx, vars, "test", "-f", path, "--round-trip")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "1 assign") {
		if time.Now().After(deadline) {
			t.Fatalf("stage 1 never finished:\n%s%s", out.String(), errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // in stage 2's wait
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the round trip did not stop after Ctrl-C")
	}
	got := out.String()
	if code != exitcode.Interrupted {
		t.Fatalf("exit %d, want 130\n%s\n%s", code, got, errOut.String())
	}
	if s := stageOutcomes(got); s["acme/create"] != "failed" || s["acme/update"] != "skipped" || s["acme/group-push"] != "skipped" || s["acme/cleanup"] != "done" || !strings.Contains(got, "what the round trip made in Okta was removed (exit 130)") {
		t.Fatalf("stages %v\n%s", s, got)
	}
	assertNothingLeft(t, env)
	if ids := env.Org.AppUserIDs(appByLabel(t, env, "acme app")["id"].(string)); len(ids) != 0 {
		t.Errorf("users still assigned to the app: %v", ids)
	}
}

// TestRoundTripRemovesLeftovers: a probe user an earlier run left (an hour old) is
// removed before the round trip; one made a moment ago (another run's) is not.
func TestRoundTripRemovesLeftovers(t *testing.T) {
	env := roundTripEnv(t)
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
	vars := envVars(env, nil)
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	app := appByLabel(t, env, "acme app")["id"].(string)
	hourAgo := time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
	old := env.Org.AddUser(roundtrip.ProbePrefix+"earlier1@example.com", "PROVISIONED", hourAgo, app)
	young := env.Org.AddUser(roundtrip.ProbePrefix+"running1@example.com", "PROVISIONED", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"))
	other := env.Org.AddUser("someone@example.com", "ACTIVE", hourAgo, app)
	r := cli(t, vars, "test", "-f", path, "--round-trip")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.stdout, "removed 1 leftover probe(s) of earlier runs: "+roundtrip.ProbePrefix+"earlier1@example.com; left 1 younger than") {
		t.Errorf("the leftover's removal is not reported:\n%s", r.stdout)
	}
	ids := map[string]bool{}
	for _, u := range env.Org.Users() {
		ids[u["id"].(string)] = true
	}
	if ids[old] || !ids[young] || !ids[other] {
		t.Fatalf("after the run: leftover kept %t, younger probe kept %t, other user kept %t", ids[old], ids[young], ids[other])
	}
}

// TestRoundTripNeedsUserManagement: Okta refusing the user writes is exit 4 with a hint
// that names okta.users.manage and doctor, which warns of it; with the scope granted
// (OAuth service app) the round trip passes. An API token of a read-only admin is
// refused the same way.
func TestRoundTripNeedsUserManagement(t *testing.T) {
	env := startOAuthEnv(t, allScopes...)
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
	vars := pkVars(env, svcKeyPEM)
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	r := cli(t, vars, "test", "-f", path, "--round-trip")
	if r.code != exitcode.AuthRefused || !strings.Contains(r.stdout, "okta.users.manage") || !strings.Contains(r.stdout, "'oktascim doctor' checks it") {
		t.Fatalf("without okta.users.manage: exit %d\n%s", r.code, r.allOutput)
	}
	assertNothingLeft(t, env)
	r = cli(t, vars, "doctor")
	if got := doctorLine(t, r.stdout, "may manage users (test --round-trip)"); got != "WARN" || !strings.Contains(r.stdout, "lacks okta.users.manage") {
		t.Fatalf("doctor: %s\n%s", got, r.stdout)
	}

	scopes := append(append([]string{}, allScopes...), "okta.users.read", "okta.users.manage")
	env = startOAuthEnv(t, scopes...)
	vars = pkVars(env, svcKeyPEM, "OKTA_CLIENT_SCOPES", strings.Join(scopes, ","))
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if r := cli(t, vars, "test", "-f", path, "--round-trip"); r.code != exitcode.OK {
		t.Fatalf("with okta.users.manage: exit %d\n%s", r.code, r.allOutput)
	}
	if got := doctorLine(t, cli(t, vars, "doctor").stdout, "may manage users (test --round-trip)"); got != "PASS" {
		t.Errorf("doctor with the scope: %s", got)
	}
	bearerOnly(t, env)

	env = startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{ReadOnlyTokens: []string{"00readonly-token-abcdef"}}})
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	r = cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00readonly-token-abcdef"}), "test", "-f", path, "--round-trip")
	if r.code != exitcode.AuthRefused || !strings.Contains(r.stdout, "Organization Administrator") {
		t.Fatalf("read-only admin: exit %d\n%s", r.code, r.allOutput)
	}
}
