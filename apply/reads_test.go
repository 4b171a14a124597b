package apply_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// The reads outside apply's and plan's main flow, counted: status, import and the
// names of pushes the file does not declare.

func newSession(t *testing.T, env *simenv.Env, opts apply.Options) *apply.Session {
	t.Helper()
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	opts.Client = c
	return apply.NewSession(opts)
}

func startCounted(t *testing.T, variants map[string]string) *simenv.Env {
	t.Helper()
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{RateLimitPerMinute: 100000, Variants: variants}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func converge(t *testing.T, env *simenv.Env, ins []config.Integration) {
	t.Helper()
	if _, res := applyRoutes(t, env, ins); res.Code != 0 {
		t.Fatalf("apply: exit %d: %+v", res.Code, res.Events)
	}
}

// status (of the file, and --all) reads the System Log once for all the apps (not
// once per app), and each row shows its own app's newest credential event.
func TestStatusReadsTheSystemLogOnce(t *testing.T) {
	env := startCounted(t, nil)
	ins := loadIntegrations(t, env, 4)
	converge(t, env, ins)
	// A newer failed save on app-1 only: its row must show it, the others their own.
	s := newSession(t, env, apply.Options{Integrations: ins})
	rows, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Org.LogEvent(rows[1].AppID, "application.configuration.update", "FAILURE", "Bad credentials"); err != nil {
		t.Fatal(err)
	}
	before := len(env.Org.Requests())
	rows, err = newSession(t, env, apply.Options{Integrations: ins}).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	routes := countRoutes(env.Org.Requests()[before:])
	if routes["GET /api/v1/logs"] != 1 {
		t.Errorf("status of %d apps read the System Log ×%d, want once (%s)", len(ins), routes["GET /api/v1/logs"], formatRoutes(routes))
	}
	for i, row := range rows {
		want := "SUCCESS"
		if i == 1 {
			want = "FAILURE"
		}
		if row.LastTest == nil || row.LastTest.Outcome != want {
			t.Errorf("%s: last test %+v, want %s", row.Integration, row.LastTest, want)
		}
	}
	// status --all: every stamped app of the org, one System Log read too.
	before = len(env.Org.Requests())
	all, err := newSession(t, env, apply.Options{}).StatusAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	routes = countRoutes(env.Org.Requests()[before:])
	if len(all) != len(ins) || routes["GET /api/v1/logs"] != 1 {
		t.Errorf("status --all: %d rows, System Log read ×%d, want %d rows and one read (%s)", len(all), routes["GET /api/v1/logs"], len(ins), formatRoutes(routes))
	}
	for _, row := range all {
		if row.LastTest == nil {
			t.Errorf("status --all: %s has no last test", row.Integration)
		}
	}
}

// import names an app's groups from one read of its assignments (expand=group), not
// a GET /api/v1/groups/{id} each; where Okta ignores expand, the client names them
// itself and the file is the same.
func TestImportNamesGroupsFromOneRead(t *testing.T) {
	for _, expand := range []string{"embedded", "ignored"} {
		t.Run(expand, func(t *testing.T) {
			env := startCounted(t, map[string]string{oktaorg.VariantAssignmentExpand: expand})
			ins := loadIntegrations(t, env, 1)
			converge(t, env, ins)
			app := onlyApp(t, env)
			for _, g := range []string{"Sales", "Support"} {
				if err := env.Org.AssignGroup(app, groupID(t, env, g)); err != nil {
					t.Fatal(err)
				}
			}
			before := len(env.Org.Requests())
			got, err := newSession(t, env, apply.Options{}).Import(context.Background(), apply.ImportSelector{IDs: []string{app}})
			if err != nil {
				t.Fatal(err)
			}
			if g := got[0].Integration.Groups; strings.Join(g, ",") != "Engineering,Sales,Support" {
				t.Errorf("imported groups %v", g)
			}
			routes := countRoutes(env.Org.Requests()[before:])
			wantGets := map[string]int{"embedded": 0, "ignored": 3}[expand]
			if routes["GET /api/v1/apps/{id}/groups"] != 1 || routes["GET /api/v1/groups/{id}"] != wantGets {
				t.Errorf("import read %s: want the assignments once and %d group read(s)", formatRoutes(routes), wantGets)
			}
		})
	}
}

// A push of a group the file does not push is left alone without --prune, and its
// group is not read to name it (nor the app's other assignments: it is shown by id);
// with --prune its removal is named, from the app's assignments (read whole with
// --prune) when the group is assigned, else from one read of the group.
func TestPushNamesReadOnlyWithPrune(t *testing.T) {
	env := startCounted(t, nil)
	converge(t, env, loadIntegrations(t, env, 1))
	app := onlyApp(t, env)
	// Push Groups is an admin's checkbox on a template app: the admin saves the
	// Provisioning tab with it, and pushes Engineering, Sales and Support.
	if err := env.Org.EnableProvisioning(context.Background(), app, oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "oauth", Token: env.SCIMToken,
		UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true, PushGroups: true}); err != nil {
		t.Fatal(err)
	}
	ins := loadPushing(t, env)
	sales, support := groupID(t, env, "Sales"), groupID(t, env, "Support")
	for _, g := range []string{groupID(t, env, "Engineering"), sales, support} {
		if _, err := env.Org.PushGroup(context.Background(), app, g, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.Org.AssignGroup(app, support); err != nil {
		t.Fatal(err)
	}
	for _, prune := range []bool{false, true} {
		before := len(env.Org.Requests())
		p, err := newSession(t, env, apply.Options{Integrations: ins, Prune: prune}).Plan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		routes := countRoutes(env.Org.Requests()[before:])
		in := p.Integrations[0]
		if !prune {
			kept := strings.Join(in.Kept, "; ")
			if routes["GET /api/v1/groups/{id}"] != 0 || !strings.Contains(kept, "push "+sales) || !strings.Contains(kept, "push "+support) || len(in.Removals) != 0 {
				t.Errorf("without --prune: kept %q, removals %v, reads %s: want both pushes kept, by id (their groups unread), none removed", kept, in.Removals, formatRoutes(routes))
			}
			continue
		}
		var removed []string
		for _, c := range in.Removals {
			removed = append(removed, c.Field)
		}
		got := strings.Join(removed, ",")
		if routes["GET /api/v1/groups/{id}"] != 1 || !strings.Contains(got, "push.Sales") || !strings.Contains(got, "push.Support") {
			t.Errorf("with --prune: removals %s, reads %s: want both pushes removed by name, one group read (Sales; Support is assigned)", got, formatRoutes(routes))
		}
	}
}

// loadPushing is loadIntegrations' first integration, pushing Engineering.
func loadPushing(t *testing.T, env *simenv.Env) []config.Integration {
	t.Helper()
	yaml := `version: 1
integrations:
  - name: app-0
    scim:
      version: "2.0"
      baseUrl: ${OKTASCIM_SIM_SCIM_URL}
      auth: { method: oauth, token: { env: OKTASCIM_SIM_SCIM_TOKEN } }
    signOn: { mode: saml, saml: { acsUrl: "https://a0.example/acs", audience: "https://a0.example" } }
    provisioning: { pushGroups: true }
    groups: [Engineering]
    pushGroups: [Engineering]
`
	p := filepath.Join(t.TempDir(), "push.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(p, config.LoadOptions{LookupEnv: env.LookupEnv(nil)})
	if err != nil {
		t.Fatal(err)
	}
	return f.Integrations
}

func onlyApp(t *testing.T, env *simenv.Env) string {
	t.Helper()
	apps := env.Org.Apps()
	if len(apps) != 1 {
		t.Fatalf("%d apps, want 1", len(apps))
	}
	return fmt.Sprint(apps[0]["id"])
}

func groupID(t *testing.T, env *simenv.Env, name string) string {
	t.Helper()
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	g, matches, err := c.FindGroup(context.Background(), name)
	if err != nil || len(matches) != 1 {
		t.Fatalf("group %s: %v, %d matches", name, err, len(matches))
	}
	return g.ID
}
