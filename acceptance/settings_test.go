package acceptance

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/roundtrip"
	"github.com/oktascim/oktascim/sim/simenv"
)

func lookupOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func complete() map[string]string {
	return map[string]string{
		VarOrg: "https://dev-123.okta.com", VarDisposable: "https://dev-123.okta.com/", VarToken: "00tok",
		VarSCIMURL: "https://scim.example.com/scim/v2", VarSCIMToken: "scim-tok",
	}
}

// TestRefusesUnlessDisposable: the suite runs only when the org is named twice, and says
// what is missing otherwise.
func TestRefusesUnlessDisposable(t *testing.T) {
	s, err := FromEnv(lookupOf(complete()))
	if err != nil || s.Org != "https://dev-123.okta.com" || !slices.Equal(s.Groups, []string{"Everyone"}) || s.Admin {
		t.Fatalf("complete settings: %+v, %v", s, err)
	}
	for name, c := range map[string]struct {
		change map[string]string
		want   string
	}{
		"no org":              {map[string]string{VarOrg: ""}, VarOrg + ": not set"},
		"not disposable":      {map[string]string{VarDisposable: ""}, "refusing to run"},
		"another org":         {map[string]string{VarDisposable: "https://prod.okta.com"}, "set " + VarDisposable + "=https://dev-123.okta.com"},
		"http org":            {map[string]string{VarOrg: "http://dev-123.okta.com", VarDisposable: "http://dev-123.okta.com"}, "must be an https URL"},
		"admin host":          {map[string]string{VarOrg: "https://dev-123-admin.okta.com", VarDisposable: "https://dev-123-admin.okta.com"}, "without -admin"},
		"org with a path":     {map[string]string{VarOrg: "https://dev-123.okta.com/app", VarDisposable: "https://dev-123.okta.com/app"}, "has no path"},
		"no token":            {map[string]string{VarToken: ""}, VarToken},
		"no SCIM server":      {map[string]string{VarSCIMURL: ""}, VarSCIMURL + ": not set"},
		"loopback SCIM":       {map[string]string{VarSCIMURL: "http://127.0.0.1:8080/scim/v2"}, "must be an https URL"},
		"no SCIM credentials": {map[string]string{VarSCIMToken: ""}, "no SCIM credentials"},
	} {
		env := complete()
		for k, v := range c.change {
			env[k] = v
		}
		if _, err := FromEnv(lookupOf(env)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
	env := complete()
	env[VarToken], env["OKTA_CLIENT_TOKEN"] = "", "00fallback"
	env[VarGroups], env[VarAdmin] = " QA, Test Users ,", "1"
	s, err = FromEnv(lookupOf(env))
	if err != nil || s.Token != "00fallback" || !slices.Equal(s.Groups, []string{"QA", "Test Users"}) || !s.Admin {
		t.Fatalf("%+v, %v", s, err)
	}
}

// TestCleanupDeletesOnlyTheRunsApps against the simulator: the run's stamped and labelled
// apps go (active or not), another run's and everyone else's stay, unless sweeping.
func TestCleanupDeletesOnlyTheRunsApps(t *testing.T) {
	env, err := simenv.Start(simenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	prefix, other := NewRunPrefix(), NewRunPrefix()
	if prefix == other || !strings.HasPrefix(prefix, StampPrefix) || len(prefix) != len(StampPrefix)+8 {
		t.Fatalf("prefixes %q %q", prefix, other)
	}
	note := func(name string) map[string]any {
		return map[string]any{"app": map[string]any{}, "notes": map[string]any{"admin": okta.Stamp(name)}}
	}
	mine := []string{
		env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": prefix + " a", "settings": note(prefix + "-a")}),
		env.Org.AddApp(map[string]any{"name": "scim2testapp", "label": "renamed by hand", "status": "INACTIVE", "settings": note(prefix + "-b")}),
		env.Org.AddApp(map[string]any{"name": "scim2testapp", "label": prefix + " unstamped"}),
	}
	theirs := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": other + " a", "settings": note(other + "-a")})
	unrelated := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "Production app", "settings": note("production")})

	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := Cleanup(context.Background(), c, prefix)
	if err != nil || len(deleted) != len(mine) {
		t.Fatalf("deleted %v, %v", deleted, err)
	}
	for _, id := range mine {
		if _, ok := env.Org.App(id); ok {
			t.Errorf("%s is still there", id)
		}
	}
	for _, id := range []string{theirs, unrelated} {
		if _, ok := env.Org.App(id); !ok {
			t.Errorf("%s was deleted", id)
		}
	}
	// The sweep takes every run's apps, and still nothing else.
	if deleted, err := Cleanup(context.Background(), c, ""); err != nil || len(deleted) != 1 {
		t.Fatalf("sweep deleted %v, %v", deleted, err)
	}
	if _, ok := env.Org.App(unrelated); !ok || len(env.Org.Apps()) != 1 {
		t.Fatalf("the sweep left %d apps", len(env.Org.Apps()))
	}
}

// TestCleanupProbesDeletesOnlyTheRunsProbes: probe users made since the run began go;
// an older probe (another run's) and other users stay.
func TestCleanupProbesDeletesOnlyTheRunsProbes(t *testing.T) {
	env, err := simenv.Start(simenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	start := time.Now().Add(-time.Minute)
	mine := env.Org.AddUser(roundtrip.ProbePrefix+"mine@example.com", "PROVISIONED", stamp(time.Now()))
	older := env.Org.AddUser(roundtrip.ProbePrefix+"older@example.com", "PROVISIONED", stamp(start.Add(-time.Hour)))
	person := env.Org.AddUser("person@example.com", "ACTIVE", stamp(time.Now()))
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := CleanupProbes(context.Background(), c, start)
	if err != nil || len(deleted) != 1 || deleted[0] != roundtrip.ProbePrefix+"mine@example.com" {
		t.Fatalf("deleted %v, %v", deleted, err)
	}
	left := map[string]bool{}
	for _, u := range env.Org.Users() {
		left[u["id"].(string)] = true
	}
	if left[mine] || !left[older] || !left[person] {
		t.Fatalf("left: %v (mine %s, older %s, person %s)", left, mine, older, person)
	}
}
