package openapicheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Exception is one documented place where Okta's published spec and real Okta
// disagree about a request body. It applies to one operation (Method and the spec's
// PathPattern, e.g. /api/v1/apps/{appId}) and only when Match says the spec's verdict
// on the body is this known case. Security and parameters are always checked.
type Exception struct {
	Method, PathPattern string
	// Reason says why the spec is wrong here, with its source.
	Reason string
	// Match reports whether err, the spec's verdict on r's body, is this known case.
	// Required.
	Match func(r Request, err error) bool
	// Instead, when set, is the body check that replaces the spec's for a matched
	// request, so the exception narrows validation instead of dropping it; it returns
	// the body's problems. When nil the matched error is dropped.
	Instead func(v *Validator, r Request) error
}

func (e Exception) appliesTo(method, pathPattern string) bool {
	return e.Method == method && e.PathPattern == pathPattern && e.Match != nil
}

// KnownExceptions lists the disagreements from /work/shared/design/okta-api.md §6.
// Not in this list on purpose, because real Okta agrees with the spec there and the
// validator reports them: read-only fields in an app body, and
// settings.signOn.attributeStatements sent as null.
var KnownExceptions []Exception

// Set in init: the exceptions' checks call back into the validator, which reads this list.
func init() { KnownExceptions = knownExceptions() }

func knownExceptions() []Exception {
	return []Exception{
		oinAppException(http.MethodPost, "/api/v1/apps"),
		oinAppException(http.MethodPut, "/api/v1/apps/{appId}"),
		nullNotesException(http.MethodPost, "/api/v1/apps"),
		nullNotesException(http.MethodPut, "/api/v1/apps/{appId}"),
		{
			Method:      http.MethodPut,
			PathPattern: "/api/v1/apps/{appId}/features/{featureName}",
			Reason: "for INBOUND_PROVISIONING the schema names importSettings.username.usernameFormat (required) and " +
				"makes schedule.fullImport/incrementalImport non-nullable, while the spec's own request example " +
				"(UpdateInboundProvisioningFeatureRequestEx) and real Okta responses (terraform-provider-okta " +
				"cassettes TestAccDataSourceOktaAppFeatures_read) use userNameFormat and null schedules; the body is " +
				"checked again with userNameFormat read as usernameFormat and those nulls left out",
			Match: func(r Request, err error) bool {
				_, changed := inboundAsSchemaNames(r)
				return err != nil && changed
			},
			Instead: func(v *Validator, r Request) error {
				named, _ := inboundAsSchemaNames(r)
				return v.bodyProblems(named)
			},
		},
		{
			Method:      http.MethodPut,
			PathPattern: "/api/v1/apps/{appId}/features/{featureName}",
			Reason: "the request body is oneOf USER_PROVISIONING / INBOUND_PROVISIONING capabilities with no " +
				"discriminator, and the USER_PROVISIONING schema has no required field, so every valid " +
				"INBOUND_PROVISIONING body matches both; it is checked against the INBOUND_PROVISIONING schema alone",
			Match: func(r Request, err error) bool {
				return strings.HasSuffix(r.Path, "/features/INBOUND_PROVISIONING") && errors.Is(err, openapi3.ErrOneOfConflict)
			},
			Instead: func(v *Validator, r Request) error {
				return v.checkAgainst("CapabilitiesInboundProvisioningObject", r)
			},
		},
		{
			Method:      http.MethodPost,
			PathPattern: "/api/v1/meta/schemas/apps/{appId}/default",
			Reason: "the UserSchema marks definitions.custom.id and .type readOnly, but real traffic sends " +
				"{\"id\":\"#custom\",\"type\":\"object\",\"properties\":…} in the partial update (terraform-provider-okta " +
				"cassette TestAccResourceOktaAppUserSchemas_crud: 200); the body is checked again without those two",
			Match: func(r Request, err error) bool {
				_, changed := withoutCustomHeader(r)
				return err != nil && changed
			},
			Instead: func(v *Validator, r Request) error {
				stripped, _ := withoutCustomHeader(r)
				return v.bodyProblems(stripped)
			},
		},
		{
			Method:      http.MethodPost,
			PathPattern: "/api/v1/mappings/{mappingId}",
			Reason: "ProfileMappingRequest models `properties` as a single ProfileMappingProperty and requires " +
				"expression and pushStatus at the top level, but real Okta takes (and terraform-provider-okta sends, " +
				"cassette TestAccResourceOktaProfileMapping_crud) {\"properties\": {\"<property>\": {\"expression\", " +
				"\"pushStatus\"}}}: a map of ProfileMappingProperty. The body is checked as exactly that",
			Match: func(r Request, err error) bool {
				props, ok := lookup(decodeBody(r.Body), "properties").(map[string]any)
				return err != nil && ok && len(props) > 0
			},
			Instead: func(v *Validator, r Request) error {
				body, _ := decodeBody(r.Body).(map[string]any)
				if len(body) != 1 {
					return fmt.Errorf("body must hold only properties, got %d top-level fields", len(body))
				}
				props, _ := body["properties"].(map[string]any)
				for name, p := range props {
					if p == nil {
						continue // null removes a property's mapping
					}
					one, _ := withBody(r, p)
					if err := v.checkAgainst("ProfileMappingProperty", one); err != nil {
						return fmt.Errorf("properties.%s: %w", name, err)
					}
				}
				return nil
			},
		},
	}
}

func oinAppException(method, pattern string) Exception {
	return Exception{
		Method:      method,
		PathPattern: pattern,
		Reason: "OIN catalog apps (scim2testapp, scim2headerauth, …) are created and replaced by `name`, as real " +
			"traffic and the SDKs do, but the request schema models only custom apps: there `name` is readOnly or " +
			"limited to template_* names, and the signOnMode discriminator demands custom-app fields. Such bodies " +
			"are checked against a hand-written OIN app schema instead",
		Match: func(r Request, _ error) bool {
			name, ok := lookup(decodeBody(r.Body), "name").(string)
			return ok && name != "" && !customAppNames[name]
		},
		Instead: func(v *Validator, r Request) error {
			if err := v.oinApp.VisitJSON(decodeBody(r.Body), visitOptions...); err != nil {
				return fmt.Errorf("body does not match the OIN app schema: %w", schemaErrors(err))
			}
			return nil
		},
	}
}

func nullNotesException(method, pattern string) Exception {
	return Exception{
		Method:      method,
		PathPattern: pattern,
		Reason: "settings.notes.admin and settings.notes.enduser are not nullable in the spec, yet real Okta " +
			"returns null for them and accepts null in POST and PUT bodies (terraform-provider-okta cassettes, e.g. " +
			"TestAccResourceOktaAppBookmarkApplication_crud: 200); the body is checked again without those two nulls",
		Match: func(r Request, err error) bool {
			_, changed := withoutNullNotes(r)
			return err != nil && changed
		},
		Instead: func(v *Validator, r Request) error {
			stripped, _ := withoutNullNotes(r)
			return v.bodyProblems(stripped)
		},
	}
}

// withoutCustomHeader drops definitions.custom.id "#custom" and type "object".
func withoutCustomHeader(r Request) (Request, bool) {
	body := decodeBody(r.Body)
	custom, ok := lookup(body, "definitions", "custom").(map[string]any)
	if !ok || custom["id"] != "#custom" || custom["type"] != "object" {
		return r, false
	}
	delete(custom, "id")
	delete(custom, "type")
	return withBody(r, body)
}

// withoutNullNotes drops settings.notes.admin/enduser when they are null.
func withoutNullNotes(r Request) (Request, bool) {
	body := decodeBody(r.Body)
	notes, ok := lookup(body, "settings", "notes").(map[string]any)
	if !ok || !dropNulls(notes, "admin", "enduser") {
		return r, false
	}
	return withBody(r, body)
}

// dropNulls deletes the named keys whose value is null and reports whether any was.
func dropNulls(obj map[string]any, keys ...string) bool {
	dropped := false
	for _, k := range keys {
		if v, present := obj[k]; present && v == nil {
			delete(obj, k)
			dropped = true
		}
	}
	return dropped
}

// withBody returns r carrying body re-encoded; false if it cannot be.
func withBody(r Request, body any) (Request, bool) {
	b, err := json.Marshal(body)
	if err != nil {
		return r, false
	}
	r.Body = b
	return r, true
}

// inboundAsSchemaNames rewrites an INBOUND_PROVISIONING body from the shape real Okta
// uses to the names the schema uses.
func inboundAsSchemaNames(r Request) (Request, bool) {
	if !strings.HasSuffix(r.Path, "/features/INBOUND_PROVISIONING") {
		return r, false
	}
	body := decodeBody(r.Body)
	changed := false
	if username, ok := lookup(body, "importSettings", "username").(map[string]any); ok {
		if v, present := username["userNameFormat"]; present {
			if _, both := username["usernameFormat"]; !both {
				username["usernameFormat"] = v
				delete(username, "userNameFormat")
				changed = true
			}
		}
	}
	if schedule, ok := lookup(body, "importSettings", "schedule").(map[string]any); ok {
		changed = dropNulls(schedule, "fullImport", "incrementalImport") || changed
	}
	if !changed {
		return r, false
	}
	return withBody(r, body)
}
