package oktaorg

import (
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

// TestAppsAsRecorded: what the recorded traffic shows every app has — an orn, _links
// without self — and a SCIM template's own data: the <name>_login app link, SWA
// credentials with scheme, revealPassword and signing.
func TestAppsAsRecorded(t *testing.T) {
	_, c := startOrg(t, Options{})
	saml := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "S"), 200).(map[string]any)
	swa := c.json("POST", "/api/v1/apps", map[string]any{"name": "scim2headerauth", "label": "W", "signOnMode": "BROWSER_PLUGIN"}, 200).(map[string]any)
	custom := c.json("POST", "/api/v1/apps", customSAML("C"), 200).(map[string]any)
	for _, app := range []map[string]any{saml, swa, custom} {
		id, name := app["id"].(string), app["name"].(string)
		if app["orn"] != "orn:okta:idp:"+simOrgID+":apps:"+name+":"+id {
			t.Errorf("%s: orn %v", name, app["orn"])
		}
		links := app["_links"].(map[string]any)
		for _, k := range []string{"appLinks", "groups", "users", "logo", "uploadLogo", "policies", "accessPolicy", "profileEnrollment", "deactivate"} {
			if links[k] == nil {
				t.Errorf("%s: _links lacks %s", name, k)
			}
		}
		if links["self"] != nil || links["activate"] != nil {
			t.Errorf("%s: _links %v", name, links)
		}
	}
	if dig(saml, "visibility", "appLinks", "scim2testapp_login") != true || dig(saml, "_links", "help") == nil || dig(saml, "credentials", "signing", "kid") == nil {
		t.Errorf("SAML template %v", saml)
	}
	creds := swa["credentials"].(map[string]any)
	if creds["scheme"] != "EDIT_USERNAME_AND_PASSWORD" || creds["revealPassword"] != false || mustJSON(creds["signing"]) != "{}" ||
		dig(swa, "visibility", "appLinks", "scim2headerauth_login") != true || dig(swa, "_links", "help") != nil {
		t.Errorf("SWA template %v", swa)
	}
	id := saml["id"].(string)
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	links := c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)["_links"].(map[string]any)
	if links["activate"] == nil || links["deactivate"] != nil {
		t.Errorf("an inactive app's links %v", links)
	}
}

// TestFeaturePutsAsTheSpecSays: a feature PUT with a property the spec does not define
// is refused, and one of INBOUND_PROVISIONING needs importSettings and importRules; the
// INBOUND defaults are as recorded.
func TestFeaturePutsAsTheSpecSays(t *testing.T) {
	s, c := startOrg(t, Options{})
	id := templateWithProvisioning(t, s, c, startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"}))
	path := "/api/v1/apps/" + id + "/features/"
	before := mustJSON(c.json("GET", path+"USER_PROVISIONING", nil, 200))
	for _, body := range []map[string]any{
		{"create": map[string]any{"lifecycleCreate": map[string]any{"status": "ENABLED"}}, "pushGroups": true},
		{"update": map[string]any{"profile": map[string]any{"status": "ENABLED", "mode": "x"}}},
	} {
		errorCode(t, c.json("PUT", path+"USER_PROVISIONING", body, 400))
	}
	if after := mustJSON(c.json("GET", path+"USER_PROVISIONING", nil, 200)); after != before {
		t.Fatalf("a refused PUT changed the feature: %s", after)
	}
	in := c.json("GET", path+"INBOUND_PROVISIONING", nil, 200).(map[string]any)
	if in["description"] != "In-bound provisioning settings for provisioning users from an application to Okta" ||
		dig(in, "capabilities", "importSettings", "username", "userNameFormat") != "EMAIL" ||
		dig(in, "capabilities", "importRules", "userCreateAndMatch", "allowPartialMatch") != true {
		t.Errorf("INBOUND_PROVISIONING %v", in)
	}
	caps := in["capabilities"].(map[string]any)
	errorCode(t, c.json("PUT", path+"INBOUND_PROVISIONING", map[string]any{"importSettings": caps["importSettings"]}, 400))
	c.json("PUT", path+"INBOUND_PROVISIONING", caps, 200)
}

func TestEveryoneGroupExists(t *testing.T) {
	_, c := startOrg(t, Options{})
	got := c.json("GET", "/api/v1/groups?q=Everyone", nil, 200).([]any)
	if len(got) != 1 || dig(got[0], "type") != "BUILT_IN" || dig(got[0], "profile", "name") != "Everyone" {
		t.Fatalf("groups %v", got)
	}
	app := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "E"), 200).(map[string]any)["id"].(string)
	c.json("PUT", "/api/v1/apps/"+app+"/groups/"+dig(got[0], "id").(string), map[string]any{}, 200)
}
