package oktaorg

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/sim/scimserver"
)

// TestUsersAPIMatchesRecordedTraffic replays the recorded user and app-user traffic
// (create a user, read it, assign it to an app, read and list the assignment,
// unassign, DELETE twice) against the simulator, with a SAML app standing in for the
// recording's OIDC app, and compares status codes and JSON keys.
func TestUsersAPIMatchesRecordedTraffic(t *testing.T) {
	file := filepath.Join("..", "..", "..", "shared", "reference", "terraform-okta-vcr", "TestAccDataSourceOktaAppUserAssignments_read__oie-00.yaml")
	raw, err := os.ReadFile(file)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("recorded traffic not found beside the repo, and CI is set: %v", err)
		}
		t.Skip("recorded traffic not found beside the repo")
	}
	var c cassette
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	_, cl := startOrg(t, Options{})
	app := cl.json("POST", "/api/v1/apps", samlApp("scim2testapp", "users contract"), 200).(map[string]any)["id"].(string)
	ids := map[string]string{}
	userOrApp := regexp.MustCompile(`(00u|0oa)[A-Za-z0-9]{17}`)
	compared := 0
	for i, it := range c.Interactions {
		u := it.Request.URL
		path := u[strings.Index(u[len("https://"):], "/")+len("https://"):]
		path, query, _ := strings.Cut(path, "?")
		if !strings.HasPrefix(path, "/api/v1/users") && !regexp.MustCompile(`^/api/v1/apps/[^/]+/users`).MatchString(path) {
			continue
		}
		known := true
		path = userOrApp.ReplaceAllStringFunc(path, func(id string) string {
			if strings.HasPrefix(id, "0oa") {
				return app
			}
			if ids[id] == "" {
				known = false
			}
			return ids[id]
		})
		body := userOrApp.ReplaceAllStringFunc(it.Request.Body, func(id string) string {
			if v := ids[id]; v != "" {
				return v
			}
			return id
		})
		if !known {
			t.Fatalf("#%d %s %s: an id the replay has not seen", i, it.Request.Method, u)
		}
		target := path
		if query != "" {
			target += "?" + query
		}
		resp, got := cl.do(it.Request.Method, target, rawBody(body))
		where := it.Request.Method + " " + path
		if resp.StatusCode != it.Response.Code {
			t.Errorf("#%d %s: status %d, recorded %d: %s", i, where, resp.StatusCode, it.Response.Code, got)
			continue
		}
		if it.Request.Method == "POST" && path == "/api/v1/users" {
			ids[idOf(it.Response.Body)] = idOf(string(got))
		}
		if d := shapeDiff(it.Response.Body, string(got), shapeRules{}); d != "" {
			t.Errorf("#%d %s: %s\nrecorded %s\ngot      %s", i, where, d, it.Response.Body, got)
		}
		compared++
	}
	if compared < 10 {
		t.Fatalf("only %d user interactions compared", compared)
	}
}

// rawBody passes a recorded JSON body through unchanged (nil when empty).
type rawBody string

func (b rawBody) MarshalJSON() ([]byte, error) { return []byte(b), nil }

// TestProvisionerPushesUsers: assignment, profile change and unassignment reach the
// SCIM server after the delay, only for the capabilities that are on, with System Log
// events; a refused create is a FAILURE event with the server's answer as its reason.
func TestProvisionerPushesUsers(t *testing.T) {
	for _, variants := range []map[string]string{nil, Flipped()} {
		s, cl := startOrg(t, Options{ProvisioningDelay: 10 * time.Millisecond, Variants: variants})
		srv, err := scimserver.Start(scimserver.Options{Auth: scimserver.Auth{Mode: "bearer", Token: "t0k"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		app := cl.json("POST", "/api/v1/apps", samlApp("scim2testapp", "prov"), 200).(map[string]any)["id"].(string)
		if err := s.EnableProvisioning(context.Background(), app, ProvisioningSettings{BaseURL: srv.URL, AuthMode: "oauth", Token: "t0k", UserIDField: "userName"}); err != nil {
			t.Fatal(err)
		}
		cl.json("PUT", "/api/v1/apps/"+app+"/features/USER_PROVISIONING", map[string]any{"create": map[string]any{"lifecycleCreate": map[string]any{"status": "ENABLED"}},
			"update": map[string]any{"profile": map[string]any{"status": "ENABLED"}, "lifecycleDeactivate": map[string]any{"status": "ENABLED"}}}, 200)
		user := cl.json("POST", "/api/v1/users?activate=false", map[string]any{"profile": map[string]any{"login": "p@example.com", "email": "p@example.com", "firstName": "P", "lastName": "One"}}, 200).(map[string]any)
		id := user["id"].(string)
		if user["status"] != "STAGED" {
			t.Fatalf("activate=false: status %v", user["status"])
		}
		cl.json("POST", "/api/v1/users/"+id+"/lifecycle/activate?sendEmail=false", nil, 200)
		cl.json("POST", "/api/v1/apps/"+app+"/users", map[string]any{"id": id, "scope": "USER", "credentials": map[string]any{"userName": "p@example.com"}}, 200)
		scimUser := waitFor(t, func() map[string]any {
			for _, u := range srv.Users() {
				if u["userName"] == "p@example.com" {
					return u
				}
			}
			return nil
		})
		cl.json("POST", "/api/v1/users/"+id, map[string]any{"profile": map[string]any{"lastName": "Two"}}, 200)
		waitFor(t, func() map[string]any {
			for _, u := range srv.Users() {
				if u["id"] == scimUser["id"] && u["name"].(map[string]any)["familyName"] == "Two" {
					return u
				}
			}
			return nil
		})
		if resp, _ := cl.do("DELETE", "/api/v1/apps/"+app+"/users/"+id, nil); resp.StatusCode != 204 {
			t.Fatalf("unassign: %d", resp.StatusCode)
		}
		waitFor(t, func() map[string]any {
			for _, u := range srv.Users() {
				if u["id"] == scimUser["id"] && u["active"] == false {
					return u
				}
			}
			return nil
		})
		s.WaitProvisioning()
		events := map[string]int{}
		for _, e := range s.Logs() {
			if e["outcome"].(map[string]any)["result"] == "SUCCESS" {
				events[e["eventType"].(string)]++
			}
		}
		for _, want := range []string{"application.provision.user.push", "application.provision.user.push_profile", "application.provision.user.deactivate",
			"application.user_membership.add", "application.user_membership.remove", "user.lifecycle.create", "user.lifecycle.activate"} {
			if events[want] != 1 {
				t.Errorf("variants %v: %d %s events, want 1 (%v)", variants, events[want], want, events)
			}
		}
		// With create off, an assignment pushes nothing.
		cl.json("PUT", "/api/v1/apps/"+app+"/features/USER_PROVISIONING", map[string]any{"create": map[string]any{"lifecycleCreate": map[string]any{"status": "DISABLED"}}}, 200)
		other := cl.json("POST", "/api/v1/users", map[string]any{"profile": map[string]any{"login": "q@example.com", "email": "q@example.com", "firstName": "Q", "lastName": "One"}}, 200).(map[string]any)
		cl.json("POST", "/api/v1/apps/"+app+"/users", map[string]any{"id": other["id"]}, 200)
		time.Sleep(50 * time.Millisecond)
		s.WaitProvisioning()
		for _, u := range srv.Users() {
			if u["userName"] == "q@example.com" {
				t.Errorf("create is off, yet the user was pushed")
			}
		}
	}
}

func waitFor(t *testing.T, f func() map[string]any) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if v := f(); v != nil {
			return v
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("not pushed within 5s")
	return nil
}
