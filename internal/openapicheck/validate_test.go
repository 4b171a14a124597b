package openapicheck

import (
	"strings"
	"testing"
)

func TestValidRequestsPass(t *testing.T) {
	v := specValidator(t)
	put := oinAppBody("scim2headerauth")
	put["settings"].(map[string]any)["notes"] = map[string]any{"admin": "managed by oktascim", "enduser": "Ask IT"}
	cases := []struct {
		name string
		r    Request
	}{
		{"list apps by q with paging", apiRequest(t, "GET", "/api/v1/apps?q=Acme&limit=200&after=16278919418571", nil)},
		{"list apps by name filter", apiRequest(t, "GET", `/api/v1/apps?filter=name+eq+%22scim2testapp%22&limit=200`, nil)},
		{"get app", apiRequest(t, "GET", "/api/v1/apps/0oa1gjh63g214q0Hq0g4", nil)},
		{"create OIN app by name", apiRequest(t, "POST", "/api/v1/apps?activate=true", oinAppBody("scim2testapp"))},
		{"replace app from intended fields", apiRequest(t, "PUT", "/api/v1/apps/0oa1gjh63g214q0Hq0g4", put)},
		{"activate app", apiRequest(t, "POST", "/api/v1/apps/0oa1/lifecycle/activate", nil)},
		{"list features", apiRequest(t, "GET", "/api/v1/apps/0oa1/features", nil)},
		{"get user provisioning", apiRequest(t, "GET", "/api/v1/apps/0oa1/features/USER_PROVISIONING", nil)},
		{"update user provisioning partially", apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING",
			`{"create":{"lifecycleCreate":{"status":"ENABLED"}},"update":{"profile":{"status":"ENABLED"}}}`)},
		{"update user provisioning with password sync", apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING",
			`{"update":{"lifecycleDeactivate":{"status":"DISABLED"},"password":{"status":"ENABLED","seed":"RANDOM","change":"KEEP_EXISTING"}}}`)},
		{"get connection", apiRequest(t, "GET", "/api/v1/apps/0oa1/connections/default", nil)},
		{"set token connection", apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default?activate=true",
			map[string]any{"baseUrl": "https://scim.example/scim/v2", "profile": map[string]any{"authScheme": "TOKEN", "token": testToken}})},
		{"activate connection", apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default/lifecycle/activate", nil)},
		{"find group", apiRequest(t, "GET", "/api/v1/groups?q=Engineering", nil)},
		{"assign group", apiRequest(t, "PUT", "/api/v1/apps/0oa1/groups/00g1", `{}`)},
		{"assign group without body", apiRequest(t, "PUT", "/api/v1/apps/0oa1/groups/00g1", nil)},
		{"system log", apiRequest(t, "GET", `/api/v1/logs?since=2026-01-02T03:04:05Z&filter=target.id+eq+%220oa1%22&sortOrder=DESCENDING&limit=1000`, nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := v.Validate(c.r); err != nil {
				t.Errorf("want valid, got:\n%v", err)
			}
		})
	}
}

func TestInvalidRequestsFailWithUsefulMessage(t *testing.T) {
	v := specValidator(t)
	withReadOnly := oinAppBody("scim2testapp")
	withReadOnly["id"] = "0oa1"
	withReadOnly["_links"] = map[string]any{"self": map[string]any{"href": "https://x/api/v1/apps/0oa1"}}
	cases := []struct {
		name string
		r    Request
		want []string // substrings of the message
	}{
		{"unknown path", apiRequest(t, "GET", "/api/v1/nope", nil), []string{"GET /api/v1/nope", "no such path"}},
		{"wrong method", apiRequest(t, "DELETE", "/api/v1/logs", nil), []string{"no DELETE on /api/v1/logs", "GET"}},
		{"limit as a string", apiRequest(t, "GET", "/api/v1/apps?limit=many", nil), []string{"listApplications", `"limit"`}},
		{"limit over maximum", apiRequest(t, "GET", "/api/v1/apps?limit=500", nil), []string{"listApplications", `"limit"`}},
		{"undocumented query parameter", apiRequest(t, "GET", "/api/v1/apps?name=scim2testapp", nil), []string{`query parameter "name"`}},
		{"PUT app with id and _links", apiRequest(t, "PUT", "/api/v1/apps/0oa1", withReadOnly),
			[]string{"replaceApplication", `read-only field "id"`, `read-only field "_links"`}},
		{"connection with BASIC auth", apiRequest(t, "POST", "/api/v1/apps/0oa1/connections/default",
			map[string]any{"profile": map[string]any{"authScheme": "BASIC", "token": testToken}}),
			[]string{"updateDefaultProvisioningConnectionForApplication", "/profile/authScheme", `["TOKEN"]`}},
		{"features PUT with unknown capability", apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING",
			`{"create":{"lifecycleCreate":{"status":"ENABLED"}},"delete":{"status":"ENABLED"}}`),
			[]string{"updateFeatureForApplication", `"/delete"`}},
		{"unknown feature name", apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/SCIM_PROVISIONING", `{}`),
			[]string{"updateFeatureForApplication", `"featureName"`}},
		{"capability status not an enum value", apiRequest(t, "PUT", "/api/v1/apps/0oa1/features/USER_PROVISIONING",
			`{"create":{"lifecycleCreate":{"status":"ON"}}}`), []string{"updateFeatureForApplication", "status"}},
		{"no token", Request{Method: "GET", Path: "/api/v1/apps"}, []string{"SSWS"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := v.Validate(c.r)
			if err == nil {
				t.Fatal("want an error, got none")
			}
			msg := err.Error()
			t.Logf("%s", msg)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q", w)
				}
			}
			if strings.Contains(msg, testToken) {
				t.Errorf("message leaks the token")
			}
		})
	}
}
