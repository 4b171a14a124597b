package oktaorg

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

// consoleSite is an org served with its console, and a browser-like client that does
// not follow redirects (the tests look at each answer).
type consoleSite struct {
	t    *testing.T
	org  *Org
	url  string
	api  *client
	http *http.Client
}

func startConsole(t *testing.T) *consoleSite {
	t.Helper()
	org := New(Options{Token: token})
	srv := httptest.NewServer(org.WithConsole())
	t.Cleanup(srv.Close)
	return &consoleSite{t: t, org: org, url: srv.URL, api: &client{t: t, base: srv.URL, tok: token},
		http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (s *consoleSite) get(path string) (int, string) {
	s.t.Helper()
	resp, err := s.http.Get(s.url + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *consoleSite) post(path string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	resp, err := s.http.PostForm(s.url+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf reads the form token from the app's page.
func (s *consoleSite) csrf(page string) string {
	s.t.Helper()
	_, body := s.get(page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no form token on %s:\n%s", page, body)
	}
	return m[1]
}

func textOf(body, id string) string {
	m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestConsoleTemplateAppProvisioning(t *testing.T) {
	s := startConsole(t)
	scim := startSCIM(t, scimserver.Auth{Mode: "header", Token: "Bearer s3cret-scim"})
	app := s.api.json("POST", "/api/v1/apps", map[string]any{"name": "scim2headerauth", "label": "Acme", "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{"acsUrl": "https://acme.example/acs", "audienceUri": "https://acme.example"}}}, 200).(map[string]any)
	id := app["id"].(string)
	page := "/admin/app/scim2headerauth/instance/" + id + "/"

	if code, body := s.get("/admin/apps/active"); code != 200 || !strings.Contains(body, `data-app-id="`+id+`"`) || !strings.Contains(body, ">off</a>") {
		t.Fatalf("apps list: %d\n%s", code, body)
	}
	code, body := s.get(page)
	for _, want := range []string{`id="tab-general"`, `id="tab-provisioning"`, "Enable API integration", "Test API Credentials", `name="token"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("app page: %d, no %q\n%s", code, want, body)
		}
	}
	csrf := s.csrf(page)
	form := url.Values{"csrf": {csrf}, "enable": {"on"}, "baseUrl": {scim.URL}, "userIdField": {"userName"}, "authMode": {"header"},
		"token": {"Bearer wrong"}, "pushNewUsers": {"on"}, "pushProfileUpdates": {"on"}, "pushGroups": {"on"}}

	// Test API Credentials with a wrong token: the SCIM server's 401, nothing saved.
	form.Set("action", "test")
	resp, body := s.post(page+"provisioning", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(body, "error"), "401") {
		t.Fatalf("test with a wrong token: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	if !strings.Contains(body, `value="`+scim.URL+`"`) {
		t.Error("the form lost the base URL entered")
	}
	// Save with it: Okta tests the credentials first and saves nothing.
	form.Set("action", "save")
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(body, "error"), "401") {
		t.Fatalf("save with a wrong token: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	if p, _ := s.org.Provisioning(id); p.Enabled {
		t.Fatal("a failed credential test saved the connection")
	}
	// The right token: Test succeeds, Save turns provisioning on and redirects to the tab.
	form.Set("token", "Bearer s3cret-scim")
	form.Set("action", "test")
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != 200 || textOf(body, "notice") != "Acme was verified successfully!" {
		t.Fatalf("test: %d %q %q", resp.StatusCode, textOf(body, "notice"), textOf(body, "error"))
	}
	if p, _ := s.org.Provisioning(id); p.Enabled {
		t.Fatal("Test API Credentials saved the connection")
	}
	form.Set("action", "save")
	resp, _ = s.post(page+"provisioning", form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"#tab-provisioning" {
		t.Fatalf("save: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	p, _ := s.org.Provisioning(id)
	want := ProvisioningState{Enabled: true, BaseURL: scim.URL, AuthMode: "header", UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true, PushGroups: true}
	if p != want {
		t.Fatalf("provisioning after save: %+v, want %+v", p, want)
	}
	// The Provisioning Connection API state Okta derives from it: features are readable.
	s.api.json("GET", "/api/v1/apps/"+id+"/features", nil, 200)
	_, body = s.get(page)
	if textOf(body, "notice") != "Saved: provisioning is on." || strings.Contains(body, "s3cret-scim") {
		t.Fatalf("page after save: notice %q; the page must not show the saved token", textOf(body, "notice"))
	}
	if _, again := s.get(page); textOf(again, "notice") != "" {
		t.Error("the notice shows more than once")
	}
	if _, list := s.get("/admin/apps/active"); !strings.Contains(list, ">on: "+scim.URL+"</a>") {
		t.Errorf("apps list does not show provisioning on:\n%s", list)
	}
	var results []string
	for _, e := range s.org.Logs() {
		if e["eventType"] == "application.configuration.update" {
			results = append(results, dig(e, "outcome", "result").(string))
		}
	}
	if strings.Join(results, ",") != "FAILURE,SUCCESS" {
		t.Errorf("configuration.update events %v, want the failed save then the good one (a Test logs nothing)", results)
	}
	// Editing only the actions: the token left blank, Okta keeps the saved one.
	form.Set("token", "")
	form.Del("pushGroups")
	form.Set("importUsers", "on")
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with the token left blank: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	want.PushGroups, want.ImportUsers = false, true
	if p, _ := s.org.Provisioning(id); p != want {
		t.Fatalf("provisioning after editing the actions: %+v, want %+v", p, want)
	}
	// Unchecking Enable API integration and saving turns it off.
	form.Del("enable")
	if resp, _ = s.post(page+"provisioning", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if p, _ := s.org.Provisioning(id); p.Enabled {
		t.Error("still enabled after Save with Enable API integration unchecked")
	}
}

func TestConsoleCustomAppSCIM(t *testing.T) {
	s := startConsole(t)
	scim := startSCIM(t, scimserver.Auth{Mode: "basic", Username: "okta", Password: "pw-123"})
	app := s.api.json("POST", "/api/v1/apps", customSAML("HR"), 200).(map[string]any)
	id, name := app["id"].(string), app["name"].(string)
	page := "/admin/app/" + name + "/instance/" + id + "/"
	csrf := s.csrf(page)
	form := url.Values{"csrf": {csrf}, "baseUrl": {scim.URL}, "userIdField": {"userName"}, "authMode": {"basic"},
		"username": {"okta"}, "password": {"pw-123"}, "pushNewUsers": {"on"}, "importGroups": {"on"}, "action": {"save"}}

	_, body := s.get(page)
	if !strings.Contains(body, "set Provisioning to SCIM and Save first") || strings.Contains(body, `id="provisioning-form"`) {
		t.Fatalf("a custom app without SCIM shows a connection form:\n%s", body)
	}
	if resp, body := s.post(page+"provisioning", form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(body, "error"), "General tab") {
		t.Fatalf("provisioning before SCIM is on: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	resp, _ := s.post(page+"general", url.Values{"csrf": {csrf}, "provisioning": {"scim"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"#tab-general" {
		t.Fatalf("general save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = s.get(page)
	for _, want := range []string{"SCIM connector base URL", "Test Connector Configuration", "Import Groups", `<option value="oauth2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("custom app's Provisioning tab has no %q", want)
		}
	}
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	p, _ := s.org.Provisioning(id)
	if !p.Enabled || p.AuthMode != "basic" || !p.PushNewUsers || p.PushProfileUpdates {
		t.Fatalf("provisioning after save: %+v", p)
	}
	// Blank credentials keep the saved ones; wrong ones are tested and refused.
	form.Del("username")
	form.Del("password")
	form.Set("pushProfileUpdates", "on")
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with blank credentials: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	if p, _ := s.org.Provisioning(id); !p.PushProfileUpdates {
		t.Errorf("the edited action was not saved: %+v", p)
	}
	form.Set("username", "okta")
	form.Set("password", "wrong")
	if resp, body = s.post(page+"provisioning", form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(textOf(body, "error"), "401") {
		t.Fatalf("save with a wrong password: %d %q", resp.StatusCode, textOf(body, "error"))
	}
	s.org.mu.Lock()
	importGroups := s.org.cx().apps[id].importGroups
	s.org.mu.Unlock()
	if !importGroups {
		t.Error("Import Groups checked but not saved")
	}
	s.api.json("GET", "/api/v1/apps/"+id+"/features", nil, 200)
}

// TestConsoleRefusesForeignPosts: a post without the page's form token (another web
// page in the same browser) or to a host name that is not loopback changes nothing.
func TestConsoleRefusesForeignPosts(t *testing.T) {
	s := startConsole(t)
	scim := startSCIM(t, scimserver.Auth{Mode: "header", Token: "tok"})
	id := s.org.AddApp(map[string]any{"name": "scim2headerauth", "label": "X"})
	page := "/admin/app/scim2headerauth/instance/" + id + "/"
	form := url.Values{"enable": {"on"}, "baseUrl": {scim.URL}, "authMode": {"header"}, "token": {"tok"}, "action": {"save"}}
	if resp, _ := s.post(page+"provisioning", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("post without the form token: %d, want 403", resp.StatusCode)
	}
	form.Set("csrf", s.csrf(page))
	req, _ := http.NewRequest(http.MethodPost, s.url+page+"provisioning", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "rebound.example:80"
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("post with Host rebound.example: %d, want 421", resp.StatusCode)
	}
	if p, _ := s.org.Provisioning(id); p.Enabled {
		t.Fatal("a refused post enabled provisioning")
	}
	if code, _ := s.get("/admin/app/scim2testapp/instance/" + id + "/"); code != http.StatusNotFound {
		t.Errorf("an app page under another app name: %d, want 404", code)
	}
	// The API is untouched by the console: no console request is recorded as an API call.
	for _, r := range s.org.Requests() {
		if IsConsolePath(r.Path) {
			t.Errorf("console request recorded as an API request: %s %s", r.Method, r.Path)
		}
	}
}

// TestConsoleTestLogVariant: a failed Test leaves no System Log event by default and an
// application.configuration.update FAILURE under console-test-log=failure.
func TestConsoleTestLogVariant(t *testing.T) {
	for value, want := range map[string]int{"none": 0, "failure": 1} {
		t.Run(value, func(t *testing.T) {
			org := New(Options{Token: token, Variants: map[string]string{VariantConsoleTestLog: value}})
			srv := httptest.NewServer(org.WithConsole())
			defer srv.Close()
			s := &consoleSite{t: t, org: org, url: srv.URL, http: srv.Client()}
			scim := startSCIM(t, scimserver.Auth{Mode: "header", Token: "good"})
			id := org.AddApp(map[string]any{"name": "scim2headerauth", "label": "X"})
			page := "/admin/app/scim2headerauth/instance/" + id + "/"
			form := url.Values{"csrf": {s.csrf(page)}, "baseUrl": {scim.URL}, "authMode": {"header"}, "token": {"bad"}, "action": {"test"}}
			if resp, _ := s.post(page+"provisioning", form); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("test with a bad token: %d", resp.StatusCode)
			}
			got := 0
			for _, e := range org.Logs() {
				if e["eventType"] == "application.configuration.update" && dig(e, "outcome", "result") == "FAILURE" {
					got++
				}
			}
			if got != want {
				t.Errorf("configuration.update failures after a failed Test: %d, want %d", got, want)
			}
		})
	}
}
