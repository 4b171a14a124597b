package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// typist is a terminal user: each Read answers the next line, after running what
// happens in the org while the question is open.
type typist struct {
	mu      sync.Mutex
	answers []string
	before  []func()
	asked   int
}

func (ty *typist) Read(p []byte) (int, error) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	if ty.asked >= len(ty.answers) {
		return 0, os.ErrClosed
	}
	if ty.asked < len(ty.before) && ty.before[ty.asked] != nil {
		ty.before[ty.asked]()
	}
	a := ty.answers[ty.asked]
	ty.asked++
	return copy(p, a+"\n"), nil
}

// TestApplyAsksOnATerminal: "no" writes nothing; a change made while the question is
// open is re-planned, said, and asked again; then apply acts on the new plan.
func TestApplyAsksOnATerminal(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	content := fileOf(integrationYAML("acme", "2.0", "header", "saml"))
	path := writeFile(t, content)
	vars := envVars(env, nil)

	r := cliTTY(t, vars, &typist{answers: []string{"no"}}, "apply", "-f", path)
	if r.code != exitcode.Failure || !strings.Contains(r.stderr, "Apply these changes?") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("a refused apply wrote %v", w)
	}

	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}})
	id := appByLabel(t, env, "acme app")["id"].(string)
	// The file now wants a new label; while the admin reads the plan, someone hides the app.
	if err := os.WriteFile(path, []byte(strings.Replace(content, "label: acme app", "label: Acme", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	hide := func() {
		_ = env.Org.MutateApp(id, func(a map[string]any) { a["visibility"].(map[string]any)["hide"].(map[string]any)["web"] = true })
	}
	ty := &typist{answers: []string{"yes", "yes"}, before: []func(){hide}}
	r = cliTTY(t, vars, ty, "apply", "-f", path)
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	if ty.asked != 2 {
		t.Fatalf("asked %d time(s), want 2 (before and after the re-plan)\n%s", ty.asked, r.allOutput)
	}
	for _, want := range []string{`~ label: "acme app" → "Acme"`, "The org changed since the plan was shown; re-planned:", "~ visibility.hideWeb: true → false"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	app, _ := env.Org.App(id)
	if app["label"] != "Acme" || app["visibility"].(map[string]any)["hide"].(map[string]any)["web"] != false {
		t.Fatalf("apply did not act on the new plan: %v %v", app["label"], app["visibility"])
	}
	// With --yes nothing is asked.
	if r := cliTTY(t, vars, &typist{}, "apply", "-f", path, "--yes"); r.code != exitcode.OK || strings.Contains(r.stderr, "Apply these changes?") {
		t.Fatalf("apply --yes exit %d\n%s", r.code, r.allOutput)
	}
}

// TestImportThenPlan: an app made in the console, with provisioning on and a group,
// imported by label; the written file references secrets by env, and plan right after
// shows no changes.
func TestImportThenPlan(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	id := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "Acme HR (console)", "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{"acsUrl": "https://hr.example/acs", "audienceUri": "https://hr.example"},
			"notes": map[string]any{"admin": "made by Alice", "enduser": nil}},
		"visibility": map[string]any{"autoSubmitToolbar": false, "hide": map[string]any{"iOS": true, "web": false}, "appLinks": map[string]any{}}})
	if err := env.Org.EnableProvisioning(context.Background(), id, oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "header",
		Token: env.SCIMToken, UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := orgClient(t, env).AssignGroup(context.Background(), id, groupID(t, env, "Engineering")); err != nil {
		t.Fatal(err)
	}
	vars := envVars(env, nil)
	out := filepath.Join(t.TempDir(), "imported.yaml")
	r := cli(t, vars, "import", "--label", "Acme HR (console)", "--out", out)
	if r.code != exitcode.OK {
		t.Fatalf("import exit %d\n%s", r.code, r.allOutput)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, want := range []string{"name: acme-hr-console", "label: Acme HR (console)", "token: { env: ACME_HR_CONSOLE_SCIM_TOKEN }",
		"baseUrl: ${ACME_HR_CONSOLE_SCIM_BASE_URL}", "acsUrl: https://hr.example/acs", "- Engineering", "createUsers: false", "hideMobile: true"} {
		if !strings.Contains(text, want) {
			t.Errorf("imported file lacks %q:\n%s", want, text)
		}
	}
	assertNoSecrets(t, text+r.allOutput, env.Token, env.SCIMToken)
	app, _ := env.Org.App(id)
	if note := app["settings"].(map[string]any)["notes"].(map[string]any)["admin"].(string); !strings.HasPrefix(note, "[oktascim:acme-hr-console]") || !strings.Contains(note, "made by Alice") {
		t.Fatalf("import did not stamp the app (keeping the note): %q", note)
	}
	// import never overwrites.
	if r := cli(t, vars, "import", "--app-id", id, "--out", out); r.code != exitcode.Invalid {
		t.Fatalf("import over an existing file: exit %d", r.code)
	}
	vars["ACME_HR_CONSOLE_SCIM_TOKEN"] = env.SCIMToken
	vars["ACME_HR_CONSOLE_SCIM_BASE_URL"] = env.SCIM20.URL
	r = cli(t, vars, "plan", "-f", out, "--detailed-exitcode")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "= unchanged  acme-hr-console  "+id) || !strings.Contains(r.stdout, "? not readable") {
		t.Fatalf("plan after import: exit %d\n%s", r.code, r.allOutput)
	}
	// Importing by id a second time finds the stamp and writes nothing.
	env.Org.ResetRequests()
	r = cli(t, vars, "import", "--app-id", id)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "name: acme-hr-console") || len(writes(env)) > 0 {
		t.Fatalf("second import: exit %d, writes %v\n%s", r.code, writes(env), r.allOutput)
	}
}

// TestDestroyTouchesOnlyManagedApps: destroy needs --yes off a terminal, --name limits
// it, and apps without the integration's stamp survive.
func TestDestroyTouchesOnlyManagedApps(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "swa")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "oauth"}})
	acme := appByLabel(t, env, "acme app")["id"].(string)
	beta := appByLabel(t, env, "beta app")["id"].(string)
	lookalike := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "acme app"})
	foreign := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "other",
		"settings": map[string]any{"app": map[string]any{}, "notes": map[string]any{"admin": "[oktascim:other-team] theirs", "enduser": nil}}})
	vars := envVars(env, nil)

	env.Org.ResetRequests()
	r := cli(t, vars, "destroy", "-f", path)
	if r.code != exitcode.Invalid || !strings.Contains(r.allOutput, "--yes") || len(writes(env)) > 0 {
		t.Fatalf("destroy without --yes: exit %d, writes %v\n%s", r.code, writes(env), r.allOutput)
	}
	r = cli(t, vars, "destroy", "-f", path, "--name", "acme", "--yes")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "Will deactivate and delete 1 app(s)") || !strings.Contains(r.stdout, "verified gone") {
		t.Fatalf("destroy --name acme: exit %d\n%s", r.code, r.allOutput)
	}
	if _, ok := env.Org.App(acme); ok {
		t.Fatal("acme still exists")
	}
	if _, ok := env.Org.App(beta); !ok {
		t.Fatal("destroy --name acme deleted beta")
	}
	r = cliTTY(t, vars, &typist{answers: []string{"yes"}}, "destroy", "-f", path)
	if r.code != exitcode.OK {
		t.Fatalf("destroy: exit %d\n%s", r.code, r.allOutput)
	}
	if _, ok := env.Org.App(beta); ok {
		t.Fatal("beta still exists")
	}
	for _, id := range []string{lookalike, foreign} {
		app, ok := env.Org.App(id)
		if !ok || app["status"] != "ACTIVE" {
			t.Fatalf("destroy touched unmanaged app %s", id)
		}
	}
	if r := cli(t, vars, "destroy", "-f", path, "--yes"); r.code != exitcode.OK || !strings.Contains(r.stdout, "Nothing to destroy") {
		t.Fatalf("second destroy: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestStatus: the table and JSON for the file, drift yes after a hand edit, the last
// connection test from the System Log, and --all for every stamped app.
func TestStatus(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "swa")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "oauth"}})
	acme := appByLabel(t, env, "acme app")["id"].(string)
	_ = env.Org.MutateApp(acme, func(a map[string]any) { a["label"] = "edited" })
	withNew := fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "swa"), integrationYAML("gamma", "2.0", "header", "saml"))
	path = writeFile(t, withNew)
	vars := envVars(env, nil)
	env.Org.ResetRequests()
	r := cli(t, vars, "status", "-f", path)
	if r.code != exitcode.OK || len(writes(env)) > 0 {
		t.Fatalf("status exit %d, writes %v\n%s", r.code, writes(env), r.allOutput)
	}
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasPrefix(lines[0], "INTEGRATION") || !strings.Contains(lines[0], "LAST CONNECTION TEST") {
		t.Fatalf("no table header:\n%s", r.stdout)
	}
	row := func(name string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, name+" ") {
				return l
			}
		}
		t.Fatalf("no row for %s:\n%s", name, r.stdout)
		return ""
	}
	for name, want := range map[string][]string{
		"acme":  {acme, "ACTIVE", "SAML_2_0", " on ", "SUCCESS", "yes"},
		"beta":  {"BROWSER_PLUGIN", " on ", "SUCCESS", " no"},
		"gamma": {"unknown", "not created"},
	} {
		for _, w := range want {
			if !strings.Contains(row(name), w) {
				t.Errorf("row %s lacks %q: %s", name, w, row(name))
			}
		}
	}
	if !strings.Contains(r.stdout, `label: "edited" → "acme app"`) {
		t.Errorf("status does not say what drifted:\n%s", r.stdout)
	}
	r = cli(t, vars, "status", "-f", path, "-o", "json")
	var doc struct {
		Apps []struct {
			Integration, DriftState, Provisioning string
			Drift                                 bool
			LastTest                              *struct{ Outcome string } `json:"lastConnectionTest"`
		} `json:"apps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Apps) != 3 {
		t.Fatalf("status JSON: %v\n%s", err, r.stdout)
	}
	if !doc.Apps[0].Drift || doc.Apps[0].DriftState != "yes" || doc.Apps[0].LastTest == nil || doc.Apps[0].LastTest.Outcome != "SUCCESS" ||
		!doc.Apps[2].Drift || doc.Apps[2].DriftState != "not created" || doc.Apps[1].Drift {
		t.Fatalf("status JSON: %+v", doc.Apps)
	}
	env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "unmanaged"})
	r = cli(t, vars, "status", "--all")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, acme) || !strings.Contains(r.stdout, "beta") || strings.Contains(r.stdout, "unmanaged") {
		t.Fatalf("status --all: exit %d\n%s", r.code, r.allOutput)
	}
}
