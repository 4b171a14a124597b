package oktaorg

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/sim/scimserver"
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

var update = flag.Bool("update", false, "rewrite docs/variants.md's table")

const tableStart, tableEnd = "<!-- variants table: go test ./sim/oktaorg -run TestVariantsTableIsCurrent -update -->\n", "<!-- end of variants table -->\n"

// TestVariantsTableIsCurrent: docs/variants.md's table is the one VariantsTable makes
// from the list, so the doc names every variant, value and default the simulator has.
func TestVariantsTableIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "variants.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, tableStart), strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the table markers", path)
	}
	want := doc[:i+len(tableStart)] + VariantsTable() + doc[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Errorf("%s is stale (go test ./sim/oktaorg -run TestVariantsTableIsCurrent -update)", path)
	}
	for _, v := range Variants() {
		if !strings.Contains(doc, "| `"+v.Name+"` |") {
			t.Errorf("no row for %s", v.Name)
		}
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
func templateWithProvisioning(t *testing.T, s *Server, c *client, scim *scimserver.Running) string {
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
			scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
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
	// Nothing here waits on the clock: s.Wait is the pushes' end, and what must happen
	// "before the delay" is checked only when the clock proves the delay had not yet
	// passed (a loaded machine may take longer than the delay between two requests).
	const delay = 400 * time.Millisecond
	s, c := startOrg(t, Options{Variants: map[string]string{VariantGroupPush: "async"}, GroupPushDelay: delay})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushNewUsers: true, PushGroups: true})
	eng, ops := s.AddGroup("Engineering"), s.AddGroup("Ops")
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	start := time.Now()
	m := c.json("POST", path, map[string]any{"sourceGroupId": eng, "targetGroupName": "Eng"}, 201).(map[string]any)
	if m["status"] != "ACTIVE" || m["lastPush"] != nil {
		t.Fatalf("right after the create: mapping %v", m)
	}
	if got := scimGroupNames(scim); time.Since(start) < delay && len(got) != 0 {
		t.Fatalf("pushed before the delay: SCIM groups %v", got)
	}
	// The admin's Push Groups tab is asynchronous too: no result yet, no error.
	opsStart := time.Now()
	if _, err := s.PushGroup(context.Background(), app, ops, ""); err != nil {
		t.Fatalf("PushGroup: %v", err)
	}
	if got := scimGroupNames(scim); time.Since(opsStart) < delay && slices.Contains(got, "Ops") {
		t.Fatalf("the console pushed before the delay: SCIM groups %v", got)
	}
	// Both pushes over, lastPush recorded too (the SCIM group appears a moment before
	// the mapping records its push, so polling the SCIM server is not enough).
	s.Wait()
	if elapsed := time.Since(start); elapsed < delay {
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
	// A mapping deactivated before its push is not pushed. Conclusive only when the
	// deactivation answered within the delay of the create being sent; a few tries.
	for try := 1; ; try++ {
		sup := s.AddGroup(fmt.Sprintf("Support %d", try))
		sent := time.Now()
		m2 := c.json("POST", path, map[string]any{"sourceGroupId": sup, "targetGroupName": fmt.Sprintf("Sup%d", try)}, 201).(map[string]any)
		c.json("PATCH", path+"/"+m2["id"].(string), map[string]any{"status": "INACTIVE"}, 200)
		conclusive := time.Since(sent) < delay
		s.Wait()
		if !conclusive {
			if try == 5 {
				t.Fatalf("five create+deactivate pairs each took longer than %v", delay)
			}
			continue
		}
		if got := scimGroupNames(scim); slices.Contains(got, fmt.Sprintf("Sup%d", try)) {
			t.Fatalf("a deactivated mapping was pushed: %v", got)
		}
		break
	}
}

func vopt(name, value string) Options { return Options{Variants: map[string]string{name: value}} }

func featuresOf(t *testing.T, c *client, id string) string {
	t.Helper()
	return mustJSON(c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)["features"])
}

func TestFeaturesFromVariant(t *testing.T) {
	for value, want := range map[string][2]string{
		// [after enable with create+update entered, after a USER_PROVISIONING PUT turning create off]
		"checkboxes":   {`["PUSH_NEW_USERS","PUSH_PROFILE_UPDATES"]`, `["PUSH_NEW_USERS","PUSH_PROFILE_UPDATES"]`},
		"settings":     {`[]`, `["PUSH_PROFILE_UPDATES"]`},
		"capabilities": {`["IMPORT_NEW_USERS","IMPORT_PROFILE_UPDATES","PUSH_NEW_USERS","PUSH_PROFILE_UPDATES","GROUP_PUSH","PUSH_USER_DEACTIVATION","PUSH_PASSWORD_UPDATES"]`, ""},
	} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, vopt(VariantFeaturesFrom, value))
			id := templateWithProvisioning(t, s, c, startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"}))
			if got := featuresOf(t, c, id); got != want[0] {
				t.Errorf("after enable: %s, want %s", got, want[0])
			}
			c.json("PUT", "/api/v1/apps/"+id+"/features/USER_PROVISIONING", map[string]any{
				"create": map[string]any{"lifecycleCreate": map[string]any{"status": "DISABLED"}},
				"update": map[string]any{"profile": map[string]any{"status": "ENABLED"}}}, 200)
			if w := want[1]; w == "" {
				w = want[0]
				if got := featuresOf(t, c, id); got != w {
					t.Errorf("after the PUT: %s, want %s", got, w)
				}
			} else if got := featuresOf(t, c, id); got != w {
				t.Errorf("after the PUT: %s, want %s", got, w)
			}
		})
	}
}

func TestConnectionVariants(t *testing.T) {
	base := scimOK(t, "Bearer tok-1")
	connect := func(t *testing.T, c *client, body map[string]any) string {
		id := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "C"), 200).(map[string]any)["id"].(string)
		c.json("POST", "/api/v1/apps/"+id+"/connections/default?activate=true", body, 200)
		return id
	}
	token := map[string]any{"authScheme": "TOKEN", "token": "tok-1"}
	t.Run("lifecycle on an unsupported app", func(t *testing.T) {
		for value, code := range map[string]int{"refused": 400, "no-op": 204} {
			_, c := startOrg(t, vopt(VariantConnectionLifecycle, value))
			id := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "U"), 200).(map[string]any)["id"].(string)
			for _, op := range []string{"activate", "deactivate"} {
				if resp, b := c.do("POST", "/api/v1/apps/"+id+"/connections/default/lifecycle/"+op, nil); resp.StatusCode != code {
					t.Errorf("%s %s: %d %s, want %d", value, op, resp.StatusCode, b, code)
				}
			}
			if got := c.json("GET", "/api/v1/apps/"+id+"/connections/default", nil, 200).(map[string]any); got["status"] != "UNKNOWN" {
				t.Errorf("%s: connection %v", value, got)
			}
		}
	})
	t.Run("without baseUrl", func(t *testing.T) {
		for value, want := range map[string]any{"erases": nil, "keeps": base} {
			_, c := startOrg(t, Options{Variants: map[string]string{VariantConnectionBaseURL: value, VariantConnectionAPI: "accepted"}})
			id := connect(t, c, map[string]any{"baseUrl": base, "profile": token})
			c.json("POST", "/api/v1/apps/"+id+"/connections/default", map[string]any{"profile": token}, 200)
			if got := c.json("GET", "/api/v1/apps/"+id+"/connections/default", nil, 200).(map[string]any); got["baseUrl"] != want {
				t.Errorf("%s: baseUrl %v, want %v", value, got["baseUrl"], want)
			}
		}
	})
	t.Run("deactivate", func(t *testing.T) {
		for value, featuresCode := range map[string]int{"provisioning-off": 400, "status-only": 200} {
			_, c := startOrg(t, Options{Variants: map[string]string{VariantConnectionDeactivate: value, VariantConnectionAPI: "accepted"}})
			id := connect(t, c, map[string]any{"baseUrl": base, "profile": token})
			c.json("POST", "/api/v1/apps/"+id+"/connections/default/lifecycle/deactivate", nil, 204)
			if got := c.json("GET", "/api/v1/apps/"+id+"/connections/default", nil, 200).(map[string]any); got["status"] != "DISABLED" {
				t.Errorf("%s: connection %v", value, got)
			}
			c.json("GET", "/api/v1/apps/"+id+"/features", nil, featuresCode)
		}
	})
	t.Run("actions after the connection", func(t *testing.T) {
		for value, want := range map[string]string{
			"push":    `["PUSH_NEW_USERS","PUSH_PROFILE_UPDATES"]`,
			"all-off": `[]`,
			"all-on":  `["IMPORT_NEW_USERS","IMPORT_PROFILE_UPDATES","PUSH_NEW_USERS","PUSH_PROFILE_UPDATES","GROUP_PUSH","PUSH_USER_DEACTIVATION"]`,
			"to-app":  `["PUSH_NEW_USERS","PUSH_PROFILE_UPDATES","PUSH_USER_DEACTIVATION"]`,
		} {
			_, c := startOrg(t, Options{Variants: map[string]string{VariantActionsAfterConnection: value, VariantConnectionAPI: "accepted"}})
			id := connect(t, c, map[string]any{"baseUrl": base, "profile": token})
			if got := featuresOf(t, c, id); got != want {
				t.Errorf("%s: features %s, want %s", value, got, want)
			}
		}
	})
}

func TestMappingsAndSchemaVariants(t *testing.T) {
	for _, value := range []string{"creation", "provisioning"} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, Options{Variants: map[string]string{VariantMappingsAt: value, VariantSchemaBaseAt: value}})
			scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
			tpl := c.json("POST", "/api/v1/apps", samlApp("scim2headerauth", "T"), 200).(map[string]any)["id"].(string)
			custom := c.json("POST", "/api/v1/apps", customSAML("C"), 200).(map[string]any)["id"].(string)
			count := func(id string) int {
				return len(c.json("GET", "/api/v1/mappings?sourceId="+id, nil, 200).([]any)) + len(c.json("GET", "/api/v1/mappings?targetId="+id, nil, 200).([]any))
			}
			hasGivenName := func(id string) bool {
				return dig(c.json("GET", "/api/v1/meta/schemas/apps/"+id+"/default", nil, 200), "definitions", "base", "properties", "givenName") != nil
			}
			before := map[bool]int{true: 2, false: 0}[value == "creation"]
			if count(tpl) != before || count(custom) != before || hasGivenName(tpl) != (value == "creation") || hasGivenName(custom) {
				t.Fatalf("before provisioning: mappings %d %d, template givenName %v, custom givenName %v", count(tpl), count(custom), hasGivenName(tpl), hasGivenName(custom))
			}
			if err := s.EnableProvisioning(context.Background(), tpl, ProvisioningSettings{BaseURL: scim.URL, AuthMode: "header", Token: "Bearer t"}); err != nil {
				t.Fatal(err)
			}
			if err := s.EnableSCIM(context.Background(), custom, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "Bearer t"}); err != nil {
				t.Fatal(err)
			}
			if count(tpl) != 2 || count(custom) != 2 || !hasGivenName(tpl) || !hasGivenName(custom) {
				t.Fatalf("after provisioning: mappings %d %d, givenName %v %v", count(tpl), count(custom), hasGivenName(tpl), hasGivenName(custom))
			}
			to := c.json("GET", "/api/v1/mappings?sourceId="+c.json("GET", "/api/v1/mappings?targetId="+tpl, nil, 200).([]any)[0].(map[string]any)["source"].(map[string]any)["id"].(string)+"&targetId="+tpl, nil, 200).([]any)
			full := c.json("GET", "/api/v1/mappings/"+to[0].(map[string]any)["id"].(string), nil, 200)
			if dig(full, "properties", "givenName", "expression") != "user.firstName" {
				t.Fatalf("template mapping %v", full)
			}
		})
	}
}

func TestUnknownPushSourceVariant(t *testing.T) {
	for value, code := range map[string]int{"400": 400, "404": 404} {
		s, c := startOrg(t, vopt(VariantUnknownPushSource, value))
		app := pushApp(t, s, c, startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"}), SCIMActions{PushGroups: true})
		got := c.json("POST", "/api/v1/apps/"+app+"/group-push/mappings", map[string]any{"sourceGroupId": "00gnope", "targetGroupName": "x"}, code)
		if want := map[int]string{400: "E0000001", 404: "E0000007"}[code]; errorCode(t, got) != want {
			t.Errorf("%s: %v", value, got)
		}
	}
}

func TestTemplateSWAVariant(t *testing.T) {
	swa := func(mode string) map[string]any {
		return map[string]any{"name": "scim2testapp", "label": "S", "signOnMode": mode}
	}
	for value, want := range map[string][2]string{ // stored mode for BROWSER_PLUGIN, for AUTO_LOGIN ("" refused)
		"browser-plugin": {"BROWSER_PLUGIN", ""},
		"auto-login":     {"BROWSER_PLUGIN", "AUTO_LOGIN"},
		"rewritten":      {"AUTO_LOGIN", "AUTO_LOGIN"},
	} {
		_, c := startOrg(t, vopt(VariantTemplateSWA, value))
		for i, mode := range []string{"BROWSER_PLUGIN", "AUTO_LOGIN"} {
			if want[i] == "" {
				errorCode(t, c.json("POST", "/api/v1/apps", swa(mode), 400))
				continue
			}
			app := c.json("POST", "/api/v1/apps", swa(mode), 200).(map[string]any)
			put := c.json("PUT", "/api/v1/apps/"+app["id"].(string), swa(mode), 200).(map[string]any)
			if app["signOnMode"] != want[i] || put["signOnMode"] != want[i] {
				t.Errorf("%s: %s stored as %v, after PUT %v; want %s", value, mode, app["signOnMode"], put["signOnMode"], want[i])
			}
		}
	}
}

func TestCredentialTestAndSCIM1Variants(t *testing.T) {
	plain := httptestServer(t, "text/plain", "Bearer tok")
	for value, ok := range map[string]bool{"scim-or-json": false, "any-json": true} {
		s, c := startOrg(t, vopt(VariantCredentialTestType, value))
		id := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "P"), 200).(map[string]any)["id"].(string)
		err := s.EnableProvisioning(context.Background(), id, ProvisioningSettings{BaseURL: plain, AuthMode: "oauth", Token: "tok"})
		if (err == nil) != ok {
			t.Errorf("%s: a text/plain ListResponse: %v", value, err)
		}
	}
	for value, header := range map[string]string{"header": "tok", "bearer": "Bearer tok"} {
		base := httptestServer(t, "application/scim+json", header)
		s, c := startOrg(t, vopt(VariantSCIM1Auth, value))
		id := c.json("POST", "/api/v1/apps", samlApp("scim1testapp", "One"), 200).(map[string]any)["id"].(string)
		// Whatever the admin picks, the template sends the token its way.
		for _, mode := range []string{"header", "oauth"} {
			if err := s.EnableProvisioning(context.Background(), id, ProvisioningSettings{BaseURL: base, AuthMode: mode, Token: "tok"}); err != nil {
				t.Errorf("%s, admin picks %s: %v", value, mode, err)
			}
		}
	}
}

// httptestServer answers the credential test with an empty ListResponse of the given
// Content-Type to the given Authorization only.
func httptestServer(t *testing.T, contentType, authorization string) string {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != authorization {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`))
	}))
	t.Cleanup(s.Close)
	return s.URL
}
