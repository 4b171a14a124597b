package openapicheck

import (
	"net/http"
	"strings"
	"testing"
)

// Errors are meant for logs and test output: they must never quote a secret, wherever
// in the request it sits.
func TestErrorsNeverQuoteSecrets(t *testing.T) {
	v := specValidator(t)
	basic := apiRequest(t, "GET", "/api/v1/apps", nil)
	basic.Header.Set("Authorization", "Basic "+testToken)

	oin := oinAppBody("scim2testapp")
	oin["signOnMode"] = testToken // fails an enum in the OIN schema

	cases := map[string]Request{
		"wrong auth scheme": basic,
		"token in a field of the wrong type": apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default",
			map[string]any{"profile": map[string]any{"authScheme": "TOKEN", "token": map[string]any{"value": testToken}}}),
		"token as an enum value": apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default",
			map[string]any{"profile": map[string]any{"authScheme": testToken}}),
		"token in the OIN app schema": apiRequest(t, "POST", "/api/v1/apps", oin),
		"token in an undocumented property": apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING",
			map[string]any{"secret": testToken}),
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			err := v.Validate(r)
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatalf("error quotes the token: %v", err)
			}
		})
	}
}

func TestExceptionsNeverExcuseParametersOrSecurity(t *testing.T) {
	v := specValidator(t)
	r := apiRequest(t, "POST", "/api/v1/apps?activate=maybe&features=SCIM_PROVISIONING", oinAppBody("scim2testapp"))
	r.Header.Del("Authorization")
	err := v.Validate(r)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{`"activate"`, `query parameter "features"`, "SSWS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

func TestBodiesTheSpecDoesNotDescribe(t *testing.T) {
	v := specValidator(t)
	cases := map[string]struct {
		r    Request
		want string
	}{
		"body where none is documented": {apiRequest(t, "POST", "/api/v1/apps/0oa1/lifecycle/activate", `{"force":true}`), "no request body"},
		"body that is not JSON":         {apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING", `create=ENABLED`), "body"},
		"JSON sent as form": {func() Request {
			r := apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default", `{"profile":{"authScheme":"TOKEN"}}`)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}(), "Content-Type"},
		"required body missing": {apiRequest(t, http.MethodPut, "/api/v1/apps/0oa1/features/USER_PROVISIONING", nil), "body"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := v.Validate(c.r)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error mentioning %q, got %v", c.want, err)
			}
			t.Log(err)
		})
	}
}
