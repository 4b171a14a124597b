package oktaorg

import (
	"context"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

func schemaPath(id string) string { return "/api/v1/meta/schemas/apps/" + id + "/default" }

func customProp(name string, def map[string]any) map[string]any {
	return map[string]any{"definitions": map[string]any{"custom": map[string]any{"id": "#custom", "type": "object",
		"properties": map[string]any{name: def}}}}
}

func TestAppUserSchema(t *testing.T) {
	s, c := startOrg(t, Options{})
	app := c.json("POST", "/api/v1/apps", customSAML("Schema App"), 200).(map[string]any)
	id := app["id"].(string)
	got := c.json("GET", schemaPath(id), nil, 200).(map[string]any)
	if got["$schema"] != "http://json-schema.org/draft-04/schema#" || got["title"] != "Schema App User" ||
		!strings.HasSuffix(got["id"].(string), "/meta/schemas/apps/"+id+"/default") || !strings.HasPrefix(got["name"].(string), app["name"].(string)+"_") {
		t.Fatalf("schema %v", mustJSON(got))
	}
	if base := dig(got, "definitions", "base", "properties").(map[string]any); len(base) != 1 || dig(base, "userName", "required") != true {
		t.Fatalf("an AIW app starts with userName only: %v", base)
	}
	if _, ok := dig(got, "definitions", "custom").(map[string]any)["required"]; ok {
		t.Fatalf("custom.required without custom properties: %v", dig(got, "definitions", "custom"))
	}
	// Add (as recorded: master, permissions, union and required:false are dropped).
	got = c.json("POST", schemaPath(id), customProp("costCode", map[string]any{"title": "Cost code", "type": "string", "description": "d",
		"master": map[string]any{"type": "PROFILE_MASTER"}, "permissions": []any{map[string]any{"action": "READ_ONLY", "principal": "SELF"}},
		"union": "DISABLE", "required": false, "scope": "NONE", "minLength": 1, "maxLength": 20, "enum": []any{"A", "B"}}), 200).(map[string]any)
	prop := dig(got, "definitions", "custom", "properties", "costCode").(map[string]any)
	for _, k := range []string{"master", "permissions", "union", "required"} {
		if _, ok := prop[k]; ok {
			t.Errorf("%s kept: %v", k, prop)
		}
	}
	if prop["maxLength"] != float64(20) || mustJSON(dig(got, "definitions", "custom", "required")) != "[]" {
		t.Fatalf("custom %v", mustJSON(dig(got, "definitions", "custom")))
	}
	// Partial update: other properties stay; a sent field merges into the property.
	got = c.json("POST", schemaPath(id), customProp("level", map[string]any{"title": "Level", "type": "integer", "required": true}), 200).(map[string]any)
	got = c.json("POST", schemaPath(id), customProp("costCode", map[string]any{"description": "new"}), 200).(map[string]any)
	if dig(got, "definitions", "custom", "properties", "costCode", "type") != "string" || dig(got, "definitions", "custom", "properties", "costCode", "description") != "new" ||
		mustJSON(dig(got, "definitions", "custom", "required")) != `["level"]` {
		t.Fatalf("merge %v", mustJSON(dig(got, "definitions", "custom")))
	}
	for name, def := range map[string]map[string]any{
		"costCode": {"type": "boolean"},                                 // type change
		"noTitle":  {"type": "string"},                                  // title missing
		"noType":   {"title": "x"},                                      // type missing
		"badType":  {"title": "x", "type": "date"},                      // not a JSON schema type
		"list":     {"title": "x", "type": "array"},                     // items.type missing
		"userName": {"title": "x", "type": "string"},                    // a base property's name
		"1bad":     {"title": "x", "type": "string"},                    // not a variable name
		"scoped":   {"title": "x", "type": "string", "scope": "GLOBAL"}, // scope
	} {
		if code := errorCode(t, c.json("POST", schemaPath(id), customProp(name, def), 400)); code != "E0000001" {
			t.Errorf("%s: %s", name, code)
		}
	}
	base := func(name string, def any) map[string]any {
		return map[string]any{"definitions": map[string]any{"base": map[string]any{"id": "#base", "type": "object", "properties": map[string]any{name: def}}}}
	}
	errorCode(t, c.json("POST", schemaPath(id), base("nickname", map[string]any{"title": "x", "type": "string"}), 400))
	errorCode(t, c.json("POST", schemaPath(id), base("userName", nil), 400))
	errorCode(t, c.json("POST", schemaPath(id), base("userName", map[string]any{"required": false}), 400))
	// Remove with null; nothing else changes.
	got = c.json("POST", schemaPath(id), customProp("level", nil), 200).(map[string]any)
	if props := dig(got, "definitions", "custom", "properties").(map[string]any); len(props) != 1 || props["costCode"] == nil {
		t.Fatalf("after removal %v", props)
	}
	// SCIM on: Okta's SCIM attributes join the base; their nullability may change.
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	if err := s.EnableSCIM(context.Background(), id, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "Bearer t"}); err != nil {
		t.Fatal(err)
	}
	got = c.json("POST", schemaPath(id), base("givenName", map[string]any{"required": true, "title": "ignored"}), 200).(map[string]any)
	if dig(got, "definitions", "base", "properties", "givenName", "title") != "Given name" || !strings.Contains(mustJSON(dig(got, "definitions", "base", "required")), "givenName") {
		t.Fatalf("base %v", mustJSON(dig(got, "definitions", "base")))
	}
	// Template apps start with the SCIM attributes.
	tpl := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "T"), 200).(map[string]any)["id"].(string)
	if dig(c.json("GET", schemaPath(tpl), nil, 200), "definitions", "base", "properties", "familyName", "externalName") != "name.familyName" {
		t.Fatal("template app base lacks familyName")
	}
	errorCode(t, c.json("GET", schemaPath("0oanope"), nil, 404))
	c.json("PUT", schemaPath(id), map[string]any{}, 405)
	errorCode(t, c.json("GET", "/api/v1/meta/types/user", nil, 404))
}
