package oktaorg

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// template is an OIN catalog app the org can instantiate.
type template struct {
	DisplayName string
	SignOnModes []string
	Provisions  bool   // supports SCIM provisioning (set on the Provisioning tab)
	TokenStyle  string // how a TOKEN connection sends the token: "bearer" | "header"
}

// catalog is the part of the OIN catalog the simulator knows: the SCIM test apps.
var catalog = map[string]template{
	"scim2testapp":       {"SCIM 2.0 Test App (OAuth Bearer Token)", []string{"SAML_2_0", "BROWSER_PLUGIN"}, true, "bearer"},
	"scim2headerauth":    {"SCIM 2.0 Test App (Header Auth)", []string{"SAML_2_0", "BROWSER_PLUGIN"}, true, "header"},
	"scim2testapp_basic": {"SCIM 2.0 Test App (Basic Auth)", []string{"SAML_2_0", "BROWSER_PLUGIN"}, true, ""},
	"scim1testapp":       {"SCIM 1.1 Test App", []string{"SAML_2_0", "BROWSER_PLUGIN"}, true, "header"},
}

func (o *Org) routeApps(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	switch {
	case len(rest) == 0:
		switch r.Method {
		case http.MethodGet:
			o.listApps(w, r)
		case http.MethodPost:
			o.createApp(w, r, body)
		default:
			methodNotAllowed(w)
		}
		return
	}
	id := rest[0]
	o.mu.Lock()
	app := o.findApp(id)
	o.mu.Unlock()
	if app == nil {
		notFound(w, id+" (AppInstance)")
		return
	}
	switch {
	case len(rest) == 1:
		switch r.Method {
		case http.MethodGet:
			o.mu.Lock()
			out := o.appView(app)
			o.mu.Unlock()
			writeJSON(w, http.StatusOK, out)
		case http.MethodPut:
			o.replaceApp(w, r, app, body)
		case http.MethodDelete:
			o.deleteApp(w, app)
		default:
			methodNotAllowed(w)
		}
	case len(rest) == 3 && rest[1] == "lifecycle" && r.Method == http.MethodPost && (rest[2] == "activate" || rest[2] == "deactivate"):
		status := map[string]string{"activate": "ACTIVE", "deactivate": "INACTIVE"}[rest[2]]
		o.mu.Lock()
		app["status"] = status
		app["lastUpdated"] = o.stamp()
		lifecycleLinks(app)
		o.logLocked("application.lifecycle."+rest[2], "SUCCESS", "", app)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{})
	case len(rest) >= 2 && rest[1] == "connections":
		o.routeConnection(w, r, app, rest[2:], body)
	case len(rest) >= 2 && rest[1] == "features":
		o.routeFeatures(w, r, app, rest[2:], body)
	case len(rest) >= 2 && rest[1] == "groups":
		o.routeAppGroups(w, r, app, rest[2:], body)
	case len(rest) >= 2 && rest[1] == "group-push":
		o.routeGroupPush(w, r, app, rest[2:], body)
	case len(rest) >= 2 && rest[1] == "users":
		o.routeAppUsers(w, r, app, rest[2:], body)
	default:
		notFound(w, r.URL.Path)
	}
}

func (o *Org) findApp(id string) map[string]any {
	for _, a := range o.apps {
		if a["id"] == id {
			return a
		}
	}
	return nil
}

// appView is the app as GET returns it: the stored object plus the features list
// derived from the Provisioning tab.
func (o *Org) appView(app map[string]any) map[string]any {
	out := deepCopy(app)
	out["features"] = o.derivedFeatures(app["id"].(string))
	return out
}

var filterTerm = regexp.MustCompile(`^\s*(name|status|id)\s+eq\s+"([^"]*)"\s*$`)

// appFilter parses the subset of Okta's app filter language the docs list.
func appFilter(expr string) (func(map[string]any) bool, bool) {
	if strings.TrimSpace(expr) == "" {
		return func(map[string]any) bool { return true }, true
	}
	var terms [][2]string
	for _, part := range regexp.MustCompile(`(?i)\s+and\s+`).Split(expr, -1) {
		m := filterTerm.FindStringSubmatch(part)
		if m == nil {
			return nil, false
		}
		terms = append(terms, [2]string{m[1], m[2]})
	}
	return func(a map[string]any) bool {
		for _, t := range terms {
			if fmt.Sprint(a[t[0]]) != t[1] {
				return false
			}
		}
		return true
	}, true
}

func (o *Org) listApps(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match, ok := appFilter(q.Get("filter"))
	if !ok {
		writeError(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", []string{"filter: " + q.Get("filter")})
		return
	}
	prefix := strings.ToLower(q.Get("q"))
	o.mu.Lock()
	var sel []map[string]any
	for _, a := range o.apps {
		if !match(a) {
			continue
		}
		if prefix != "" && !strings.HasPrefix(strings.ToLower(fmt.Sprint(a["name"])), prefix) && !strings.HasPrefix(strings.ToLower(fmt.Sprint(a["label"])), prefix) {
			continue
		}
		sel = append(sel, o.appView(a))
	}
	o.mu.Unlock()
	pageItems, ok := page(w, r, sel, func(a map[string]any) string { return a["id"].(string) }, 20, 200)
	if !ok {
		return
	}
	if pageItems == nil {
		pageItems = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, pageItems)
}

// appInput is the writable part of an app body.
type appInput struct {
	Name          string         `json:"name"`
	Label         *string        `json:"label"`
	SignOnMode    string         `json:"signOnMode"`
	Settings      map[string]any `json:"settings"`
	Visibility    map[string]any `json:"visibility"`
	Accessibility map[string]any `json:"accessibility"`
}

func decodeApp(w http.ResponseWriter, body []byte) (appInput, bool) {
	var in appInput
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return in, false
	}
	if in.Label == nil || strings.TrimSpace(*in.Label) == "" {
		validation(w, "label", "label: The field cannot be left blank")
		return in, false
	}
	if vis := in.Visibility; vis != nil {
		if v, ok := vis["autoSubmitToolbar"]; ok && !isBool(v) {
			validation(w, "visibility", "visibility.autoSubmitToolbar: must be a boolean")
			return in, false
		}
		if h, ok := vis["hide"].(map[string]any); ok {
			for _, k := range []string{"iOS", "web"} {
				if v, ok := h[k]; ok && !isBool(v) {
					validation(w, "visibility", "visibility.hide."+k+": must be a boolean")
					return in, false
				}
			}
		}
	}
	return in, true
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

func (o *Org) createApp(w http.ResponseWriter, r *http.Request, body []byte) {
	in, ok := decodeApp(w, body)
	if !ok {
		return
	}
	if isCustomRequest(in) {
		o.createCustomApp(w, r, in, body) // apps_custom.go
		return
	}
	tpl, known := catalog[in.Name]
	if !known {
		validation(w, "name", "name: The application name is invalid")
		return
	}
	mode, ok := o.templateSignOn(tpl, in.SignOnMode)
	if !ok {
		validation(w, "signOnMode", fmt.Sprintf("signOnMode: %s is not a supported sign-on mode for %s", in.SignOnMode, in.Name))
		return
	}
	in.SignOnMode = mode
	status := "ACTIVE"
	if r.URL.Query().Get("activate") == "false" {
		status = "INACTIVE"
	}
	id := newID("0oa")
	now := o.stamp()
	app := map[string]any{
		"id": id, "name": in.Name, "label": *in.Label, "status": status, "created": now, "lastUpdated": now,
		"signOnMode":    in.SignOnMode,
		"accessibility": map[string]any{"selfService": false, "errorRedirectUrl": nil, "loginRedirectUrl": nil},
		"visibility":    map[string]any{"autoLaunch": false, "autoSubmitToolbar": false, "hide": map[string]any{"iOS": false, "web": false}, "appLinks": map[string]any{in.Name + templateAppLinkSuffix: true}},
		"features":      []any{},
		"credentials":   map[string]any{"userNameTemplate": map[string]any{"template": "${source.login}", "type": "BUILT_IN"}},
		"settings": map[string]any{"app": map[string]any{}, "notifications": map[string]any{"vpn": map[string]any{"network": map[string]any{"connection": "DISABLED"}, "message": nil, "helpUrl": nil}},
			"manualProvisioning": false, "implicitAssignment": false, "notes": map[string]any{"admin": nil, "enduser": nil}},
	}
	if in.SignOnMode != "SAML_2_0" {
		// SWA: scheme, revealPassword and an empty signing, as recorded for catalog SWA
		// apps (TestAccResourceOktaAppSwaApplication_preconfig), shared credentials too.
		creds, fe := templateSWACredentials(body)
		if fe != nil {
			fe.write(w)
			return
		}
		app["credentials"] = creds
	}
	if in.SignOnMode == "SAML_2_0" {
		app["credentials"].(map[string]any)["signing"] = map[string]any{"kid": newID("")}
		app["settings"].(map[string]any)["signOn"] = map[string]any{"defaultRelayState": nil, "ssoAcsUrlOverride": nil, "audienceOverride": nil, "recipientOverride": nil, "destinationOverride": nil, "attributeStatements": []any{}}
	}
	applyInput(app, in)
	app["_links"] = appLinks("http://"+r.Host, in.Name, id, in.SignOnMode, in.Name+templateAppLinkSuffix, o.opts.Domain)
	app["orn"] = orn(in.Name, id)
	lifecycleLinks(app)
	o.mu.Lock()
	o.apps = append(o.apps, app)
	o.profileLocked(app) // its app user schema and profile mappings
	o.logLocked("application.lifecycle.create", "SUCCESS", "", app)
	out := o.appView(app)
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// applyInput copies the writable fields. features and read-only fields are ignored,
// as Okta ignores them.
func applyInput(app map[string]any, in appInput) {
	app["label"] = *in.Label
	app["signOnMode"] = in.SignOnMode
	settings := app["settings"].(map[string]any)
	if in.Settings != nil {
		if a, ok := in.Settings["app"].(map[string]any); ok {
			settings["app"] = a
		}
		if n, ok := in.Settings["notes"].(map[string]any); ok {
			settings["notes"] = map[string]any{"admin": stringOrNil(n["admin"]), "enduser": stringOrNil(n["enduser"])}
		}
		if v, ok := in.Settings["implicitAssignment"].(bool); ok {
			settings["implicitAssignment"] = v
		}
	}
	vis := app["visibility"].(map[string]any)
	if in.Visibility != nil {
		if v, ok := in.Visibility["autoSubmitToolbar"].(bool); ok {
			vis["autoSubmitToolbar"] = v
		}
		if h, ok := in.Visibility["hide"].(map[string]any); ok {
			hide := vis["hide"].(map[string]any)
			for _, k := range []string{"iOS", "web"} {
				if v, ok := h[k].(bool); ok {
					hide[k] = v
				}
			}
		}
		if l, ok := in.Visibility["appLinks"].(map[string]any); ok && len(l) > 0 {
			vis["appLinks"] = l
		}
	}
	if in.Accessibility != nil {
		if v, ok := in.Accessibility["selfService"].(bool); ok {
			app["accessibility"].(map[string]any)["selfService"] = v
		}
	}
}

func stringOrNil(v any) any {
	if s, ok := v.(string); ok {
		return s
	}
	return nil
}

func (o *Org) replaceApp(w http.ResponseWriter, r *http.Request, app map[string]any, body []byte) {
	in, ok := decodeApp(w, body)
	if !ok {
		return
	}
	o.mu.Lock()
	name := app["name"].(string)
	custom := o.cx().apps[app["id"].(string)] != nil
	o.mu.Unlock()
	if custom {
		o.replaceCustomApp(w, app, in, body) // apps_custom.go
		return
	}
	if in.Name != "" && in.Name != name {
		validation(w, "name", "name: The app name cannot be changed")
		return
	}
	mode, ok := o.templateSignOn(catalog[name], in.SignOnMode)
	if !ok {
		validation(w, "signOnMode", fmt.Sprintf("signOnMode: %s is not a supported sign-on mode for %s", in.SignOnMode, name))
		return
	}
	in.SignOnMode = mode
	var creds map[string]any
	if in.SignOnMode != "SAML_2_0" {
		var fe *fieldErr
		if creds, fe = templateSWACredentials(body); fe != nil {
			fe.write(w)
			return
		}
	}
	o.mu.Lock()
	applyInput(app, in)
	if creds != nil {
		app["credentials"] = creds
	}
	app["lastUpdated"] = o.stamp()
	o.logLocked("application.lifecycle.update", "SUCCESS", "", app)
	out := o.appView(app)
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// templateSWACredentials are the credentials a template app with SWA sign-on stores
// from a request body: those of a plugin SWA app (apps_custom.go).
func templateSWACredentials(body []byte) (map[string]any, *fieldErr) {
	var b customBody
	_ = json.Unmarshal(body, &b)
	return customCredentials("swa", b.Credentials, nil)
}

func (o *Org) deleteApp(w http.ResponseWriter, app map[string]any) {
	o.mu.Lock()
	if app["status"] == "ACTIVE" {
		o.mu.Unlock()
		writeError(w, http.StatusForbidden, "E0000056", "Delete application forbidden.", []string{"The application must be deactivated before it can be deleted."})
		return
	}
	for i, a := range o.apps {
		if a["id"] == app["id"] {
			o.apps = append(o.apps[:i], o.apps[i+1:]...)
			break
		}
	}
	id := app["id"].(string)
	delete(o.appGroups, id)
	delete(o.prov, id)
	o.forgetAppLocked(id)
	o.logLocked("application.lifecycle.delete", "SUCCESS", "", app)
	o.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// The org's id and its default policies, as an app's orn and _links name them.
const (
	simOrgID              = "00osimorg00000000001"
	accessPolicyID        = "rstsimaccess000000001"
	profileEnrollmentID   = "rstsimenroll000000001"
	defaultLogo           = "https://op3static.oktacdn.com/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png"
	templateAppLinkSuffix = "_login"
)

// appLinks are an app's _links as recorded (e.g. TestAccResourceOktaAppSaml_crud):
// no self; appLinks, groups, users, logo, uploadLogo, policies, accessPolicy,
// profileEnrollment, activate or deactivate (by status, see lifecycleLinks), and for
// SAML 2.0 the metadata and the setup help.
func appLinks(base, name, id, mode, linkName, domain string) map[string]any {
	api := base + "/api/v1/apps/" + id
	links := map[string]any{
		"appLinks":          []any{map[string]any{"name": linkName, "href": base + "/home/" + name + "/" + id + "/aln" + lowerID(17), "type": "text/html"}},
		"groups":            map[string]any{"href": api + "/groups"},
		"users":             map[string]any{"href": api + "/users"},
		"logo":              []any{map[string]any{"name": "medium", "href": defaultLogo, "type": "image/png"}},
		"uploadLogo":        map[string]any{"href": api + "/logo", "hints": map[string]any{"allow": []any{"POST"}}},
		"policies":          map[string]any{"href": api + "/policies", "hints": map[string]any{"allow": []any{"PUT"}}},
		"accessPolicy":      map[string]any{"href": base + "/api/v1/policies/" + accessPolicyID},
		"profileEnrollment": map[string]any{"href": base + "/api/v1/policies/" + profileEnrollmentID},
		"deactivate":        map[string]any{"href": api + "/lifecycle/deactivate"},
	}
	if mode == "SAML_2_0" {
		links["metadata"] = map[string]any{"href": api + "/sso/saml/metadata", "type": "application/xml"}
		links["help"] = map[string]any{"href": "https://" + domain + "-admin.okta.com/app/" + name + "/" + id + "/setup/help/SAML_2_0/instructions", "type": "text/html"}
	}
	return links
}

// lifecycleLinks sets the activate or deactivate link an app's status offers.
func lifecycleLinks(app map[string]any) {
	links, _ := app["_links"].(map[string]any)
	if links == nil {
		return
	}
	for _, k := range []string{"activate", "deactivate"} {
		if l, ok := links[k].(map[string]any); ok {
			href := strings.TrimSuffix(fmt.Sprint(l["href"]), "/lifecycle/"+k)
			delete(links, k)
			next := map[bool]string{true: "deactivate", false: "activate"}[app["status"] == "ACTIVE"]
			links[next] = map[string]any{"href": href + "/lifecycle/" + next}
			return
		}
	}
}

// orn is an app's Okta resource name (recorded: orn:<partition>:idp:<org id>:apps:<name>:<id>).
func orn(name, id string) string { return "orn:okta:idp:" + simOrgID + ":apps:" + name + ":" + id }

// templateSignOn is the sign-on mode a template app stores for the one asked, per the
// template-swa variant, and whether the template takes it at all.
func (o *Org) templateSignOn(tpl template, mode string) (string, bool) {
	swa := mode == "BROWSER_PLUGIN" || mode == "AUTO_LOGIN"
	switch v := o.variant(VariantTemplateSWA); {
	case swa && v == "auto-login" && contains(tpl.SignOnModes, "BROWSER_PLUGIN"):
		return mode, true
	case swa && v == "rewritten" && contains(tpl.SignOnModes, "BROWSER_PLUGIN"):
		return "AUTO_LOGIN", true
	}
	return mode, contains(tpl.SignOnModes, mode)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
