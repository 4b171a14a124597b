package oktaorg

import (
	"encoding/json"
	"strings"
	"testing"
)

// appMappings returns an app's two mappings: Okta user → app user, app user → Okta user.
func appMappings(t *testing.T, c *client, appID string) (to, from map[string]any) {
	t.Helper()
	for _, m := range c.json("GET", "/api/v1/mappings?limit=200", nil, 200).([]any) {
		switch {
		case dig(m, "target", "id") == appID:
			to = m.(map[string]any)
		case dig(m, "source", "id") == appID:
			from = m.(map[string]any)
		}
	}
	if to == nil || from == nil {
		t.Fatalf("app %s lacks its mappings", appID)
	}
	return to, from
}

func TestProfileMappings(t *testing.T) {
	_, c := startOrg(t, Options{})
	app := c.json("POST", "/api/v1/apps", customSAML("Mapped"), 200).(map[string]any)
	id := app["id"].(string)
	to, from := appMappings(t, c, id)
	if _, ok := to["properties"]; ok {
		t.Fatalf("the list carries properties: %v", to)
	}
	if dig(to, "source", "type") != "user" || dig(to, "target", "type") != "appuser" || dig(to, "target", "name") != app["name"] ||
		dig(from, "source", "type") != "appuser" || !strings.HasPrefix(dig(to, "source", "id").(string), "oty") {
		t.Fatalf("mappings %v / %v", to, from)
	}
	// sourceId/targetId filter; limit pages with Link.
	userType := dig(to, "source", "id").(string)
	if got := c.json("GET", "/api/v1/mappings?sourceId="+id+"&targetId="+userType, nil, 200).([]any); len(got) != 1 || dig(got[0], "id") != from["id"] {
		t.Fatalf("filtered %v", got)
	}
	c.json("POST", "/api/v1/apps", customSAML("Second"), 200)
	resp, b := c.do("GET", "/api/v1/mappings?limit=3", nil)
	var first []any
	_ = json.Unmarshal(b, &first)
	if len(first) != 3 || !strings.Contains(strings.Join(resp.Header.Values("Link"), ","), `rel="next"`) {
		t.Fatalf("page %d, links %v", len(first), resp.Header.Values("Link"))
	}
	if rest := c.json("GET", "/api/v1/mappings?limit=3&after="+dig(first[2], "id").(string), nil, 200).([]any); len(rest) != 1 {
		t.Fatalf("second page %d", len(rest))
	}
	toID, fromID := to["id"].(string), from["id"].(string)
	if props := c.json("GET", "/api/v1/mappings/"+toID, nil, 200).(map[string]any)["properties"].(map[string]any); len(props) != 0 {
		t.Fatalf("an AIW app without SCIM maps nothing by default: %v", props)
	}
	c.json("POST", schemaPath(id), customProp("costCode", map[string]any{"title": "Cost code", "type": "string"}), 200)
	got := c.json("POST", "/api/v1/mappings/"+toID, map[string]any{"properties": map[string]any{
		"costCode": map[string]any{"expression": "user.costCenter", "pushStatus": "PUSH"}}}, 200).(map[string]any)
	if dig(got, "properties", "costCode", "expression") != "user.costCenter" || dig(got, "source", "type") != "user" {
		t.Fatalf("add %v", got)
	}
	// Partial: pushStatus alone changes; the expression stays. Default pushStatus per direction.
	got = c.json("POST", "/api/v1/mappings/"+toID, map[string]any{"properties": map[string]any{"costCode": map[string]any{"pushStatus": "DONT_PUSH"}}}, 200).(map[string]any)
	if dig(got, "properties", "costCode", "expression") != "user.costCenter" || dig(got, "properties", "costCode", "pushStatus") != "DONT_PUSH" {
		t.Fatalf("partial %v", got)
	}
	got = c.json("POST", "/api/v1/mappings/"+fromID, map[string]any{"properties": map[string]any{"costCenter": map[string]any{"expression": "appuser.costCode"}}}, 200).(map[string]any)
	if dig(got, "properties", "costCenter", "pushStatus") != "DONT_PUSH" {
		t.Fatalf("app → Okta default %v", got)
	}
	// A property in use cannot leave the app user schema.
	errorCode(t, c.json("POST", schemaPath(id), customProp("costCode", nil), 400))
	for name, body := range map[string]map[string]any{
		"unknown target":     {"nope": map[string]any{"expression": "user.email"}},
		"unknown appuser":    {"costCode": map[string]any{"expression": "appuser.nope + user.email"}},
		"blank expression":   {"costCode": map[string]any{"expression": " "}},
		"expression type":    {"costCode": map[string]any{"expression": 3}},
		"pushStatus":         {"costCode": map[string]any{"expression": "user.email", "pushStatus": "ALWAYS"}},
		"new without expr":   {"userName": map[string]any{"pushStatus": "PUSH"}},
		"not an object":      {"costCode": "user.email"},
		"one bad of several": {"costCode": map[string]any{"expression": "user.email"}, "nope": map[string]any{"expression": "user.email"}},
	} {
		v := c.json("POST", "/api/v1/mappings/"+toID, map[string]any{"properties": body}, 400)
		if errorCode(t, v) != "E0000001" || !strings.Contains(mustJSON(v), "Api validation failed: updateMapping") {
			t.Errorf("%s: %v", name, v)
		}
	}
	errorCode(t, c.json("POST", "/api/v1/mappings/"+fromID, map[string]any{"properties": map[string]any{"nope": map[string]any{"expression": "appuser.costCode"}}}, 400))
	errorCode(t, c.json("POST", "/api/v1/mappings/"+toID, map[string]any{}, 400))
	if got := c.json("GET", "/api/v1/mappings/"+toID, nil, 200).(map[string]any); dig(got, "properties", "costCode", "expression") != "user.costCenter" {
		t.Fatalf("a refused update changed the mapping: %v", got)
	}
	// Remove: null, or expression and pushStatus null (the spec's RemoveMappingBody).
	got = c.json("POST", "/api/v1/mappings/"+toID, map[string]any{"properties": map[string]any{"costCode": nil}}, 200).(map[string]any)
	c.json("POST", "/api/v1/mappings/"+fromID, map[string]any{"properties": map[string]any{"costCenter": map[string]any{"expression": nil, "pushStatus": nil}}}, 200)
	if len(got["properties"].(map[string]any)) != 0 {
		t.Fatalf("after removal %v", got)
	}
	c.json("POST", schemaPath(id), customProp("costCode", nil), 200)
	// The SCIM template apps come with Okta's SCIM attribute mappings.
	tpl := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "T"), 200).(map[string]any)["id"].(string)
	tplTo, _ := appMappings(t, c, tpl)
	if dig(c.json("GET", "/api/v1/mappings/"+tplTo["id"].(string), nil, 200), "properties", "givenName", "expression") != "user.firstName" {
		t.Fatal("template app lacks givenName ← user.firstName")
	}
	errorCode(t, c.json("GET", "/api/v1/mappings/prmnope", nil, 404))
	c.json("DELETE", "/api/v1/mappings/"+toID, nil, 405)
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	c.json("DELETE", "/api/v1/apps/"+id, nil, 204)
	errorCode(t, c.json("GET", "/api/v1/mappings/"+toID, nil, 404))
}
