package oktaorg

// Profile mappings: GET /api/v1/mappings (sourceId, targetId, limit ≤ 200, Link paging),
// GET and POST /api/v1/mappings/{id}, shaped as recorded in
// TestAccResourceOktaProfileMapping_crud and the spec's examples. Every app has two:
// Okta user → app user (source type user, target type appuser) and app user → Okta user;
// the list leaves out `properties`. POST is a partial update of `properties`: a property
// set to null (or with expression and pushStatus null, the spec's RemoveMappingBody) is
// removed, others are added or merged; read-only fields in the body are ignored
// (recorded: a body with _links, source and target is accepted).
//
// Validation, all or nothing: the target property must exist in the target schema (the
// app user schema, or Okta's base user profile), an expression must be a non-empty
// string and every appuser.<name> it names must exist in the app user schema, pushStatus
// is PUSH or DONT_PUSH. Okta's expression language itself is out of scope: expressions
// are stored as given, and user.<name> references are not checked (the simulator has no
// Okta user schema beyond the base profile). The errorSummary "Api validation failed:
// updateMapping" is Okta's (terraform-provider-okta #807); the causes' wording is the
// simulator's, Okta's for these cases is not recorded.
//
// Default properties: none for a custom app without SCIM (its userName comes from the
// credentials' username template); the SCIM attribute mappings Okta's SCIM apps come
// with (given name ← user.firstName, …) otherwise. App user → Okta user properties
// default to DONT_PUSH, as recorded.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

type profileMapping struct {
	id    string
	appID string
	toApp bool // source: the Okta user; target: the app user
	props map[string]map[string]any
}

// oktaUserProperties is Okta's base user profile.
var oktaUserProperties = []string{"login", "email", "secondEmail", "firstName", "lastName", "middleName", "honorificPrefix",
	"honorificSuffix", "title", "displayName", "nickName", "profileUrl", "primaryPhone", "mobilePhone", "streetAddress", "city",
	"state", "zipCode", "countryCode", "postalAddress", "preferredLanguage", "locale", "timezone", "userType", "employeeNumber",
	"costCenter", "organization", "division", "department", "managerId", "manager"}

// scimUserMap pairs SCIM app attributes with Okta user properties, for the default
// mappings.
var scimUserMap = [][2]string{
	{"givenName", "firstName"}, {"familyName", "lastName"}, {"middleName", "middleName"},
	{"honorificPrefix", "honorificPrefix"}, {"honorificSuffix", "honorificSuffix"}, {"email", "email"},
	{"displayName", "displayName"}, {"nickName", "nickName"}, {"profileUrl", "profileUrl"}, {"title", "title"},
	{"userType", "userType"}, {"preferredLanguage", "preferredLanguage"}, {"locale", "locale"}, {"timezone", "timezone"},
	{"primaryPhone", "primaryPhone"}, {"streetAddress", "streetAddress"}, {"locality", "city"}, {"region", "state"},
	{"postalCode", "zipCode"}, {"country", "countryCode"}, {"employeeNumber", "employeeNumber"},
	{"costCenter", "costCenter"}, {"organization", "organization"}, {"division", "division"}, {"department", "department"},
}

// profileLocked makes an app's user schema and its two mappings if they are missing;
// o.mu must be held.
func (o *Org) profileLocked(app map[string]any) {
	o.schemaLocked(app)
	c := o.cx()
	id := fmt.Sprint(app["id"])
	if o.variant(VariantMappingsAt) == "provisioning" && !o.provisionedLocked(id) {
		return // made once provisioning is on (provisioningOnLocked, scimProfileLocked)
	}
	for _, m := range c.mappings {
		if m.appID == id {
			return
		}
	}
	to := &profileMapping{id: newID("prm"), appID: id, toApp: true, props: map[string]map[string]any{}}
	from := &profileMapping{id: newID("prm"), appID: id, props: map[string]map[string]any{}}
	c.mappings = append(c.mappings, from, to)
	if cu := c.apps[id]; cu == nil || cu.scim {
		addSCIMMappings(to, from)
	}
}

func addSCIMMappings(to, from *profileMapping) {
	for _, p := range scimUserMap {
		if _, ok := to.props[p[0]]; !ok {
			to.props[p[0]] = map[string]any{"expression": "user." + p[1], "pushStatus": "PUSH"}
		}
		if _, ok := from.props[p[1]]; !ok {
			from.props[p[1]] = map[string]any{"expression": "appuser." + p[0], "pushStatus": "DONT_PUSH"}
		}
	}
	if _, ok := to.props["primaryEmailType"]; !ok {
		to.props["primaryEmailType"] = map[string]any{"expression": "(user.email != null && user.email != '') ? 'work' : ''", "pushStatus": "PUSH"}
	}
}

// provisionedLocked says whether the app's provisioning is on: a custom app's SCIM
// switch, a template app's API integration; o.mu must be held.
func (o *Org) provisionedLocked(appID string) bool {
	if c := o.cx().apps[appID]; c != nil {
		return c.scim
	}
	p, ok := o.prov[appID]
	return ok && p.Enabled
}

// scimProfileLocked gives a custom app the SCIM base attributes and default mappings
// when its SCIM switch goes on; o.mu must be held.
func (o *Org) scimProfileLocked(app map[string]any) {
	o.profileLocked(app)
	id := fmt.Sprint(app["id"])
	addSCIMBase(o.cx().schemas[id].base)
	var to, from *profileMapping
	for _, m := range o.cx().mappings {
		if m.appID == id && m.toApp {
			to = m
		} else if m.appID == id {
			from = m
		}
	}
	if to != nil && from != nil {
		addSCIMMappings(to, from)
	}
}

// allProfilesLocked makes sure every app has its mappings (apps added with AddApp get
// them on first use).
func (o *Org) allProfilesLocked() {
	for _, a := range o.apps {
		o.profileLocked(a)
	}
}

func (o *Org) findMapping(id string) *profileMapping {
	for _, m := range o.cx().mappings {
		if m.id == id {
			return m
		}
	}
	return nil
}

// propertyMappedLocked says whether an app user property is a mapping's target or is
// named by an expression of the app's mappings.
func (o *Org) propertyMappedLocked(appID, name string) bool {
	for _, m := range o.cx().mappings {
		if m.appID != appID {
			continue
		}
		if _, ok := m.props[name]; ok && m.toApp {
			return true
		}
		for _, p := range m.props {
			if contains(appuserRefs(fmt.Sprint(p["expression"])), name) {
				return true
			}
		}
	}
	return false
}

var appuserRef = regexp.MustCompile(`\bappuser\.([A-Za-z_][A-Za-z0-9_]*)`)

func appuserRefs(expr string) []string {
	var out []string
	for _, m := range appuserRef.FindAllStringSubmatch(expr, -1) {
		out = append(out, m[1])
	}
	return out
}

func (o *Org) mappingView(host string, m *profileMapping, full bool) map[string]any {
	base := "http://" + host + "/api/v1"
	c := o.cx()
	user := map[string]any{"id": c.userType, "name": "user", "type": "user", "_links": map[string]any{
		"self": map[string]any{"href": base + "/meta/types/user/" + c.userType}, "schema": map[string]any{"href": base + "/meta/schemas/user/" + c.userSchema}}}
	name := ""
	if a := o.findApp(m.appID); a != nil {
		name = fmt.Sprint(a["name"])
	}
	appUser := map[string]any{"id": m.appID, "name": name, "type": "appuser", "_links": map[string]any{
		"self": map[string]any{"href": base + "/apps/" + m.appID}, "schema": map[string]any{"href": base + "/meta/schemas/apps/" + m.appID + "/default"}}}
	out := map[string]any{"id": m.id, "source": appUser, "target": user, "_links": map[string]any{"self": map[string]any{"href": base + "/mappings/" + m.id}}}
	if m.toApp {
		out["source"], out["target"] = user, appUser
	}
	if full {
		props := map[string]any{}
		for k, v := range m.props {
			props[k] = deepCopy(v)
		}
		out["properties"] = props
	}
	return out
}

func (m *profileMapping) sourceID(userType string) string {
	if m.toApp {
		return userType
	}
	return m.appID
}

func (m *profileMapping) targetID(userType string) string {
	if m.toApp {
		return m.appID
	}
	return userType
}

// routeMappings answers /api/v1/mappings[/{id}].
func (o *Org) routeMappings(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		o.listMappings(w, r)
	case len(rest) == 1 && (r.Method == http.MethodGet || r.Method == http.MethodPost):
		o.mu.Lock()
		o.allProfilesLocked()
		m := o.findMapping(rest[0])
		o.mu.Unlock()
		if m == nil {
			notFound(w, rest[0]+" (ProfileMapping)")
			return
		}
		if r.Method == http.MethodPost {
			if fe := o.updateMapping(m, body); fe != nil {
				fe.write(w)
				return
			}
		}
		o.mu.Lock()
		out := o.mappingView(r.Host, m, true)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case len(rest) <= 1:
		methodNotAllowed(w)
	default:
		notFound(w, r.URL.Path)
	}
}

func (o *Org) listMappings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	o.mu.Lock()
	o.allProfilesLocked()
	ut := o.cx().userType
	var sel []*profileMapping
	for _, m := range o.cx().mappings {
		if s := q.Get("sourceId"); s != "" && m.sourceID(ut) != s {
			continue
		}
		if t := q.Get("targetId"); t != "" && m.targetID(ut) != t {
			continue
		}
		sel = append(sel, m)
	}
	o.mu.Unlock()
	items, ok := page(w, r, sel, func(m *profileMapping) string { return m.id }, 20, 200)
	if !ok {
		return
	}
	o.mu.Lock()
	out := make([]map[string]any, 0, len(items))
	for _, m := range items {
		out = append(out, o.mappingView(r.Host, m, false))
	}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// updateMapping applies a POST body; nothing changes when it returns a problem.
func (o *Org) updateMapping(m *profileMapping, body []byte) *fieldErr {
	var in struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return mappingErr("The request body was not well-formed")
	}
	if in.Properties == nil {
		return mappingErr("properties: The field cannot be left blank")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	app := o.findApp(m.appID)
	if app == nil {
		return mappingErr("The app of this mapping no longer exists")
	}
	s := o.schemaLocked(app)
	appHas := func(name string) bool { _, b := s.base[name]; _, c := s.custom[name]; return b || c }
	next := map[string]map[string]any{}
	for k, v := range m.props {
		next[k] = deepCopy(v)
	}
	for name, raw := range in.Properties {
		var p map[string]any
		if err := json.Unmarshal(raw, &p); err != nil {
			return mappingErr(name + ": must be an object or null")
		}
		if p == nil || (p["expression"] == nil && p["pushStatus"] == nil && hasKeys(p, "expression", "pushStatus")) {
			delete(next, name)
			continue
		}
		if m.toApp && !appHas(name) || !m.toApp && !contains(oktaUserProperties, name) {
			return mappingErr(fmt.Sprintf("%s: The property does not exist in the target schema", name))
		}
		cur := next[name]
		if cur == nil {
			cur = map[string]any{"pushStatus": map[bool]string{true: "PUSH", false: "DONT_PUSH"}[m.toApp]}
		}
		if v, ok := p["expression"]; ok {
			cur["expression"] = v
		}
		expr, isStr := cur["expression"].(string)
		if !isStr || strings.TrimSpace(expr) == "" {
			return mappingErr(name + ": expression: The field cannot be left blank")
		}
		for _, ref := range appuserRefs(expr) {
			if !appHas(ref) {
				return mappingErr(fmt.Sprintf("%s: expression: appuser.%s is not a property of the app user schema", name, ref))
			}
		}
		if v, ok := p["pushStatus"]; ok && v != nil {
			if v != "PUSH" && v != "DONT_PUSH" {
				return mappingErr(name + ": pushStatus: Not one of the allowed values.")
			}
			cur["pushStatus"] = v
		}
		next[name] = cur
	}
	m.props = next
	return nil
}

func mappingErr(cause string) *fieldErr {
	return &fieldErr{field: "updateMapping", cause: cause, bare: true}
}

func hasKeys(m map[string]any, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
