package oktatest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/scim/scimtest"
)

func TestParseVariants(t *testing.T) {
	got, err := ParseVariants([]string{"group-push=async", " actions-after-enable = all-on "})
	if err != nil || len(got) != 2 || got[VariantGroupPush] != "async" || got[VariantActionsAfterEnable] != "all-on" {
		t.Fatalf("%v %v", got, err)
	}
	for spec, want := range map[string]string{
		"nope=1":            `unknown simulator variant "nope"`,
		"group-push=later":  `"later" is not one of sync, async`,
		"group-push":        "want NAME=VALUE",
		"=async":            "want NAME=VALUE",
		"group-push=":       "want NAME=VALUE",
		"connection-api=on": "not one of unknown, accepted",
	} {
		if _, err := ParseVariants([]string{spec}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", spec, err, want)
		}
	}
	if _, err := ParseVariants([]string{"group-push=sync", "group-push=async"}); err == nil || !strings.Contains(err.Error(), "set twice") {
		t.Errorf("twice: %v", err)
	}
	for name, value := range Flipped() {
		v, _ := findVariant(name)
		if value == v.Values[0] || !slices.Contains(v.Values, value) {
			t.Errorf("flipped %s=%s", name, value)
		}
	}
}

func TestEveryVariantIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range Variants() {
		if seen[v.Name] || len(v.Values) < 2 || v.Doc == "" || v.Known == "" || v.Source == "" {
			t.Errorf("variant %+v: repeated, fewer than two values or undocumented", v)
		}
		seen[v.Name] = true
		for _, val := range v.Values {
			if !strings.Contains(v.Doc, "`"+val+"`") {
				t.Errorf("%s: the doc does not explain value %s", v.Name, val)
			}
		}
	}
}

// TestVariantsTableIsCurrent: docs/variants.md has one row per variant with its values
// and default, as this package defines them.
func TestVariantsTableIsCurrent(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "variants.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| ([^|]+) \\| `([a-z0-9-]+)` \\|")
	rows := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		rows[m[1]] = [2]string{strings.TrimSpace(m[2]), m[3]}
	}
	for _, v := range Variants() {
		r, ok := rows[v.Name]
		if !ok {
			t.Errorf("docs/variants.md has no row for %s", v.Name)
			continue
		}
		var want []string
		for _, val := range v.Values {
			want = append(want, "`"+val+"`")
		}
		if r[0] != strings.Join(want, ", ") || r[1] != v.Values[0] {
			t.Errorf("docs/variants.md row %s: values %q default %q, want %q default %q", v.Name, r[0], r[1], strings.Join(want, ", "), v.Values[0])
		}
		delete(rows, v.Name)
	}
	for name := range rows {
		t.Errorf("docs/variants.md names %s, which the simulator does not have", name)
	}
}

func TestNewRefusesUnknownVariants(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "unknown simulator variant") {
			t.Fatalf("recovered %v", r)
		}
	}()
	New(Options{Variants: map[string]string{"nope": "x"}})
}

// templateWithProvisioning makes a scim2headerauth app and enables its API integration
// with the admin entering To App create and update only.
func templateWithProvisioning(t *testing.T, s *Server, c *client, scim *scimtest.Running) string {
	t.Helper()
	id := c.json("POST", "/api/v1/apps", samlApp("scim2headerauth", "T"), 200).(map[string]any)["id"].(string)
	if err := s.EnableProvisioning(context.Background(), id, ProvisioningSettings{BaseURL: scim.URL, AuthMode: "header", Token: "Bearer t",
		UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestActionsAfterEnableVariant(t *testing.T) {
	type want struct {
		features                 []string
		create, update, deactive string
	}
	for value, w := range map[string]want{
		"entered": {[]string{"PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES"}, "DISABLED", "DISABLED", "DISABLED"},
		"all-off": {nil, "DISABLED", "DISABLED", "DISABLED"},
		"all-on": {[]string{"IMPORT_NEW_USERS", "IMPORT_PROFILE_UPDATES", "PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "GROUP_PUSH", "PUSH_USER_DEACTIVATION"},
			"ENABLED", "ENABLED", "ENABLED"},
		"to-app": {[]string{"PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "PUSH_USER_DEACTIVATION"}, "ENABLED", "ENABLED", "ENABLED"},
	} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, Options{Variants: map[string]string{VariantActionsAfterEnable: value}})
			scim := startSCIM(t, scimtest.Auth{Mode: "bearer", Token: "t"})
			id := templateWithProvisioning(t, s, c, scim)
			app := c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)
			var got []string
			for _, f := range app["features"].([]any) {
				got = append(got, f.(string))
			}
			if !slices.Equal(got, w.features) {
				t.Errorf("features %v, want %v", got, w.features)
			}
			up := c.json("GET", "/api/v1/apps/"+id+"/features/USER_PROVISIONING", nil, 200).(map[string]any)
			caps := up["capabilities"]
			if dig(caps, "create", "lifecycleCreate", "status") != w.create || dig(caps, "update", "profile", "status") != w.update ||
				dig(caps, "update", "lifecycleDeactivate", "status") != w.deactive || dig(caps, "update", "password", "status") != "DISABLED" {
				t.Errorf("USER_PROVISIONING %v", caps)
			}
		})
	}
}

func TestGroupPushAsyncVariant(t *testing.T) {
	s, c := startOrg(t, Options{Variants: map[string]string{VariantGroupPush: "async"}, GroupPushDelay: 150 * time.Millisecond})
	scim := startSCIM(t, scimtest.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushNewUsers: true, PushGroups: true})
	eng, ops := s.AddGroup("Engineering"), s.AddGroup("Ops")
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	start := time.Now()
	m := c.json("POST", path, map[string]any{"sourceGroupId": eng, "targetGroupName": "Eng"}, 201).(map[string]any)
	if m["status"] != "ACTIVE" || m["lastPush"] != nil || len(scimGroupNames(scim)) != 0 {
		t.Fatalf("right after the create: mapping %v, SCIM groups %v", m, scimGroupNames(scim))
	}
	// The admin's Push Groups tab is asynchronous too: no result yet, no error.
	if _, err := s.PushGroup(context.Background(), app, ops, ""); err != nil || len(scimGroupNames(scim)) != 0 {
		t.Fatalf("PushGroup: %v, SCIM groups %v", err, scimGroupNames(scim))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(scimGroupNames(scim)) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Fatalf("pushed after %v, before the delay", elapsed)
	}
	got := scimGroupNames(scim)
	slices.Sort(got)
	if !slices.Equal(got, []string{"Eng", "Ops"}) {
		t.Fatalf("SCIM groups %v", got)
	}
	after := c.json("GET", path+"/"+m["id"].(string), nil, 200).(map[string]any)
	if after["status"] != "ACTIVE" || after["lastPush"] == nil {
		t.Fatalf("after the push: %v", after)
	}
	// A mapping deactivated before its push is not pushed.
	sup := s.AddGroup("Support")
	m2 := c.json("POST", path, map[string]any{"sourceGroupId": sup, "targetGroupName": "Sup"}, 201).(map[string]any)
	c.json("PATCH", path+"/"+m2["id"].(string), map[string]any{"status": "INACTIVE"}, 200)
	s.Wait()
	if n := len(scimGroupNames(scim)); n != 2 {
		t.Fatalf("a deactivated mapping was pushed: %v", scimGroupNames(scim))
	}
}
