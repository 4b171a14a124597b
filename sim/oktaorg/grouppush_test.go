package oktaorg

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

// pushApp is a custom SAML app with SCIM on (bearer "t") and Push Groups as asked.
func pushApp(t *testing.T, s *Server, c *client, scim *scimserver.Running, actions SCIMActions) string {
	t.Helper()
	id := c.json("POST", "/api/v1/apps", customSAML("Push"), 200).(map[string]any)["id"].(string)
	if err := s.EnableSCIM(context.Background(), id, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "Bearer t", Actions: actions}); err != nil {
		t.Fatal(err)
	}
	return id
}

func scimGroupNames(s *scimserver.Running) []string {
	var out []string
	for _, g := range s.Groups() {
		out = append(out, g["displayName"].(string))
	}
	return out
}

func scimCalls(s *scimserver.Running, method, pathPart string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && strings.Contains(r.Path, pathPart) {
			n++
		}
	}
	return n
}

func TestGroupPushCreatesTheGroupOnTheSCIMServer(t *testing.T) {
	s, c := startOrg(t, Options{})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushNewUsers: true, PushGroups: true})
	eng := s.AddGroup("Engineering")
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	m := c.json("POST", path, map[string]any{"sourceGroupId": eng, "targetGroupName": "Eng (app)"}, 201).(map[string]any)
	if m["status"] != "ACTIVE" || m["errorSummary"] != "" || m["lastPush"] == nil || !strings.HasPrefix(m["targetGroupId"].(string), "00g") ||
		dig(m, "_links", "sourceGroup", "href") == nil {
		t.Fatalf("mapping %v", m)
	}
	if got := scimGroupNames(scim); len(got) != 1 || got[0] != "Eng (app)" {
		t.Fatalf("SCIM groups %v", got)
	}
	if g := scim.Groups()[0]; mustJSON(g["members"]) != "[]" {
		t.Fatalf("members %v", g["members"])
	}
	target := c.json("GET", "/api/v1/groups/"+m["targetGroupId"].(string), nil, 200).(map[string]any)
	if target["type"] != "APP_GROUP" || dig(target, "profile", "name") != "Eng (app)" {
		t.Fatalf("target group %v", target)
	}
	logs := mustJSON(c.json("GET", "/api/v1/logs?filter="+urlq(`target.id eq "`+eng+`"`), nil, 200))
	for _, ev := range []string{"application.provision.group_push.mapping.created", "application.provision.group_push.pushed"} {
		if !strings.Contains(logs, ev) {
			t.Errorf("log lacks %s: %s", ev, logs)
		}
	}
	id := m["id"].(string)
	if got := c.json("GET", path+"/"+id, nil, 200).(map[string]any); got["id"] != id || got["sourceGroupId"] != eng {
		t.Fatalf("get %v", got)
	}
	// Refusals.
	ops := s.AddGroup("Ops")
	for name, body := range map[string]map[string]any{
		"both targets":   {"sourceGroupId": ops, "targetGroupName": "x", "targetGroupId": m["targetGroupId"]},
		"no target":      {"sourceGroupId": ops},
		"no source":      {"targetGroupName": "x"},
		"unknown source": {"sourceGroupId": "00gnope", "targetGroupName": "x"},
		"app group src":  {"sourceGroupId": m["targetGroupId"], "targetGroupName": "x"},
		"pushed already": {"sourceGroupId": eng, "targetGroupName": "again"},
		"bad status":     {"sourceGroupId": ops, "targetGroupName": "x", "status": "ERROR"},
		"unknown target": {"sourceGroupId": ops, "targetGroupId": "00gnope"},
		"linked target":  {"sourceGroupId": ops, "targetGroupId": m["targetGroupId"]},
		"AD appConfig":   {"sourceGroupId": ops, "targetGroupName": "x", "appConfig": map[string]any{"type": "ACTIVE_DIRECTORY"}},
	} {
		if code := errorCode(t, c.json("POST", path, body, 400)); code != "E0000001" {
			t.Errorf("%s: %s", name, code)
		}
	}
	// List: filters and paging.
	c.json("POST", path, map[string]any{"sourceGroupId": ops, "targetGroupName": "Ops", "status": "INACTIVE"}, 201)
	if got := c.json("GET", path+"?status=INACTIVE", nil, 200).([]any); len(got) != 1 || dig(got[0], "sourceGroupId") != ops {
		t.Fatalf("status filter %v", got)
	}
	if got := c.json("GET", path+"?sourceGroupId="+eng, nil, 200).([]any); len(got) != 1 {
		t.Fatalf("source filter %v", got)
	}
	if got := c.json("GET", path+"?lastUpdated=2000-01-01T00:00:00Z", nil, 200).([]any); len(got) != 2 {
		t.Fatalf("lastUpdated filter %v", got)
	}
	resp, b := c.do("GET", path+"?limit=1", nil)
	var first []any
	_ = json.Unmarshal(b, &first)
	if len(first) != 1 || !strings.Contains(strings.Join(resp.Header.Values("Link"), ","), `rel="next"`) {
		t.Fatalf("paging: %d %v", len(first), resp.Header.Values("Link"))
	}
	errorCode(t, c.json("GET", path+"?status=DONE", nil, 400))
	errorCode(t, c.json("GET", path+"?lastUpdated=yesterday", nil, 400))
	// Deactivate, then delete with the target group.
	errorCode(t, c.json("PATCH", path+"/"+id, map[string]any{"status": "DISABLED"}, 400))
	errorCode(t, c.json("DELETE", path+"/"+id+"?deleteTargetGroup=true", nil, 400)) // still ACTIVE
	if got := c.json("PATCH", path+"/"+id, map[string]any{"status": "INACTIVE"}, 200).(map[string]any); got["status"] != "INACTIVE" {
		t.Fatalf("patch %v", got)
	}
	errorCode(t, c.json("DELETE", path+"/"+id, nil, 400)) // deleteTargetGroup is required
	c.json("DELETE", path+"/"+id+"?deleteTargetGroup=true", nil, 204)
	if got := scimGroupNames(scim); len(got) != 0 {
		t.Fatalf("the target group should be gone from the app: %v", got)
	}
	errorCode(t, c.json("GET", "/api/v1/groups/"+m["targetGroupId"].(string), nil, 404))
	errorCode(t, c.json("GET", path+"/"+id, nil, 404))
}

func TestGroupPushLinksAndFails(t *testing.T) {
	s, c := startOrg(t, Options{})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushGroups: true, ImportGroups: true})
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	// A group of that name exists on the server: targetGroupName links to it.
	req, _ := http.NewRequest("POST", scim.URL+"/Groups", bytes.NewReader([]byte(`{"displayName":"Existing"}`)))
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("seed: %v %v", err, resp)
	}
	resp.Body.Close()
	a := s.AddGroup("A")
	c.json("POST", path, map[string]any{"sourceGroupId": a, "targetGroupName": "Existing"}, 201)
	if got := scimGroupNames(scim); len(got) != 1 || scimCalls(scim, "PATCH", "/Groups/") != 1 {
		t.Fatalf("groups %v, PATCHes %d", got, scimCalls(scim, "PATCH", "/Groups/"))
	}
	// Import, then link by targetGroupId.
	req, _ = http.NewRequest("POST", scim.URL+"/Groups", bytes.NewReader([]byte(`{"displayName":"Imported"}`)))
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", "application/scim+json")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ids := c.json("POST", "/__sim/apps/"+app+"/import-groups", nil, 200).(map[string]any)["ids"].([]any)
	if len(ids) != 2 {
		t.Fatalf("imported %v", ids)
	}
	var imported string
	for _, id := range ids {
		if dig(c.json("GET", "/api/v1/groups/"+id.(string), nil, 200), "profile", "name") == "Imported" {
			imported = id.(string)
		}
	}
	b := s.AddGroup("B")
	m := c.json("POST", path, map[string]any{"sourceGroupId": b, "targetGroupId": imported}, 201).(map[string]any)
	if m["status"] != "ACTIVE" || m["targetGroupId"] != imported || scimCalls(scim, "PATCH", "/Groups/") != 2 {
		t.Fatalf("link %v, PATCHes %d", m, scimCalls(scim, "PATCH", "/Groups/"))
	}
	// The SCIM server refuses: the mapping is in ERROR and says why; fixed, it recovers.
	scim.SetAuth(scimserver.Auth{Mode: "bearer", Token: "rotated"})
	d := s.AddGroup("D")
	m = c.json("POST", path, map[string]any{"sourceGroupId": d, "targetGroupName": "D"}, 201).(map[string]any)
	if m["status"] != "ERROR" || !strings.Contains(m["errorSummary"].(string), "401") || m["lastPush"] != nil {
		t.Fatalf("failed push %v", m)
	}
	logs := c.json("GET", "/api/v1/logs?filter="+urlq(`eventType eq "application.provision.group_push.pushed" and outcome.result eq "FAILURE"`), nil, 200).([]any)
	if len(logs) != 1 || strings.Contains(mustJSON(logs), "Bearer t") {
		t.Fatalf("logs %v", logs)
	}
	scim.SetAuth(scimserver.Auth{Mode: "bearer", Token: "t"})
	id := m["id"].(string)
	if got := c.json("PATCH", path+"/"+id, map[string]any{"status": "ACTIVE"}, 200).(map[string]any); got["status"] != "ACTIVE" || got["errorSummary"] != "" {
		t.Fatalf("retry %v", got)
	}
	c.json("PATCH", path+"/"+id, map[string]any{"status": "INACTIVE"}, 200)
	c.json("DELETE", path+"/"+id+"?deleteTargetGroup=false", nil, 204)
	if !strings.Contains(mustJSON(scimGroupNames(scim)), `"D"`) {
		t.Fatalf("deleteTargetGroup=false must leave the group: %v", scimGroupNames(scim))
	}
}

func TestGroupPushNeedsProvisioningAndTheAPI(t *testing.T) {
	s, c := startOrg(t, Options{})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	g := s.AddGroup("G")
	plain := c.json("POST", "/api/v1/apps", customSAML("No SCIM"), 200).(map[string]any)["id"].(string)
	v := c.json("POST", "/api/v1/apps/"+plain+"/group-push/mappings", map[string]any{"sourceGroupId": g, "targetGroupName": "G"}, 400)
	if !strings.Contains(mustJSON(v), "Provisioning is not enabled") {
		t.Fatalf("no provisioning: %v", v)
	}
	noPush := pushApp(t, s, c, scim, SCIMActions{PushNewUsers: true})
	errorCode(t, c.json("POST", "/api/v1/apps/"+noPush+"/group-push/mappings", map[string]any{"sourceGroupId": g, "targetGroupName": "G"}, 400))
	if _, err := s.PushGroup(context.Background(), noPush, g, ""); err == nil {
		t.Fatal("PushGroup without Push Groups")
	}
	errorCode(t, c.json("GET", "/api/v1/apps/0oanope/group-push/mappings", nil, 404))
	errorCode(t, c.json("GET", "/api/v1/apps/"+plain+"/group-push/mappings/gPmnope", nil, 404))
	// A SCIM template app set up by EnableProvisioning pushes too.
	tpl := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "T"), 200).(map[string]any)["id"].(string)
	if err := s.EnableProvisioning(context.Background(), tpl, ProvisioningSettings{BaseURL: scim.URL, AuthMode: "oauth", Token: "t", PushGroups: true}); err != nil {
		t.Fatal(err)
	}
	if m := c.json("POST", "/api/v1/apps/"+tpl+"/group-push/mappings", map[string]any{"sourceGroupId": g, "targetGroupName": "From template"}, 201).(map[string]any); m["status"] != "ACTIVE" {
		t.Fatalf("template app push %v", m)
	}
}

func TestOrgWithoutTheGroupPushAPI(t *testing.T) {
	s, c := startOrg(t, Options{GroupPushAPI: new(false)})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushGroups: true})
	g := s.AddGroup("Sales")
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	for _, method := range []string{"GET", "POST"} {
		if code := errorCode(t, c.json(method, path, map[string]any{"sourceGroupId": g, "targetGroupName": "x"}, 401)); code != "E0000015" {
			t.Fatalf("%s: %s", method, code)
		}
	}
	// The console's Push Groups tab still works, in process and over /__sim.
	if _, err := s.PushGroup(context.Background(), app, g, ""); err != nil {
		t.Fatal(err)
	}
	h := s.AddGroup("Hiring")
	got := c.json("POST", "/__sim/apps/"+app+"/group-push", map[string]any{"groupId": h, "targetName": "Hiring team"}, 200).(map[string]any)
	if !strings.HasPrefix(got["id"].(string), "gPm") {
		t.Fatalf("sim push %v", got)
	}
	if names := mustJSON(scimGroupNames(scim)); !strings.Contains(names, "Sales") || !strings.Contains(names, "Hiring team") {
		t.Fatalf("SCIM groups %s", names)
	}
	c.json("POST", "/__sim/apps/"+app+"/group-push", map[string]any{}, 400)
}

func TestGroupPushConcurrently(t *testing.T) {
	s, c := startOrg(t, Options{})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := pushApp(t, s, c, scim, SCIMActions{PushGroups: true})
	path := "/api/v1/apps/" + app + "/group-push/mappings"
	done := make(chan string)
	for i := 0; i < 8; i++ {
		g := s.AddGroup("G" + itoa(i))
		go func() {
			resp, b := c.do("POST", path, map[string]any{"sourceGroupId": g, "targetGroupName": g})
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			if resp.StatusCode != 201 {
				done <- ""
				return
			}
			c.do("PATCH", path+"/"+m["id"].(string), map[string]any{"status": "INACTIVE"})
			c.do("PATCH", path+"/"+m["id"].(string), map[string]any{"status": "ACTIVE"})
			done <- m["id"].(string)
		}()
	}
	for i := 0; i < 8; i++ {
		if <-done == "" {
			t.Error("a create failed")
		}
	}
	if got := c.json("GET", path+"?status=ACTIVE", nil, 200).([]any); len(got) != 8 || len(scim.Groups()) != 8 {
		t.Fatalf("%d active mappings, %d SCIM groups", len(got), len(scim.Groups()))
	}
}
