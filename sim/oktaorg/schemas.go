package oktaorg

// App user schemas: GET and POST /api/v1/meta/schemas/apps/{appId}/default, shaped as
// recorded in TestAccResourceOktaAppUserSchemas_crud and …AppUserBaseSchema_change (an
// id URL without /api/v1, $schema, name, title "<label> User", definitions.custom and
// definitions.base, each {id, type, properties, required}, and properties.profile.allOf;
// no _links). POST is a partial update (spec updateApplicationUserProfile): a custom
// property set to null is removed, others are added or merged; of a base property only
// `required` changes, and only where the predefined schema lets it. master, permissions
// and union are user-schema notions Okta drops here (recorded), as it drops required:
// false.
//
// Base properties: an App Integration Wizard app starts with userName only (the spec's
// AppUserSchemaResponse example); switching on SCIM (and the SCIM template apps from
// the start) adds Okta's SCIM 2.0 attribute set: the variable names, external names and
// namespaces Okta's SCIM apps show in the Profile Editor (public integration guides
// list them; not in the recorded traffic).
//
// Errors use E0000001 "Api validation failed: <field>" with a cause, the documented
// shape; the exact wording of Okta's causes here is not recorded.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
)

// appSchema is an app's user schema.
type appSchema struct {
	name             string
	created, updated string
	base, custom     map[string]map[string]any
}

type scimAttr struct{ name, title, external, namespace string }

const (
	scimCoreUser   = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// scimAttrs is the SCIM 2.0 base attribute set of Okta's SCIM apps.
var scimAttrs = []scimAttr{
	{"givenName", "Given name", "name.givenName", scimCoreUser},
	{"familyName", "Family name", "name.familyName", scimCoreUser},
	{"middleName", "Middle name", "name.middleName", scimCoreUser},
	{"honorificPrefix", "Honorific prefix", "name.honorificPrefix", scimCoreUser},
	{"honorificSuffix", "Honorific suffix", "name.honorificSuffix", scimCoreUser},
	{"email", "Primary email", "emails.^[primary==true].value", scimCoreUser},
	{"primaryEmailType", "Primary email type", "emails.^[primary==true].type", scimCoreUser},
	{"displayName", "Display name", "displayName", scimCoreUser},
	{"nickName", "Nickname", "nickName", scimCoreUser},
	{"profileUrl", "Profile Url", "profileUrl", scimCoreUser},
	{"title", "Title", "title", scimCoreUser},
	{"userType", "User type", "userType", scimCoreUser},
	{"preferredLanguage", "Preferred language", "preferredLanguage", scimCoreUser},
	{"locale", "Locale", "locale", scimCoreUser},
	{"timezone", "Time zone", "timezone", scimCoreUser},
	{"primaryPhone", "Primary phone", "phoneNumbers.^[primary==true].value", scimCoreUser},
	{"streetAddress", "Street address", "addresses.^[type==work].streetAddress", scimCoreUser},
	{"locality", "Locality", "addresses.^[type==work].locality", scimCoreUser},
	{"region", "Region", "addresses.^[type==work].region", scimCoreUser},
	{"postalCode", "Postal code", "addresses.^[type==work].postalCode", scimCoreUser},
	{"country", "Country", "addresses.^[type==work].country", scimCoreUser},
	{"employeeNumber", "Employee number", "employeeNumber", scimEnterprise},
	{"costCenter", "Cost center", "costCenter", scimEnterprise},
	{"organization", "Organization", "organization", scimEnterprise},
	{"division", "Division", "division", scimEnterprise},
	{"department", "Department", "department", scimEnterprise},
}

func userNameProperty() map[string]any {
	return map[string]any{"title": "Username", "type": "string", "required": true, "scope": "NONE", "maxLength": 100}
}

func addSCIMBase(base map[string]map[string]any) {
	for _, a := range scimAttrs {
		if _, ok := base[a.name]; !ok {
			base[a.name] = map[string]any{"title": a.title, "type": "string", "scope": "NONE",
				"externalName": a.external, "externalNamespace": a.namespace}
		}
	}
}

// schemaLocked returns an app's user schema, made on first use; o.mu must be held.
func (o *Org) schemaLocked(app map[string]any) *appSchema {
	c := o.cx()
	id := fmt.Sprint(app["id"])
	if s := c.schemas[id]; s != nil {
		return s
	}
	created, _ := app["created"].(string)
	s := &appSchema{name: fmt.Sprint(app["name"]) + "_" + lowerID(7), created: created, updated: created,
		base: map[string]map[string]any{"userName": userNameProperty()}, custom: map[string]map[string]any{}}
	cu := c.apps[id]
	if cu != nil && cu.scim || cu == nil && (o.variant(VariantSchemaBaseAt) == "creation" || o.provisionedLocked(id)) {
		addSCIMBase(s.base) // SCIM template apps and custom apps with SCIM on
	}
	c.schemas[id] = s
	return s
}

func lowerID(n int) string {
	b := []byte(newID(""))
	for i := range b {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b[:n])
}

func requiredOf(props map[string]map[string]any) []any {
	out := []any{}
	var names []string
	for k, p := range props {
		if p["required"] == true {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, n)
	}
	return out
}

func (o *Org) schemaView(host string, app map[string]any, s *appSchema) map[string]any {
	cp := func(m map[string]map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = deepCopy(v)
		}
		return out
	}
	custom := map[string]any{"id": "#custom", "type": "object", "properties": cp(s.custom)}
	if len(s.custom) > 0 {
		custom["required"] = requiredOf(s.custom)
	}
	return map[string]any{
		"id":      "http://" + host + "/meta/schemas/apps/" + fmt.Sprint(app["id"]) + "/default",
		"$schema": "http://json-schema.org/draft-04/schema#",
		"name":    s.name, "title": fmt.Sprint(app["label"]) + " User",
		"created": s.created, "lastUpdated": s.updated,
		"definitions": map[string]any{
			"custom": custom,
			"base":   map[string]any{"id": "#base", "type": "object", "properties": cp(s.base), "required": requiredOf(s.base)},
		},
		"type": "object",
		"properties": map[string]any{"profile": map[string]any{"allOf": []any{
			map[string]any{"$ref": "#/definitions/custom"}, map[string]any{"$ref": "#/definitions/base"}}}},
	}
}

// routeMeta answers /api/v1/meta/…: of it, the simulator has the app user schemas.
func (o *Org) routeMeta(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	if len(rest) != 4 || rest[0] != "schemas" || rest[1] != "apps" || rest[3] != "default" {
		notFound(w, r.URL.Path)
		return
	}
	o.mu.Lock()
	app := o.findApp(rest[2])
	o.mu.Unlock()
	if app == nil {
		notFound(w, rest[2]+" (AppInstance)")
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		if fe := o.updateSchema(app, body); fe != nil {
			fe.write(w)
			return
		}
	default:
		methodNotAllowed(w)
		return
	}
	o.mu.Lock()
	out := o.schemaView(r.Host, app, o.schemaLocked(app))
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

var propertyName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

var propertyTypes = []string{"string", "boolean", "number", "integer", "array"}

// customKeys are the property attributes an app user schema keeps.
var customKeys = []string{"title", "description", "type", "required", "scope", "enum", "oneOf", "minLength", "maxLength",
	"items", "externalName", "externalNamespace", "unique", "pattern"}

// updateSchema applies a POST body; nothing changes when it returns a problem.
func (o *Org) updateSchema(app map[string]any, body []byte) *fieldErr {
	var in struct {
		Definitions *struct {
			Custom *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"custom"`
			Base *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"base"`
		} `json:"definitions"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return &fieldErr{field: "definitions", cause: "The request body was not well-formed"}
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.schemaLocked(app)
	custom := map[string]map[string]any{}
	for k, v := range s.custom {
		custom[k] = deepCopy(v)
	}
	base := map[string]map[string]any{}
	for k, v := range s.base {
		base[k] = deepCopy(v)
	}
	if in.Definitions != nil && in.Definitions.Custom != nil {
		for name, raw := range in.Definitions.Custom.Properties {
			if fe := o.customProperty(app, custom, base, name, raw); fe != nil {
				return fe
			}
		}
	}
	if in.Definitions != nil && in.Definitions.Base != nil {
		for name, raw := range in.Definitions.Base.Properties {
			if fe := baseProperty(base, name, raw); fe != nil {
				return fe
			}
		}
	}
	s.custom, s.base = custom, base
	s.updated = o.stamp()
	return nil
}

// customProperty adds, merges or (for null) removes one custom property.
func (o *Org) customProperty(app map[string]any, custom, base map[string]map[string]any, name string, raw json.RawMessage) *fieldErr {
	field := "definitions.custom.properties." + name
	if string(raw) == "null" {
		if _, ok := custom[name]; ok && o.propertyMappedLocked(fmt.Sprint(app["id"]), name) {
			return &fieldErr{field: field, cause: "The property is used in a profile mapping; remove the mapping first"}
		}
		delete(custom, name)
		return nil
	}
	if !propertyName.MatchString(name) {
		return &fieldErr{field: field, cause: "Property names start with a letter and contain only letters, digits and underscores"}
	}
	if _, ok := base[name]; ok {
		return &fieldErr{field: field, cause: "A base property of this name exists"}
	}
	var def map[string]any
	if err := json.Unmarshal(raw, &def); err != nil || def == nil {
		return &fieldErr{field: field, cause: "must be an object"}
	}
	old, exists := custom[name]
	next := map[string]any{}
	for k, v := range old {
		next[k] = v
	}
	for _, k := range customKeys {
		if v, ok := def[k]; ok {
			next[k] = v
		}
	}
	if next["required"] != true {
		delete(next, "required")
	}
	p := &props{m: next}
	switch {
	case exists && def["type"] != nil && def["type"] != old["type"]:
		p.fail(&fieldErr{field: "type", cause: "The type of an existing property cannot be changed"})
	case p.str("title") == "":
		p.fail(blank("title"))
	case p.str("type") == "":
		p.fail(blank("type"))
	}
	p.oneOf("type", "", propertyTypes...)
	next["scope"] = p.oneOf("scope", "NONE", "NONE", "SELF")
	for _, k := range []string{"minLength", "maxLength"} {
		if v, ok := next[k]; ok && v != nil {
			if f, isNum := v.(float64); !isNum || f < 0 || f != float64(int(f)) {
				p.fail(&fieldErr{field: k, cause: "must be a non-negative integer"})
			}
		}
	}
	if next["type"] == "array" {
		if items, _ := next["items"].(map[string]any); items == nil || !contains(propertyTypes[:4], fmt.Sprint(items["type"])) {
			p.fail(&fieldErr{field: "items", cause: "An array property needs items.type (string, boolean, number or integer)"})
		}
	}
	if e, ok := next["enum"]; ok && e != nil {
		if _, isList := e.([]any); !isList {
			p.fail(&fieldErr{field: "enum", cause: "must be an array"})
		}
	}
	if p.fe != nil {
		return &fieldErr{field: field, cause: p.fe.field + ": " + p.fe.cause}
	}
	custom[name] = next
	return nil
}

// baseProperty changes a base property's nullability, where allowed.
func baseProperty(base map[string]map[string]any, name string, raw json.RawMessage) *fieldErr {
	field := "definitions.base.properties." + name
	cur, ok := base[name]
	switch {
	case !ok:
		return &fieldErr{field: field, cause: "Base properties cannot be added; add a custom property instead"}
	case string(raw) == "null":
		return &fieldErr{field: field, cause: "Base properties cannot be removed"}
	}
	var def map[string]any
	if err := json.Unmarshal(raw, &def); err != nil || def == nil {
		return &fieldErr{field: field, cause: "must be an object"}
	}
	req, ok := def["required"]
	if !ok {
		return nil
	}
	b, isBool := req.(bool)
	switch {
	case !isBool:
		return &fieldErr{field: field, cause: "required: must be a boolean"}
	case name == "userName" && !b:
		return &fieldErr{field: field, cause: "The nullability of this property cannot be changed"}
	case b:
		cur["required"] = true
	default:
		delete(cur, "required")
	}
	return nil
}
