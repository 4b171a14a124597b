package openapicheck

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// withoutException runs the rest of the test with the known exceptions whose reason
// contains reasonPart removed, proving that the spec alone rejects the request.
func withoutException(t *testing.T, reasonPart string) {
	t.Helper()
	saved := KnownExceptions
	var kept []Exception
	for _, e := range saved {
		if !strings.Contains(e.Reason, reasonPart) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(saved) {
		t.Fatalf("no known exception mentions %q", reasonPart)
	}
	KnownExceptions = kept
	t.Cleanup(func() { KnownExceptions = saved })
}

// specExample is a request example from the spec itself, as JSON.
func specExample(t *testing.T, v *Validator, method, pattern, name string) string {
	t.Helper()
	op := v.doc.Paths.Value(pattern).GetOperation(method)
	ex := op.RequestBody.Value.Content.Get("application/json").Examples[name]
	if ex == nil || ex.Value == nil {
		t.Fatalf("spec has no example %s for %s %s", name, method, pattern)
	}
	b, err := json.Marshal(ex.Value.Value)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKnownExceptionsNameRealOperations(t *testing.T) {
	v := specValidator(t)
	for _, e := range KnownExceptions {
		item := v.doc.Paths.Value(e.PathPattern)
		if item == nil || item.GetOperation(e.Method) == nil {
			t.Errorf("exception for %s %s: no such operation in the spec", e.Method, e.PathPattern)
		}
		if e.Reason == "" || e.Match == nil {
			t.Errorf("exception for %s %s needs a Reason and a Match", e.Method, e.PathPattern)
		}
	}
}

func TestOINAppIsCheckedAgainstItsOwnSchema(t *testing.T) {
	v := specValidator(t)
	create := apiRequest(t, "POST", "/api/v1/apps?activate=true", oinAppBody("scim2testapp"))
	if err := v.Validate(create); err != nil {
		t.Fatalf("OIN app by name: %v", err)
	}

	bad := map[string]func(b map[string]any){
		`"label"`:     func(b map[string]any) { delete(b, "label") },
		"/signOnMode": func(b map[string]any) { b["signOnMode"] = "SCIM" },
		"/hide/web":   func(b map[string]any) { b["visibility"].(map[string]any)["hide"] = map[string]any{"web": "yes"} },
		`"setings"`:   func(b map[string]any) { b["setings"] = b["settings"] },
		`"baseUrl"`:   func(b map[string]any) { b["settings"].(map[string]any)["baseUrl"] = "https://scim.example" },
		"attributeStatements": func(b map[string]any) {
			b["settings"].(map[string]any)["signOn"] = map[string]any{"attributeStatements": nil}
		},
	}
	for want, breakIt := range bad {
		t.Run(want, func(t *testing.T) {
			body := oinAppBody("scim2headerauth")
			breakIt(body)
			err := v.Validate(apiRequest(t, "POST", "/api/v1/apps", body))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("want an error naming %s, got %v", want, err)
			}
			t.Log(err)
		})
	}

	t.Run("the spec alone rejects it", func(t *testing.T) {
		withoutException(t, "OIN catalog apps")
		err := v.Validate(create)
		if err == nil || !strings.Contains(err.Error(), `"/name"`) {
			t.Fatalf("want the spec's readOnly name error, got %v", err)
		}
	})
}

func TestCustomAppNameIsNotTreatedAsOIN(t *testing.T) {
	v := specValidator(t)
	// A bookmark app is a custom app: the spec's own schema applies, so a missing
	// required settings.app.url is reported.
	body := `{"name":"bookmark","label":"Docs","signOnMode":"BOOKMARK","settings":{"app":{}}}`
	if err := v.Validate(apiRequest(t, "POST", "/api/v1/apps", body)); err == nil || !strings.Contains(err.Error(), "url") {
		t.Fatalf("want the spec's error about settings.app.url, got %v", err)
	}
}

func TestNullNotesAreAcceptedOnlyThere(t *testing.T) {
	v := specValidator(t)
	good := `{"name":"bookmark","label":"Docs","signOnMode":"BOOKMARK",` +
		`"settings":{"app":{"url":"https://docs.example"},"notes":{"admin":null,"enduser":null}}}`
	r := apiRequest(t, "PUT", "/api/v1/apps/0oa1", good)
	if err := v.Validate(r); err != nil {
		t.Fatalf("null notes: %v", err)
	}
	bad := strings.Replace(good, `"label":"Docs"`, `"label":7`, 1)
	if err := v.Validate(apiRequest(t, "PUT", "/api/v1/apps/0oa1", bad)); err == nil || !strings.Contains(err.Error(), "/label") {
		t.Fatalf("null notes must not hide other problems, got %v", err)
	}
	t.Run("the spec alone rejects it", func(t *testing.T) {
		withoutException(t, "settings.notes.admin and settings.notes.enduser")
		if err := v.Validate(r); err == nil || !strings.Contains(err.Error(), "/notes/admin") {
			t.Fatalf("want the spec's error on notes, got %v", err)
		}
	})
}

func TestInboundProvisioningAmbiguousOneOf(t *testing.T) {
	v := specValidator(t)
	const path = "/api/v1/apps/0oa1/features/INBOUND_PROVISIONING"
	body := `{"importSettings":{"username":{"usernameFormat":"EMAIL"},"schedule":{"status":"DISABLED"}},` +
		`"importRules":{"userCreateAndMatch":{"exactMatchCriteria":"EMAIL","autoActivateNewUsers":false}}}`
	r := apiRequest(t, "PUT", path, body)
	if err := v.Validate(r); err != nil {
		t.Fatalf("INBOUND_PROVISIONING body: %v", err)
	}
	t.Run("still checked against the INBOUND_PROVISIONING schema", func(t *testing.T) {
		wrong := strings.Replace(body, `"EMAIL","autoActivateNewUsers"`, `"PHONE","autoActivateNewUsers"`, 1)
		if err := v.Validate(apiRequest(t, "PUT", path, wrong)); err == nil || !strings.Contains(err.Error(), "exactMatchCriteria") {
			t.Fatalf("want an error on exactMatchCriteria, got %v", err)
		}
		missing := `{"importSettings":{"username":{"usernameFormat":"EMAIL"}}}`
		if err := v.Validate(apiRequest(t, "PUT", path, missing)); err == nil || !strings.Contains(err.Error(), "importRules") {
			t.Fatalf("want an error on the missing importRules, got %v", err)
		}
	})
	t.Run("a USER_PROVISIONING body on INBOUND_PROVISIONING is reported", func(t *testing.T) {
		user := `{"create":{"lifecycleCreate":{"status":"ENABLED"}}}`
		if err := v.Validate(apiRequest(t, "PUT", path, user)); err == nil || !strings.Contains(err.Error(), `"/create"`) {
			t.Fatalf("want an error on /create, got %v", err)
		}
	})
	t.Run("the spec alone rejects it", func(t *testing.T) {
		withoutException(t, "no discriminator")
		if err := v.Validate(r); err == nil || !strings.Contains(err.Error(), "more than one") {
			t.Fatalf("want the spec's oneOf conflict, got %v", err)
		}
	})
}

func TestInboundProvisioningAsRealOktaWritesIt(t *testing.T) {
	v := specValidator(t)
	body := specExample(t, v, http.MethodPut, "/api/v1/apps/{appId}/features/{featureName}", "UpdateInboundProvisioningFeatureEx")
	if !strings.Contains(body, "userNameFormat") {
		t.Fatalf("the spec's example changed; revisit the exception: %s", body)
	}
	r := apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/INBOUND_PROVISIONING", body)
	if err := v.Validate(r); err != nil {
		t.Fatalf("the spec's own example: %v", err)
	}
	t.Run("the spec alone rejects it", func(t *testing.T) {
		withoutException(t, "userNameFormat")
		if err := v.Validate(r); err == nil || !strings.Contains(err.Error(), "userNameFormat") {
			t.Fatalf("want the spec's error on userNameFormat, got %v", err)
		}
	})
}

func TestReadOnlyAndNullFieldsAreNeverExcused(t *testing.T) {
	v := specValidator(t)
	for _, field := range readOnlyAppFields {
		body := oinAppBody("scim2testapp")
		body[field] = "x"
		for _, r := range []Request{
			apiRequest(t, "POST", "/api/v1/apps", body),
			apiRequest(t, "PUT", "/api/v1/apps/0oa1", body),
		} {
			if err := v.Validate(r); err == nil || !strings.Contains(err.Error(), `read-only field "`+field+`"`) {
				t.Errorf("%s with %s: want a read-only finding, got %v", r, field, err)
			}
		}
	}
}
