package openapicheck

import (
	"errors"
	"fmt"
	"net/http"
)

// readOnlyAppFields are the app fields Okta assigns. A body carrying them was built
// from an app object as read rather than from what the caller means to set (okta-api.md
// §6): Okta ignores them at best, so they are always reported, never excused.
var readOnlyAppFields = []string{"_embedded", "_links", "created", "id", "lastUpdated", "status"}

// isAppWrite reports whether the operation creates or replaces an app.
func isAppWrite(method, pathPattern string) bool {
	return (method == http.MethodPost && pathPattern == "/api/v1/apps") ||
		(method == http.MethodPut && pathPattern == "/api/v1/apps/{appId}")
}

// appBodyFindings are problems in an app body that no known exception excuses.
func appBodyFindings(body any) []error {
	obj, ok := body.(map[string]any)
	if !ok {
		return nil
	}
	var out []error
	for _, f := range readOnlyAppFields {
		if _, ok := obj[f]; ok {
			out = append(out, fmt.Errorf("body sets read-only field %q: build the body from the fields you mean to set, not from the app as read", f))
		}
	}
	if signOn, ok := lookup(obj, "settings", "signOn").(map[string]any); ok {
		if v, present := signOn["attributeStatements"]; present && v == nil {
			out = append(out, errors.New("settings.signOn.attributeStatements is null: the spec wants an array or no field "+
				"(SDK v2's SamlApplicationSettingsSignOn sends null; send SAML settings as a map)"))
		}
	}
	return out
}

// lookup walks nested JSON objects; nil when a step is missing or not an object.
func lookup(v any, keys ...string) any {
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}
