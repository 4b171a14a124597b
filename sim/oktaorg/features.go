package oktaorg

import (
	"encoding/json"
	"net/http"
)

func defaultFeatures() map[string]map[string]any {
	return map[string]map[string]any{
		"USER_PROVISIONING": {
			"create": map[string]any{"lifecycleCreate": map[string]any{"status": "DISABLED"}},
			"update": map[string]any{
				"profile":             map[string]any{"status": "DISABLED"},
				"lifecycleDeactivate": map[string]any{"status": "DISABLED"},
				"password":            map[string]any{"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"},
			},
		},
		// As recorded (TestAccDataSourceOktaAppFeatures_read).
		"INBOUND_PROVISIONING": {
			"importSettings": map[string]any{"username": map[string]any{"userNameFormat": "EMAIL"}, "schedule": map[string]any{"status": "DISABLED", "fullImport": nil, "incrementalImport": nil}},
			"importRules": map[string]any{"userCreateAndMatch": map[string]any{"exactMatchCriteria": "USERNAME", "allowPartialMatch": true,
				"autoConfirmPartialMatch": false, "autoConfirmExactMatch": false, "autoConfirmNewUsers": false, "autoActivateNewUsers": false}},
		},
	}
}

var featureDescriptions = map[string]string{
	"USER_PROVISIONING":    "User provisioning settings from Okta to a downstream application",
	"INBOUND_PROVISIONING": "In-bound provisioning settings for provisioning users from an application to Okta",
}

func (o *Org) featureView(host, appID, name string, p *provisioning) map[string]any {
	status := "ENABLED"
	if name == "INBOUND_PROVISIONING" && !p.ImportUsers {
		status = "DISABLED"
	}
	href := "http://" + host + "/api/v1/apps/" + appID + "/features/" + name
	return map[string]any{"name": name, "status": status, "description": featureDescriptions[name],
		"capabilities": deepCopy(p.features[name]),
		"_links":       map[string]any{"self": map[string]any{"href": href, "hints": map[string]any{"allow": []any{"GET", "PUT"}}}}}
}

// derivedFeatures is the app's read-only features list, from the Provisioning tab.
func (o *Org) derivedFeatures(appID string) []any {
	out := []any{}
	if c := o.cx().apps[appID]; c != nil && c.scim {
		out = append(out, "SCIM_PROVISIONING") // a custom app with Provisioning: SCIM (apps_custom.go)
	}
	p, ok := o.prov[appID]
	if !ok || !p.Enabled {
		return out
	}
	add := func(on bool, f string) {
		if on {
			out = append(out, f)
		}
	}
	up := p.features["USER_PROVISIONING"]
	update, _ := up["update"].(map[string]any)
	enabled := func(m map[string]any, k string) bool {
		s, _ := m[k].(map[string]any)
		return s != nil && s["status"] == "ENABLED"
	}
	pushNew, pushUpdates := p.PushNewUsers, p.PushProfileUpdates
	deactivate, password := enabled(update, "lifecycleDeactivate"), enabled(update, "password")
	imports, groups := p.ImportUsers, p.PushGroups
	switch o.variant(VariantFeaturesFrom) {
	case "settings":
		create, _ := up["create"].(map[string]any)
		pushNew, pushUpdates = enabled(create, "lifecycleCreate"), enabled(update, "profile")
	case "capabilities":
		pushNew, pushUpdates, deactivate, password, imports, groups = true, true, true, true, true, true
	}
	add(imports, "IMPORT_NEW_USERS")
	add(imports, "IMPORT_PROFILE_UPDATES")
	add(pushNew, "PUSH_NEW_USERS")
	add(pushUpdates, "PUSH_PROFILE_UPDATES")
	add(groups, "GROUP_PUSH")
	add(deactivate, "PUSH_USER_DEACTIVATION")
	add(password, "PUSH_PASSWORD_UPDATES")
	return out
}

func (o *Org) routeFeatures(w http.ResponseWriter, r *http.Request, app map[string]any, rest []string, body []byte) {
	id := app["id"].(string)
	o.mu.Lock()
	p, ok := o.prov[id]
	on := ok && p.Enabled
	o.mu.Unlock()
	if !on {
		validation(w, "feature", "Provisioning is not enabled for the app instance.")
		return
	}
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		o.mu.Lock()
		out := []any{o.featureView(r.Host, id, "USER_PROVISIONING", p)}
		if o.cx().apps[id] == nil || p.ImportUsers { // custom apps: only when they import
			out = append(out, o.featureView(r.Host, id, "INBOUND_PROVISIONING", p))
		}
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 1:
		name := rest[0]
		o.mu.Lock()
		hidden := name == "INBOUND_PROVISIONING" && o.cx().apps[id] != nil && !p.ImportUsers
		o.mu.Unlock()
		if _, known := featureDescriptions[name]; !known || hidden {
			notFound(w, name+" (AppFeature)")
			return
		}
		switch r.Method {
		case http.MethodGet:
		case http.MethodPut:
			var patch map[string]any
			if err := json.Unmarshal(body, &patch); err != nil {
				writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
				return
			}
			if bad := invalidStatus(patch, ""); bad != "" {
				validation(w, "capabilities", bad+": must be ENABLED or DISABLED")
				return
			}
			if bad := unknownKey(patch, featureShape[name], ""); bad != "" {
				validation(w, "capabilities", bad+": Property is not recognized")
				return
			}
			if name == "INBOUND_PROVISIONING" {
				// The spec's CapabilitiesInboundProvisioningObject requires both.
				for _, k := range []string{"importSettings", "importRules"} {
					if _, ok := patch[k].(map[string]any); !ok {
						validation(w, "capabilities", k+": The field cannot be left blank")
						return
					}
				}
			}
			o.mu.Lock()
			merge(p.features[name], patch)
			o.logLocked("application.lifecycle.update", "SUCCESS", "", app)
			o.mu.Unlock()
		default:
			methodNotAllowed(w)
			return
		}
		o.mu.Lock()
		out := o.featureView(r.Host, id, name, p)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	default:
		methodNotAllowed(w)
	}
}

// featureShape is each feature's capabilities as the spec defines them: an object
// lists its properties; nil is a leaf (any value).
var featureShape = map[string]map[string]any{
	"USER_PROVISIONING": {
		"create": map[string]any{"lifecycleCreate": map[string]any{"status": nil}},
		"update": map[string]any{"profile": map[string]any{"status": nil}, "lifecycleDeactivate": map[string]any{"status": nil},
			"password": map[string]any{"status": nil, "seed": nil, "change": nil}},
	},
	"INBOUND_PROVISIONING": {
		"importSettings": map[string]any{"username": map[string]any{"userNameFormat": nil, "usernameFormat": nil, "userNameExpression": nil}, // recorded; spec
			"schedule": map[string]any{"status": nil, "fullImport": map[string]any{"expression": nil, "timezone": nil},
				"incrementalImport": map[string]any{"expression": nil, "timezone": nil}}},
		"importRules": map[string]any{"userCreateAndMatch": map[string]any{"exactMatchCriteria": nil, "allowPartialMatch": nil,
			"autoConfirmPartialMatch": nil, "autoConfirmExactMatch": nil, "autoConfirmNewUsers": nil, "autoActivateNewUsers": nil}},
	},
}

// unknownKey returns the path of the first property of m the shape does not have.
func unknownKey(m map[string]any, shape map[string]any, path string) string {
	for k, v := range m {
		p := k
		if path != "" {
			p = path + "." + k
		}
		sub, known := shape[k]
		if !known {
			return p
		}
		sm, _ := sub.(map[string]any)
		if vm, ok := v.(map[string]any); ok && sm != nil {
			if bad := unknownKey(vm, sm, p); bad != "" {
				return bad
			}
		}
	}
	return ""
}

// merge applies a partial update: only the keys present change.
func merge(dst, patch map[string]any) {
	for k, v := range patch {
		if pm, ok := v.(map[string]any); ok {
			dm, ok := dst[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
				dst[k] = dm
			}
			merge(dm, pm)
			continue
		}
		dst[k] = v
	}
}

// invalidStatus returns the path of a "status" that is not ENABLED or DISABLED.
func invalidStatus(m map[string]any, path string) string {
	for k, v := range m {
		p := k
		if path != "" {
			p = path + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			if bad := invalidStatus(sub, p); bad != "" {
				return bad
			}
			continue
		}
		if k == "status" && v != "ENABLED" && v != "DISABLED" {
			return p
		}
	}
	return ""
}
