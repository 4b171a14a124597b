package oktaorg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/oktascim/oktascim/internal/openapicheck"
	"github.com/oktascim/oktascim/internal/reftest"
	"github.com/oktascim/oktascim/sim/scimserver"
)

func customSAML(label string) map[string]any {
	return map[string]any{"label": label, "signOnMode": "SAML_2_0", "settings": map[string]any{"signOn": map[string]any{
		"ssoAcsUrl": "https://sp.example/acs", "audience": "https://sp.example", "subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
		"attributeStatements": []any{map[string]any{"type": "EXPRESSION", "name": "email", "values": []any{"user.email"}},
			map[string]any{"type": "GROUP", "name": "groups", "filterType": "REGEX", "filterValue": ".*"}}}}}
}

func customSWA(label string) map[string]any {
	return map[string]any{"label": label, "name": "template_swa", "signOnMode": "BROWSER_PLUGIN", "settings": map[string]any{"app": map[string]any{
		"url": "https://sp.example/login", "usernameField": "#user", "passwordField": "#pass", "buttonField": "#go"}}}
}

func customAutoLogin(label string) map[string]any {
	return map[string]any{"label": label, "signOnMode": "AUTO_LOGIN", "settings": map[string]any{"signOn": map[string]any{
		"loginUrl": "https://sp.example/login", "redirectUrl": "https://sp.example/"}}}
}

func dig(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func startSCIM(t *testing.T, auth scimserver.Auth) *scimserver.Running {
	t.Helper()
	s, err := scimserver.Start(scimserver.Options{Version: "2.0", Auth: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestCustomSAMLAppLifecycle(t *testing.T) {
	_, c := startOrg(t, Options{Domain: "acme"})
	app := c.json("POST", "/api/v1/apps", customSAML("My SAML App!"), 200).(map[string]any)
	if ok, _ := regexp.MatchString(`^acme_mysamlapp_\d+$`, app["name"].(string)); !ok {
		t.Fatalf("name %v", app["name"])
	}
	signOn := dig(app, "settings", "signOn").(map[string]any)
	for k, want := range map[string]any{"ssoAcsUrl": "https://sp.example/acs", "audience": "https://sp.example", "recipient": "https://sp.example/acs",
		"destination": "https://sp.example/acs", "subjectNameIdTemplate": "${user.userName}", "responseSigned": true, "assertionSigned": true,
		"signatureAlgorithm": "RSA_SHA256", "digestAlgorithm": "SHA256", "honorForceAuthn": true,
		"authnContextClassRef": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
		"subjectNameIdFormat":  "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"} {
		if signOn[k] != want {
			t.Errorf("signOn.%s = %v, want %v", k, signOn[k], want)
		}
	}
	if st := signOn["attributeStatements"].([]any); len(st) != 2 || dig(st[0], "namespace") != "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified" {
		t.Errorf("attributeStatements %v", st)
	}
	kid, _ := dig(app, "credentials", "signing", "kid").(string)
	if kid == "" || dig(app, "_links", "metadata", "href") == nil || dig(app, "visibility", "appLinks", app["name"].(string)+"_link") != true {
		t.Fatalf("app %v", mustJSON(app))
	}
	id := app["id"].(string)
	// A second AIW app gets the next number.
	second := c.json("POST", "/api/v1/apps", customSAML("My SAML App!"), 200).(map[string]any)
	if second["name"] == app["name"] {
		t.Fatalf("names repeat: %v", second["name"])
	}
	// PUT replaces: what is not sent goes back to its default; the signing key stays.
	put := customSAML("Renamed")
	put["settings"].(map[string]any)["signOn"] = map[string]any{"ssoAcsUrl": "https://sp.example/acs2", "audience": "aud", "assertionSigned": false,
		"slo": map[string]any{"enabled": true, "issuer": "https://sp.example", "logoutUrl": "https://sp.example/logout"}}
	got := c.json("PUT", "/api/v1/apps/"+id, put, 200).(map[string]any)
	if got["name"] != app["name"] || got["label"] != "Renamed" || dig(got, "settings", "signOn", "recipient") != "https://sp.example/acs2" ||
		dig(got, "settings", "signOn", "assertionSigned") != false || len(dig(got, "settings", "signOn", "attributeStatements").([]any)) != 0 ||
		dig(got, "settings", "signOn", "spIssuer") != "https://sp.example" || dig(got, "credentials", "signing", "kid") != kid {
		t.Fatalf("put: %v", mustJSON(got))
	}
	if g := c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any); dig(g, "settings", "signOn", "audience") != "aud" {
		t.Fatalf("get after put: %v", dig(g, "settings", "signOn"))
	}
	errorCode(t, c.json("PUT", "/api/v1/apps/"+id, map[string]any{"label": "x", "name": "other", "signOnMode": "SAML_2_0"}, 400))
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	// Okta refuses to update an inactive App Integration Wizard app (recorded for AUTO_LOGIN).
	if code := errorCode(t, c.json("PUT", "/api/v1/apps/"+id, put, 400)); code != "E0000024" {
		t.Fatalf("code %s", code)
	}
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/activate", nil, 200)
	c.json("PUT", "/api/v1/apps/"+id, put, 200)
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	c.json("DELETE", "/api/v1/apps/"+id, nil, 204)
	errorCode(t, c.json("GET", "/api/v1/apps/"+id, nil, 404))
	errorCode(t, c.json("GET", "/api/v1/meta/schemas/apps/"+id+"/default", nil, 404))
}

func TestCustomSAMLAppRefusals(t *testing.T) {
	_, c := startOrg(t, Options{})
	signOn := func(edit func(m map[string]any)) map[string]any {
		b := customSAML("x")
		edit(b["settings"].(map[string]any)["signOn"].(map[string]any))
		return b
	}
	cases := map[string]map[string]any{
		"ssoAcsUrl":            signOn(func(m map[string]any) { delete(m, "ssoAcsUrl") }),
		"audience":             signOn(func(m map[string]any) { m["audience"] = "" }),
		"ssoAcsUrl: Not a":     signOn(func(m map[string]any) { m["ssoAcsUrl"] = "not a url" }),
		"recipient":            signOn(func(m map[string]any) { m["recipient"] = "ftp://x" }),
		"subjectNameIdFormat":  signOn(func(m map[string]any) { m["subjectNameIdFormat"] = "urn:nope" }),
		"signatureAlgorithm":   signOn(func(m map[string]any) { m["signatureAlgorithm"] = "RSA_MD5" }),
		"authnContextClassRef": signOn(func(m map[string]any) { m["authnContextClassRef"] = "x" }),
		"assertionSigned":      signOn(func(m map[string]any) { m["responseSigned"], m["assertionSigned"] = false, false }),
		"attributeStatements": signOn(func(m map[string]any) {
			m["attributeStatements"] = []any{map[string]any{"type": "GROUP", "name": "g"}}
		}),
		"honorForceAuthn": signOn(func(m map[string]any) { m["honorForceAuthn"] = "yes" }),
		"slo":             signOn(func(m map[string]any) { m["slo"] = map[string]any{"enabled": true} }),
		"label":           {"signOnMode": "SAML_2_0", "settings": customSAML("x")["settings"]},
		"signOnMode":      {"label": "x", "signOnMode": "WS_FEDERATION"},
		"url":             {"label": "x", "name": "template_swa", "signOnMode": "BROWSER_PLUGIN", "settings": map[string]any{"app": map[string]any{"usernameField": "a", "passwordField": "b", "buttonField": "c"}}},
		"buttonField":     {"label": "x", "name": "template_swa", "signOnMode": "BROWSER_PLUGIN", "settings": map[string]any{"app": map[string]any{"url": "https://a.example", "usernameField": "a", "passwordField": "b"}}},
		"loginUrl":        {"label": "x", "signOnMode": "AUTO_LOGIN", "settings": map[string]any{"signOn": map[string]any{}}},
		"credentials":     {"label": "x", "signOnMode": "AUTO_LOGIN", "credentials": map[string]any{"scheme": "NOPE"}, "settings": customAutoLogin("x")["settings"]},
	}
	for want, body := range cases {
		v := c.json("POST", "/api/v1/apps", body, 400)
		if errorCode(t, v) != "E0000001" || !strings.Contains(mustJSON(v), want) {
			t.Errorf("%s: %s", want, mustJSON(v))
		}
	}
	if got := c.json("GET", "/api/v1/apps", nil, 200).([]any); len(got) != 0 {
		t.Fatalf("refused apps were made: %v", got)
	}
}

func TestCustomSWAApps(t *testing.T) {
	_, c := startOrg(t, Options{})
	swa := c.json("POST", "/api/v1/apps", customSWA("Plugin SWA"), 200).(map[string]any)
	if swa["name"] != "template_swa" || dig(swa, "settings", "app", "buttonField") != "#go" || dig(swa, "credentials", "scheme") != "EDIT_USERNAME_AND_PASSWORD" ||
		dig(swa, "visibility", "appLinks", "login") != true || dig(swa, "settings", "app", "loginUrlRegex") != nil || dig(swa, "_links", "metadata") != nil {
		t.Fatalf("swa %v", mustJSON(swa))
	}
	id := swa["id"].(string)
	// template_swa apps can be updated while inactive (recorded).
	c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
	put := customSWA("Plugin SWA")
	put["settings"].(map[string]any)["app"].(map[string]any)["url"] = "https://sp.example/login2"
	if got := c.json("PUT", "/api/v1/apps/"+id, put, 200).(map[string]any); dig(got, "settings", "app", "url") != "https://sp.example/login2" || got["status"] != "INACTIVE" {
		t.Fatalf("put %v", mustJSON(got))
	}
	auto := c.json("POST", "/api/v1/apps?activate=false", customAutoLogin("Custom SWA"), 200).(map[string]any)
	if !strings.HasSuffix(auto["name"].(string), "_customswa_1") || dig(auto, "settings", "signOn", "loginUrl") != "https://sp.example/login" ||
		auto["status"] != "INACTIVE" || dig(auto, "credentials", "userNameTemplate", "template") != "${source.login}" {
		t.Fatalf("auto-login %v", mustJSON(auto))
	}
	errorCode(t, c.json("PUT", "/api/v1/apps/"+auto["id"].(string), customAutoLogin("Custom SWA"), 400))
}

// oauthServer is an authorization server that approves every authorization request
// for client "cid" and gives access token "tok" for code "the-code".
func oauthServer(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/authorize":
			q := r.URL.Query()
			if q.Get("client_id") != "cid" || q.Get("response_type") != "code" {
				w.WriteHeader(400)
				return
			}
			http.Redirect(w, r, q.Get("redirect_uri")+"?code=the-code&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
		case "/token":
			u, p, _ := r.BasicAuth()
			if u != "cid" || p != "secret" || r.FormValue("code") != "the-code" || r.FormValue("grant_type") != "authorization_code" {
				w.WriteHeader(401)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":3600}`))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestEnableSCIMOnCustomApp(t *testing.T) {
	s, c := startOrg(t, Options{ReadOnlyTokens: []string{"readonly-token-1234"}})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	app := c.json("POST", "/api/v1/apps", customSAML("Prod"), 200).(map[string]any)
	id := app["id"].(string)
	// No API turns SCIM on: the connection API answers UNKNOWN and changes nothing.
	conn := c.json("POST", "/api/v1/apps/"+id+"/connections/default?activate=true", map[string]any{"baseUrl": scim.URL, "profile": map[string]any{"authScheme": "TOKEN", "token": "t"}}, 200)
	if dig(conn, "status") != "UNKNOWN" {
		t.Fatalf("connection %v", conn)
	}
	c.json("GET", "/api/v1/apps/"+id+"/features", nil, 400)
	// Wrong credentials: the test fails and is logged; the General tab switch stays on.
	err := s.EnableSCIM(context.Background(), id, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "Bearer wrong"})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("want a 401 failure, got %v", err)
	}
	c.json("GET", "/api/v1/apps/"+id+"/features", nil, 400)
	if f := mustJSON(c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)["features"]); f != `["SCIM_PROVISIONING"]` {
		t.Fatalf("features after the switch only: %s", f)
	}
	logs := c.json("GET", "/api/v1/logs?filter="+urlq(`target.id eq "`+id+`" and eventType eq "application.configuration.update"`), nil, 200).([]any)
	if len(logs) != 1 || dig(logs[0], "outcome", "result") != "FAILURE" || strings.Contains(mustJSON(logs), "wrong") {
		t.Fatalf("logs %v", logs)
	}
	// Over HTTP, with the full token only.
	body := map[string]any{"baseUrl": scim.URL, "authMode": "header", "headerValue": "Bearer t",
		"actions": map[string]any{"pushNewUsers": true, "pushProfileUpdates": true, "pushGroups": true}}
	ro := &client{t: t, base: c.base, tok: "readonly-token-1234"}
	ro.json("POST", "/__sim/apps/"+id+"/scim", body, 401)
	c.json("POST", "/__sim/apps/"+id+"/scim", body, 204)
	list := c.json("GET", "/api/v1/apps/"+id+"/features", nil, 200).([]any)
	if len(list) != 1 || dig(list[0], "name") != "USER_PROVISIONING" {
		t.Fatalf("features without import: %v", list)
	}
	errorCode(t, c.json("GET", "/api/v1/apps/"+id+"/features/INBOUND_PROVISIONING", nil, 404))
	f := mustJSON(c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)["features"])
	for _, want := range []string{"SCIM_PROVISIONING", "PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "GROUP_PUSH"} {
		if !strings.Contains(f, want) {
			t.Errorf("features %s lack %s", f, want)
		}
	}
	if st, _ := s.Provisioning(id); !st.Enabled || st.UserIDField != "userName" || st.AuthMode != "header" {
		t.Fatalf("provisioning %+v", st)
	}
	// Importing adds INBOUND_PROVISIONING; basic and OAuth 2 authenticate as entered.
	basic := startSCIM(t, scimserver.Auth{Mode: "basic", Username: "u", Password: "p"})
	b := c.json("POST", "/api/v1/apps", customAutoLogin("Basic"), 200).(map[string]any)["id"].(string)
	if err := s.EnableSCIM(context.Background(), b, SCIMSettings{BaseURL: basic.URL, AuthMode: "basic", Username: "u", Password: "p",
		Actions: SCIMActions{ImportNewUsers: true}}); err != nil {
		t.Fatal(err)
	}
	if list := c.json("GET", "/api/v1/apps/"+b+"/features", nil, 200).([]any); len(list) != 2 {
		t.Fatalf("features with import: %v", list)
	}
	as := oauthServer(t)
	o := c.json("POST", "/api/v1/apps", customSAML("OAuth"), 200).(map[string]any)["id"].(string)
	oa := SCIMOAuth{TokenEndpoint: as.URL + "/token", AuthorizeEndpoint: as.URL + "/authorize", ClientID: "cid", ClientSecret: "wrong"}
	if err := s.EnableSCIM(context.Background(), o, SCIMSettings{BaseURL: scim.URL, AuthMode: "oauth2", OAuth: oa}); err == nil || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("a wrong client secret: %v", err)
	}
	oa.ClientSecret = "secret"
	scim.SetAuth(scimserver.Auth{Mode: "bearer", Token: "tok"})
	if err := s.EnableSCIM(context.Background(), o, SCIMSettings{BaseURL: scim.URL, AuthMode: "oauth2", OAuth: oa}); err != nil {
		t.Fatal(err)
	}
	// Template (SWA plugin) apps have no Provisioning: SCIM switch.
	swa := c.json("POST", "/api/v1/apps", customSWA("Plugin"), 200).(map[string]any)["id"].(string)
	if err := s.EnableSCIM(context.Background(), swa, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "x"}); err == nil {
		t.Fatal("template_swa took SCIM")
	}
}

func TestConnectionAPIOnCustomAppWhenAccepted(t *testing.T) {
	_, c := startOrg(t, Options{AcceptConnectionAPI: true})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	id := c.json("POST", "/api/v1/apps", customSAML("Conn"), 200).(map[string]any)["id"].(string)
	conn := c.json("POST", "/api/v1/apps/"+id+"/connections/default?activate=true", map[string]any{"baseUrl": scim.URL,
		"profile": map[string]any{"authScheme": "TOKEN", "token": "t"}}, 200)
	if dig(conn, "status") != "ENABLED" {
		t.Fatalf("connection %v", conn)
	}
	if f := mustJSON(c.json("GET", "/api/v1/apps/"+id, nil, 200).(map[string]any)["features"]); !strings.Contains(f, "SCIM_PROVISIONING") {
		t.Fatalf("features %s", f)
	}
}

// --- answers checked against Okta's OpenAPI spec ------------------------------------

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

// specResponseChecker validates the simulator's answers against the response schemas
// of Okta's published spec (internal/openapicheck checks requests only).
func specResponseChecker(t *testing.T) routers.Router {
	t.Helper()
	p := openapicheck.DefaultSpecPath()
	if p == "" {
		reftest.Missing(t, "Okta OpenAPI spec not found")
	}
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = false
		doc, err := loader.LoadFromFile(p)
		if err != nil {
			specErr = err
			return
		}
		doc.Servers = nil // route requests to 127.0.0.1
		for _, item := range doc.Paths.Map() {
			item.Servers = nil
		}
		specRouter, specErr = gorillamux.NewRouter(doc)
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specRouter
}

// responseExceptions are the places where the simulator answers as real Okta does and
// the spec says otherwise (the style of okta-api.md §6), each with its evidence. A
// problem is excused only for the named operations, at a JSON pointer matching at, with
// a message containing says.
var responseExceptions = []struct{ ops, at, says, reason string }{
	{appOps, `/settings/notes/(admin|enduser)`, "not nullable",
		"null in every recorded app answer (terraform-provider-okta cassettes); okta-api.md §6"},
	{appOps, `/accessibility/(errorRedirectUrl|loginRedirectUrl)`, "not nullable", "null in every recorded app answer"},
	{appOps, `/settings/notifications/vpn/(message|helpUrl)`, "not nullable", "null in every recorded app answer"},
	{appOps, `/settings/app/(loginUrlRegex|redirectUrl|checkbox)`, "not nullable",
		"template_swa's unset selectors come back null (TestAccResourceOktaAppSwaApplication_crud)"},
	{appOps, `/settings/signOn/(defaultRelayState|spIssuer)`, "not nullable",
		"null when unset (TestAccResourceOktaAppSaml_crud #0: spIssuer; pagerduty: defaultRelayState)"},
	{appOps, `/settings/signOn/redirectUrl`, "not nullable", "AUTO_LOGIN without a redirect URL; as the other unset URLs"},
	{"listFeaturesForApplication|getFeatureForApplication", `(/\d+)?/capabilities/importSettings/schedule/(fullImport|incrementalImport)`,
		"not nullable", "null schedules as recorded (TestAccDataSourceOktaAppFeatures_read); okta-api.md §6"},
	{"listFeaturesForApplication|getFeatureForApplication", `(/\d+)?/capabilities/importSettings/username/usernameFormat`, `"usernameFormat" is missing`,
		"recorded answers name it userNameFormat (TestAccDataSourceOktaAppFeatures_read); okta-api.md §6"},
}

const appOps = "getApplication|createApplication|replaceApplication"

var errorAt = regexp.MustCompile(`Error at "([^"]*)"`)

// listItemOps are list operations whose items are another operation's answer: an
// item is excused as that answer would be.
var listItemOps = map[string]string{"listAssignedApplicationsForGroup": "getApplication"}

var listIndex = regexp.MustCompile(`^/\d+`)

func excused(op string, err error) bool {
	msg := err.Error()
	m := errorAt.FindStringSubmatch(msg)
	if m == nil {
		return false
	}
	at := m[1]
	if single, ok := listItemOps[op]; ok {
		op, at = single, listIndex.ReplaceAllString(at, "")
	}
	for _, e := range responseExceptions {
		if regexp.MustCompile("^("+e.ops+")$").MatchString(op) && regexp.MustCompile("^"+e.at+"$").MatchString(at) && strings.Contains(msg, e.says) {
			return true
		}
	}
	return false
}

// checkAnswer validates one answer; problems are reported with the operation.
func checkAnswer(t *testing.T, router routers.Router, method, path string, status int, body []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://127.0.0.1"+path, nil)
	route, _, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: not in the spec: %v", method, path, err)
		return
	}
	op := route.Operation.OperationID
	ref := route.Operation.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		if ref = route.Operation.Responses.Default(); ref == nil || ref.Value == nil {
			t.Errorf("%s %s (%s): the spec documents no %d answer", method, path, op, status)
			return
		}
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		if len(bytes.TrimSpace(body)) > 0 && status != http.StatusNoContent {
			t.Errorf("%s %s (%s): a %d answer with a body the spec does not describe", method, path, op, status)
		}
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s (%s): not JSON: %s", method, path, op, body)
		return
	}
	err = mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.MultiErrors())
	if err == nil {
		return
	}
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		me = openapi3.MultiError{err}
	}
	for _, e := range flatten(me) {
		if !excused(op, e) {
			t.Errorf("%s %s (%s) %d: %v", method, path, op, status, firstLine(e.Error()))
		}
	}
}

func flatten(me openapi3.MultiError) []error {
	var out []error
	for _, e := range me {
		var inner openapi3.MultiError
		if errors.As(e, &inner) && len(inner) > 0 {
			out = append(out, flatten(inner)...)
			continue
		}
		out = append(out, e)
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

// TestNewEndpointsAnswerAsTheSpecSays drives every new endpoint, its refusals included,
// and validates each answer against the spec's response schema.
func TestNewEndpointsAnswerAsTheSpecSays(t *testing.T) {
	router := specResponseChecker(t)
	s, c := startOrg(t, Options{})
	scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
	call := func(method, path string, body any, want int) any {
		t.Helper()
		resp, b := c.do(method, path, body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		checkAnswer(t, router, method, strings.SplitN(path, "?", 2)[0], resp.StatusCode, b)
		var v any
		_ = json.Unmarshal(b, &v)
		return v
	}
	samlID := dig(call("POST", "/api/v1/apps", customSAML("Spec SAML"), 200), "id").(string)
	call("GET", "/api/v1/apps/"+samlID, nil, 200)
	call("PUT", "/api/v1/apps/"+samlID, customSAML("Spec SAML 2"), 200)
	call("POST", "/api/v1/apps", map[string]any{"label": "x", "signOnMode": "SAML_2_0"}, 400)
	swaID := dig(call("POST", "/api/v1/apps", customSWA("Spec SWA"), 200), "id").(string)
	call("GET", "/api/v1/apps/"+swaID, nil, 200)
	autoID := dig(call("POST", "/api/v1/apps", customAutoLogin("Spec auto"), 200), "id").(string)
	call("GET", "/api/v1/apps/"+autoID, nil, 200)

	call("GET", schemaPath(samlID), nil, 200)
	call("POST", schemaPath(samlID), customProp("costCode", map[string]any{"title": "Cost code", "type": "string", "enum": []any{"a"},
		"oneOf": []any{map[string]any{"const": "a", "title": "A"}}, "maxLength": 5}), 200)
	call("POST", schemaPath(samlID), customProp("bad", map[string]any{"type": "string"}), 400)
	call("GET", schemaPath("0oanope"), nil, 404)

	list := call("GET", "/api/v1/mappings?limit=200", nil, 200).([]any)
	var toApp string
	for _, m := range list {
		if dig(m, "target", "id") == samlID {
			toApp = dig(m, "id").(string)
		}
	}
	call("GET", "/api/v1/mappings/"+toApp, nil, 200)
	call("POST", "/api/v1/mappings/"+toApp, map[string]any{"properties": map[string]any{"costCode": map[string]any{"expression": "user.costCenter", "pushStatus": "PUSH"}}}, 200)
	call("POST", "/api/v1/mappings/"+toApp, map[string]any{"properties": map[string]any{"nope": map[string]any{"expression": "user.email"}}}, 400)
	call("GET", "/api/v1/mappings/prmnope", nil, 404)

	if err := s.EnableSCIM(context.Background(), samlID, SCIMSettings{BaseURL: scim.URL, AuthMode: "header", HeaderValue: "Bearer t",
		Actions: SCIMActions{PushGroups: true, ImportNewUsers: true}}); err != nil {
		t.Fatal(err)
	}
	call("GET", "/api/v1/apps/"+samlID, nil, 200)
	call("GET", "/api/v1/apps/"+samlID+"/features", nil, 200)
	g := s.AddGroup("Spec group")
	push := "/api/v1/apps/" + samlID + "/group-push/mappings"
	m := call("POST", push, map[string]any{"sourceGroupId": g, "targetGroupName": "Spec group"}, 201)
	call("POST", push, map[string]any{"sourceGroupId": g}, 400)
	call("GET", push, nil, 200)
	call("GET", push+"/"+dig(m, "id").(string), nil, 200)
	call("PATCH", push+"/"+dig(m, "id").(string), map[string]any{"status": "INACTIVE"}, 200)
	call("GET", push+"/gPmnope", nil, 404)
	call("DELETE", push+"/"+dig(m, "id").(string)+"?deleteTargetGroup=true", nil, 204)
	scim.SetAuth(scimserver.Auth{Mode: "bearer", Token: "other"})
	if m := call("POST", push, map[string]any{"sourceGroupId": g, "targetGroupName": "Spec group"}, 201); dig(m, "status") != "ERROR" {
		t.Fatalf("want ERROR: %v", m)
	}
	call("GET", push, nil, 200)
}
