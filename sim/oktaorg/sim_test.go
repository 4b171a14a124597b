package oktaorg

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const token = "00sim-test-token-0123456789"

type client struct {
	t    *testing.T
	base string
	tok  string
}

func startOrg(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = token
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &client{t: t, base: s.URL, tok: opts.Token}
}

func (c *client) do(method, path string, body any) (*http.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "SSWS "+c.tok)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (c *client) json(method, path string, body any, wantStatus int) any {
	c.t.Helper()
	resp, b := c.do(method, path, body)
	if resp.StatusCode != wantStatus {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, wantStatus, b)
	}
	var v any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &v); err != nil {
			c.t.Fatalf("%s %s: not JSON: %s", method, path, b)
		}
	}
	return v
}

func samlApp(name, label string) map[string]any {
	return map[string]any{"name": name, "label": label, "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{"acsUrl": "https://a.example/acs", "audienceUri": "https://a.example"}}}
}

func errorCode(t *testing.T, v any) string {
	t.Helper()
	m, _ := v.(map[string]any)
	for _, k := range []string{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("error body lacks %s: %v", k, v)
		}
	}
	return m["errorCode"].(string)
}

func TestAuthErrorsAndRateLimitHeaders(t *testing.T) {
	_, c := startOrg(t, Options{ReadOnlyTokens: []string{"readonly-token-1234"}})
	resp, _ := c.do("GET", "/api/v1/apps", nil)
	for _, h := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "Date"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	bad := &client{t: t, base: c.base, tok: "wrong"}
	if code := errorCode(t, bad.json("GET", "/api/v1/apps", nil, 401)); code != "E0000011" {
		t.Fatalf("code %s", code)
	}
	ro := &client{t: t, base: c.base, tok: "readonly-token-1234"}
	ro.json("GET", "/api/v1/apps", nil, 200)
	if code := errorCode(t, ro.json("POST", "/api/v1/apps", samlApp("scim2testapp", "x"), 403)); code != "E0000006" {
		t.Fatalf("code %s", code)
	}
	errorCode(t, c.json("GET", "/api/v1/nothing", nil, 404))
}

func TestRateLimit429(t *testing.T) {
	_, c := startOrg(t, Options{RateLimitPerMinute: 3})
	for i := 0; i < 3; i++ {
		c.json("GET", "/api/v1/apps", nil, 200)
	}
	resp, b := c.do("GET", "/api/v1/apps", nil)
	if resp.StatusCode != 429 || resp.Header.Get("X-Rate-Limit-Remaining") != "0" || !strings.Contains(string(b), "E0000047") {
		t.Fatalf("status %d remaining %q body %s", resp.StatusCode, resp.Header.Get("X-Rate-Limit-Remaining"), b)
	}
	// Another bucket is not affected.
	c.json("GET", "/api/v1/groups", nil, 200)
}

func TestAppsCreateListPageFilterReplaceDelete(t *testing.T) {
	_, c := startOrg(t, Options{})
	errorCode(t, c.json("POST", "/api/v1/apps", samlApp("no_such_app", "x"), 400))
	errorCode(t, c.json("POST", "/api/v1/apps", map[string]any{"name": "scim2testapp", "signOnMode": "SAML_2_0"}, 400))
	swaOK := map[string]any{"name": "scim2testapp", "label": "swa", "signOnMode": "BROWSER_PLUGIN"}
	c.json("POST", "/api/v1/apps", swaOK, 200)
	errorCode(t, c.json("POST", "/api/v1/apps", map[string]any{"name": "scim2testapp", "label": "x", "signOnMode": "AUTO_LOGIN"}, 400))
	withFeatures := samlApp("scim2headerauth", "Acme")
	withFeatures["features"] = []string{"SCIM_PROVISIONING"}
	app := c.json("POST", "/api/v1/apps", withFeatures, 200).(map[string]any)
	if f := app["features"].([]any); len(f) != 0 {
		t.Fatalf("features in the body must be ignored, got %v", f)
	}
	if app["status"] != "ACTIVE" || !strings.HasPrefix(app["id"].(string), "0oa") {
		t.Fatalf("app %v", app)
	}
	notes := app["settings"].(map[string]any)["notes"].(map[string]any)
	if notes["admin"] != nil {
		t.Fatalf("notes.admin should be null, got %v", notes["admin"])
	}
	for i := 0; i < 3; i++ {
		c.json("POST", "/api/v1/apps", samlApp("scim2headerauth", "Acme "+string(rune('a'+i))), 200)
	}
	// Paging: 4 scim2headerauth apps, 3 per page.
	resp, b := c.do("GET", "/api/v1/apps?filter="+urlq(`name eq "scim2headerauth"`)+"&limit=3", nil)
	var page1 []map[string]any
	_ = json.Unmarshal(b, &page1)
	links := strings.Join(resp.Header.Values("Link"), ",")
	if len(page1) != 3 || !strings.Contains(links, `rel="next"`) {
		t.Fatalf("page 1: %d apps, links %s", len(page1), links)
	}
	// q is a prefix match on name or label.
	if got := c.json("GET", "/api/v1/apps?q=acme", nil, 200).([]any); len(got) != 4 {
		t.Fatalf("q=acme matched %d", len(got))
	}
	if got := c.json("GET", "/api/v1/apps?q=cme", nil, 200).([]any); len(got) != 0 {
		t.Fatalf("q must be a prefix match, matched %d", len(got))
	}
	errorCode(t, c.json("GET", "/api/v1/apps?filter="+urlq("label sw \"x\""), nil, 400))
	id := app["id"].(string)
	put := samlApp("scim2headerauth", "Renamed")
	put["visibility"] = map[string]any{"hide": map[string]any{"web": true, "iOS": false}, "autoSubmitToolbar": true}
	got := c.json("PUT", "/api/v1/apps/"+id, put, 200).(map[string]any)
	if got["label"] != "Renamed" || got["visibility"].(map[string]any)["hide"].(map[string]any)["web"] != true {
		t.Fatalf("put: %v", got)
	}
	errorCode(t, c.json("DELETE", "/api/v1/apps/"+id, nil, 403))
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	c.json("DELETE", "/api/v1/apps/"+id, nil, 204)
	errorCode(t, c.json("GET", "/api/v1/apps/"+id, nil, 404))
}

func urlq(s string) string {
	r := strings.NewReplacer(" ", "+", `"`, "%22")
	return r.Replace(s)
}

// scimOK is a minimal SCIM server for the admin stand-in's credential test.
func scimOK(t *testing.T, authorization string) string {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != authorization {
			w.WriteHeader(401)
			return
		}
		if r.URL.Path != "/scim/v2/Users" || r.URL.Query().Get("count") != "2" || r.URL.Query().Get("startIndex") != "1" {
			w.WriteHeader(404)
			return
		}
		w.Header().Set("Content-Type", "application/scim+json")
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":0}`))
	}))
	t.Cleanup(s.Close)
	return s.URL + "/scim/v2"
}

func TestFeaturesAndAdminStandIn(t *testing.T) {
	s, c := startOrg(t, Options{})
	base := scimOK(t, "Bearer right")
	app := c.json("POST", "/api/v1/apps", samlApp("scim2headerauth", "Acme"), 200).(map[string]any)
	id := app["id"].(string)
	v := c.json("GET", "/api/v1/apps/"+id+"/features", nil, 400)
	if !strings.Contains(mustJSON(v), "Provisioning is not enabled for the app instance.") {
		t.Fatalf("features error %v", v)
	}
	// The connection API answers UNKNOWN for the template apps and ignores writes.
	conn := c.json("POST", "/api/v1/apps/"+id+"/connections/default?activate=true", map[string]any{"baseUrl": base, "profile": map[string]any{"authScheme": "TOKEN", "token": "Bearer right"}}, 200).(map[string]any)
	if conn["status"] != "UNKNOWN" {
		t.Fatalf("connection %v", conn)
	}
	c.json("GET", "/api/v1/apps/"+id+"/features", nil, 400)

	// A wrong token: the credential test fails, the System Log says so, nothing is saved.
	err := s.EnableProvisioning(context.Background(), id, ProvisioningSettings{BaseURL: base, AuthMode: "header", Token: "Bearer wrong"})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("want a 401 failure, got %v", err)
	}
	logs := c.json("GET", "/api/v1/logs?filter="+urlq(`target.id eq "`+id+`" and eventType eq "application.configuration.update"`)+"&sortOrder=DESCENDING", nil, 200).([]any)
	if len(logs) != 1 || logs[0].(map[string]any)["outcome"].(map[string]any)["result"] != "FAILURE" {
		t.Fatalf("logs %v", logs)
	}
	if strings.Contains(mustJSON(logs), "wrong") {
		t.Fatal("the log must not carry the token")
	}
	c.json("GET", "/api/v1/apps/"+id+"/features", nil, 400)

	if err := s.EnableProvisioning(context.Background(), id, ProvisioningSettings{BaseURL: base, AuthMode: "header", Token: "Bearer right", PushNewUsers: true, PushGroups: true}); err != nil {
		t.Fatal(err)
	}
	list := c.json("GET", "/api/v1/apps/"+id+"/features", nil, 200).([]any)
	if len(list) != 2 || list[0].(map[string]any)["name"] != "USER_PROVISIONING" {
		t.Fatalf("features %v", list)
	}
	got := c.json("PUT", "/api/v1/apps/"+id+"/features/USER_PROVISIONING", map[string]any{"create": map[string]any{"lifecycleCreate": map[string]any{"status": "ENABLED"}}}, 200).(map[string]any)
	caps := got["capabilities"].(map[string]any)
	if caps["create"].(map[string]any)["lifecycleCreate"].(map[string]any)["status"] != "ENABLED" ||
		caps["update"].(map[string]any)["password"].(map[string]any)["seed"] != "RANDOM" {
		t.Fatalf("partial update: %v", caps)
	}
	errorCode(t, c.json("PUT", "/api/v1/apps/"+id+"/features/USER_PROVISIONING", map[string]any{"create": map[string]any{"lifecycleCreate": map[string]any{"status": "ON"}}}, 400))
	errorCode(t, c.json("GET", "/api/v1/apps/"+id+"/features/NOPE", nil, 404))
	appNow := c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)
	if f := mustJSON(appNow["features"]); !strings.Contains(f, "PUSH_NEW_USERS") || !strings.Contains(f, "GROUP_PUSH") {
		t.Fatalf("app features %s", f)
	}
}

func TestConnectionAPIWhenAccepted(t *testing.T) {
	_, c := startOrg(t, Options{AcceptConnectionAPI: true})
	base := scimOK(t, "Bearer tok-123456")
	app := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "Auto"), 200).(map[string]any)
	id := app["id"].(string)
	errorCode(t, c.json("POST", "/api/v1/apps/"+id+"/connections/default", map[string]any{"baseUrl": base, "profile": map[string]any{"authScheme": "BASIC"}}, 400))
	conn := c.json("POST", "/api/v1/apps/"+id+"/connections/default", map[string]any{"baseUrl": base, "profile": map[string]any{"authScheme": "TOKEN", "token": "tok-123456"}}, 200).(map[string]any)
	if conn["status"] != "DISABLED" || strings.Contains(mustJSON(conn), "tok-123456") {
		t.Fatalf("connection %v", conn)
	}
	c.json("POST", "/api/v1/apps/"+id+"/connections/default/lifecycle/activate", nil, 204)
	conn = c.json("GET", "/api/v1/apps/"+id+"/connections/default", nil, 200).(map[string]any)
	if conn["status"] != "ENABLED" || conn["baseUrl"] != base {
		t.Fatalf("connection %v", conn)
	}
	c.json("GET", "/api/v1/apps/"+id+"/features", nil, 200)
	// Basic-auth template: the connection API has no Basic scheme.
	basic := c.json("POST", "/api/v1/apps", samlApp("scim2testapp_basic", "Basic"), 200).(map[string]any)
	if got := c.json("GET", "/api/v1/apps/"+basic["id"].(string)+"/connections/default", nil, 200).(map[string]any); got["status"] != "UNKNOWN" {
		t.Fatalf("basic app connection %v", got)
	}
}

func TestGroupsAndAssignments(t *testing.T) {
	s, c := startOrg(t, Options{})
	eng := s.AddGroup("Engineering")
	s.AddGroup("Engineering Managers")
	if got := c.json("GET", "/api/v1/groups?q=Engineering", nil, 200).([]any); len(got) != 2 {
		t.Fatalf("q prefix matched %d", len(got))
	}
	app := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "G"), 200).(map[string]any)
	id := app["id"].(string)
	a := c.json("PUT", "/api/v1/apps/"+id+"/groups/"+eng, map[string]any{}, 200).(map[string]any)
	if a["id"] != eng {
		t.Fatalf("assignment %v", a)
	}
	errorCode(t, c.json("PUT", "/api/v1/apps/"+id+"/groups/00gnope", map[string]any{}, 404))
	if got := c.json("GET", "/api/v1/apps/"+id+"/groups", nil, 200).([]any); len(got) != 1 {
		t.Fatalf("assignments %v", got)
	}
	c.json("DELETE", "/api/v1/apps/"+id+"/groups/"+eng, nil, 204)
	if got := s.AppGroupIDs(id); len(got) != 0 {
		t.Fatalf("after delete %v", got)
	}
}

func TestLogsPagingAndSince(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s, c := startOrg(t, Options{Now: func() time.Time { return now }})
	for i := 0; i < 5; i++ {
		c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "L"+string(rune('a'+i))), 200)
	}
	if len(s.Logs()) != 5 {
		t.Fatalf("logs %d", len(s.Logs()))
	}
	resp, b := c.do("GET", "/api/v1/logs?since=2026-01-01T00:00:00Z&limit=2", nil)
	var first []any
	_ = json.Unmarshal(b, &first)
	if len(first) != 2 || !strings.Contains(strings.Join(resp.Header.Values("Link"), ","), `rel="next"`) {
		t.Fatalf("page: %d, links %v", len(first), resp.Header.Values("Link"))
	}
	if got := c.json("GET", "/api/v1/logs?since=2026-01-03T00:00:00Z", nil, 200).([]any); len(got) != 0 {
		t.Fatalf("since in the future matched %d", len(got))
	}
	errorCode(t, c.json("GET", "/api/v1/logs?filter="+urlq("actor.id co \"x\""), nil, 400))
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The System Log filter is a SCIM expression (the spec: every operator but [ ]): `or`
// and parentheses select events on any of several apps in one read.
func TestLogsFilterOrAndParentheses(t *testing.T) {
	_, c := startOrg(t, Options{})
	var ids []string
	for i := 0; i < 3; i++ {
		app := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "F"+string(rune('a'+i))), 200).(map[string]any)
		ids = append(ids, app["id"].(string))
	}
	count := func(filter string) int {
		t.Helper()
		return len(c.json("GET", "/api/v1/logs?filter="+urlq(filter), nil, 200).([]any))
	}
	if n := count(`target.id eq "` + ids[0] + `" or target.id eq "` + ids[2] + `"`); n != 2 {
		t.Fatalf("two apps ORed: %d events, want 2", n)
	}
	if n := count(`(target.id eq "` + ids[0] + `" or target.id eq "` + ids[1] + `") and eventType eq "application.lifecycle.create"`); n != 2 {
		t.Fatalf("(a or b) and type: %d events, want 2", n)
	}
	if n := count(`target.id eq "` + ids[0] + `" or target.id eq "` + ids[1] + `" and eventType eq "nothing"`); n != 1 {
		t.Fatalf("a or (b and nothing): %d events, want 1 (and binds tighter)", n)
	}
	for _, bad := range []string{`(target.id eq "x"`, `target.id eq "x" or`, `target.id eq "x" xor target.id eq "y"`, `target.id eq "x" ! drop`} {
		errorCode(t, c.json("GET", "/api/v1/logs?filter="+urlq(bad), nil, 400))
	}
}
