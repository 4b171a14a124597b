package scimserver

import (
	"net/http"
	"strings"
)

func (s *Server) authSchemes(a Auth) []any {
	switch a.mode() {
	case "basic":
		return []any{map[string]any{"type": "httpbasic", "name": "HTTP Basic", "description": "Authentication with HTTP Basic (username and password)", "primary": true}}
	case "none":
		return []any{map[string]any{"type": "none", "name": "None", "description": "No authentication is required"}}
	}
	return []any{map[string]any{"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "Authentication with a bearer token in the Authorization header", "primary": true}}
}

func (s *Server) spConfig(a Auth) any {
	cfg := map[string]any{
		"patch":                 map[string]any{"supported": true},
		"bulk":                  map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":                map[string]any{"supported": true, "maxResults": 200},
		"changePassword":        map[string]any{"supported": false},
		"sort":                  map[string]any{"supported": false},
		"etag":                  map[string]any{"supported": false},
		"authenticationSchemes": s.authSchemes(a),
	}
	if s.v11 {
		cfg["schemas"] = []any{urnCore11}
	} else {
		cfg["schemas"] = []any{urnSPConfig20}
		cfg["documentationUri"] = "https://www.rfc-editor.org/rfc/rfc7644"
		cfg["meta"] = map[string]any{"resourceType": "ServiceProviderConfig"}
	}
	return cfg
}

func (s *Server) listOf(items []any, discoveryList bool) map[string]any {
	schemas := []any{urnListResponse}
	if s.v11 {
		schemas = []any{urnCore11}
		if discoveryList {
			// Okta's SCIM 1.1 SPEC test expects this URN on /Schemas.
			schemas = append(schemas, urnListResponse1)
		}
	}
	return map[string]any{"schemas": schemas, "totalResults": len(items), "itemsPerPage": len(items), "startIndex": 1, "Resources": items}
}

func (s *Server) resourceTypes(r *http.Request, id string) any {
	userSchema, groupSchema := urnUser20, urnGroup20
	if s.v11 {
		userSchema, groupSchema = urnCore11+":User", urnCore11+":Group"
	}
	loc := baseURL(r, s.basePath) + "/ResourceTypes/"
	mk := func(name, endpoint, schema string) map[string]any {
		rt := map[string]any{"id": name, "name": name, "endpoint": endpoint, "description": name, "schema": schema}
		if !s.v11 {
			rt["schemas"] = []any{urnResourceType}
			rt["meta"] = map[string]any{"resourceType": "ResourceType", "location": loc + name}
		}
		if name == "User" && !s.v11 {
			rt["schemaExtensions"] = []any{map[string]any{"schema": urnEnterprise, "required": false}}
		}
		return rt
	}
	items := []any{mk("User", "/Users", userSchema), mk("Group", "/Groups", groupSchema)}
	if id == "" {
		return s.listOf(items, true)
	}
	for _, it := range items {
		if it.(map[string]any)["id"] == id {
			return it
		}
	}
	return errorf(http.StatusNotFound, "", "resource type %s not found", id)
}

func attr(name, typ string, multi, required bool, extra ...any) map[string]any {
	a := map[string]any{"name": name, "type": typ, "multiValued": multi, "required": required,
		"caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none"}
	for i := 0; i+1 < len(extra); i += 2 {
		a[extra[i].(string)] = extra[i+1]
	}
	return a
}

func (s *Server) schemas(id string) any {
	multi := func(name string) map[string]any {
		return attr(name, "complex", true, false, "subAttributes", []any{
			attr("value", "string", false, false), attr("type", "string", false, false),
			attr("primary", "boolean", false, false), attr("display", "string", false, false),
		})
	}
	userID, groupID := urnUser20, urnGroup20
	if s.v11 {
		userID, groupID = urnCore11+":User", urnCore11+":Group"
	}
	user := map[string]any{"id": userID, "name": "User", "description": "User Account", "attributes": []any{
		attr("userName", "string", false, true, "uniqueness", "server"),
		attr("name", "complex", false, false, "subAttributes", []any{
			attr("formatted", "string", false, false), attr("familyName", "string", false, false),
			attr("givenName", "string", false, false), attr("middleName", "string", false, false),
		}),
		attr("displayName", "string", false, false),
		attr("externalId", "string", false, false, "caseExact", true),
		attr("title", "string", false, false),
		attr("active", "boolean", false, false),
		multi("emails"), multi("phoneNumbers"),
		attr("password", "string", false, false, "mutability", "writeOnly", "returned", "never"),
	}}
	group := map[string]any{"id": groupID, "name": "Group", "description": "Group", "attributes": []any{
		attr("displayName", "string", false, true),
		attr("externalId", "string", false, false, "caseExact", true),
		multi("members"),
	}}
	if !s.v11 {
		for _, sc := range []map[string]any{user, group} {
			sc["schemas"] = []any{urnSchema20}
			sc["meta"] = map[string]any{"resourceType": "Schema"}
		}
	}
	items := []any{user, group}
	if id == "" {
		return s.listOf(items, true)
	}
	for _, it := range items {
		if strings.EqualFold(it.(map[string]any)["id"].(string), id) {
			return it
		}
	}
	return errorf(http.StatusNotFound, "", "schema %s not found", id)
}
