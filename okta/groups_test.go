package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/scimserver"
)

// seedGroupApps adds n apps assigned to a new group (and one that is not) and returns
// the group and the assigned apps' ids, in the org's order.
func seedGroupApps(t *testing.T, s *oktaorg.Server, n int) (string, []string) {
	t.Helper()
	g := s.AddGroup(fmt.Sprintf("Group of %d", n))
	var ids []string
	for i := 0; i < n; i++ {
		id := s.AddApp(map[string]any{"name": "scim2testapp", "label": fmt.Sprintf("app %d", i)})
		if err := s.AssignGroup(id, g); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	s.AddApp(map[string]any{"name": "scim2testapp", "label": "not assigned"})
	return g, ids
}

func TestGroupAppIDsReadsEveryPage(t *testing.T) {
	s, c := startSim(t, oktaorg.Options{})
	for _, tc := range []struct{ apps, requests int }{{0, 1}, {25, 1}, {200, 1}, {205, 2}, {401, 3}} {
		g, want := seedGroupApps(t, s, tc.apps)
		before := c.Stats().Requests
		got, err := c.GroupAppIDs(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%d apps: got %d ids, want %d", tc.apps, len(got), len(want))
		}
		if n := c.Stats().Requests - before; n != int64(tc.requests) {
			t.Errorf("%d apps: %d requests, want %d (200 a page)", tc.apps, n, tc.requests)
		}
	}
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/apps") && strings.HasPrefix(r.Path, "/api/v1/groups/") && !strings.Contains(r.RawQuery, "limit=200") {
			t.Errorf("%s?%s does not ask for 200 a page", r.Path, r.RawQuery)
		}
	}
}

func TestGroupAppIDsUnknownGroupIsAnOrdinaryError(t *testing.T) {
	_, c := startSim(t, oktaorg.Options{})
	_, err := c.GroupAppIDs(context.Background(), "00gnope")
	if err == nil || errors.Is(err, ErrGroupAppsUnavailable) || !IsNotFound(err) {
		t.Fatalf("unknown group: %v", err)
	}
}

func TestGroupAppIDsWhereTheOrgDoesNotServeIt(t *testing.T) {
	s, c := startSim(t, oktaorg.Options{Variants: map[string]string{oktaorg.VariantGroupApps: "missing"}})
	g, _ := seedGroupApps(t, s, 3)
	_, err := c.GroupAppIDs(context.Background(), g)
	if !errors.Is(err, ErrGroupAppsUnavailable) {
		t.Fatalf("want ErrGroupAppsUnavailable, got %v", err)
	}
	// The fallback the engine takes: per-app reads still work.
	ids, err := c.AppGroupIDs(context.Background(), s.Apps()[0]["id"].(string))
	if err != nil || !slices.Equal(ids, []string{g}) {
		t.Fatalf("per-app read: %v %v", ids, err)
	}
}

// TestGroupAppIDsInactiveApps: under either group-apps-inactive value the ACTIVE apps
// are all listed; an inactive one is listed only under "listed" (so "not listed" is
// proof of nothing for an app that is not ACTIVE).
func TestGroupAppIDsInactiveApps(t *testing.T) {
	for _, value := range []string{"listed", "omitted"} {
		t.Run(value, func(t *testing.T) {
			s, c := startSim(t, oktaorg.Options{Variants: map[string]string{oktaorg.VariantGroupAppsInactive: value}})
			g, ids := seedGroupApps(t, s, 3)
			if err := s.MutateApp(ids[1], func(app map[string]any) { app["status"] = "INACTIVE" }); err != nil {
				t.Fatal(err)
			}
			got, err := c.GroupAppIDs(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{ids[0], ids[2]}
			if value == "listed" {
				want = ids
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func TestAppGroupsNamesEveryAssignment(t *testing.T) {
	for value, requests := range map[string]int{"embedded": 1, "ignored": 1 + 3} {
		t.Run(value, func(t *testing.T) {
			s, c := startSim(t, oktaorg.Options{Variants: map[string]string{oktaorg.VariantAssignmentExpand: value}})
			app := s.AddApp(map[string]any{"name": "scim2testapp", "label": "A"})
			want := map[string]string{}
			for _, name := range []string{"Engineering", "Support", "Sales"} {
				g := s.AddGroup(name)
				if err := s.AssignGroup(app, g); err != nil {
					t.Fatal(err)
				}
				want[g] = name
			}
			before := c.Stats().Requests
			got, err := c.AppGroups(context.Background(), app)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			if n := c.Stats().Requests - before; n != int64(requests) {
				t.Errorf("%d requests, want %d", n, requests)
			}
			empty := s.AddApp(map[string]any{"name": "scim2testapp", "label": "none"})
			if got, err := c.AppGroups(context.Background(), empty); err != nil || len(got) != 0 {
				t.Fatalf("no assignments: %v %v", got, err)
			}
		})
	}
}

func TestAppGroupsPages(t *testing.T) {
	s, c := startSim(t, oktaorg.Options{})
	app := s.AddApp(map[string]any{"name": "scim2testapp", "label": "A"})
	for i := 0; i < 230; i++ {
		if err := s.AssignGroup(app, s.AddGroup(fmt.Sprintf("g%03d", i))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.AppGroups(context.Background(), app)
	if err != nil || len(got) != 230 || c.Stats().Requests != 2 {
		t.Fatalf("%d groups in %d requests: %v", len(got), c.Stats().Requests, err)
	}
}

func TestAssignGroupReturnsTheAnswer(t *testing.T) {
	s, c := startSim(t, oktaorg.Options{})
	app := s.AddApp(map[string]any{"name": "scim2testapp", "label": "A"})
	eng, sup := s.AddGroup("Engineering"), s.AddGroup("Support")
	ctx := context.Background()
	a, err := c.AssignGroup(ctx, app, eng)
	if err != nil || a.ID != eng {
		t.Fatalf("%+v %v", a, err)
	}
	b, err := c.AssignGroup(ctx, app, sup)
	if err != nil || b.ID != sup || b.Priority == a.Priority {
		t.Fatalf("second assignment %+v (first %+v) %v", b, a, err)
	}
	again, err := c.AssignGroup(ctx, app, eng)
	if err != nil || again != a {
		t.Fatalf("re-assigning: %+v, want %+v (%v)", again, a, err)
	}
	if _, err := c.AssignGroup(ctx, app, "00gnope"); !IsNotFound(err) {
		t.Fatalf("unknown group: %v", err)
	}
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut && strings.TrimSpace(string(r.Body)) != "{}" {
			t.Errorf("PUT %s sent %q, want {} as recorded", r.Path, r.Body)
		}
	}
}

// TestEndpointMissingClassification: the answers that mean "this org does not serve
// GET /groups/{id}/apps" become ErrGroupAppsUnavailable; a missing group does not.
func TestEndpointMissingClassification(t *testing.T) {
	const okta = `{"errorCode":%q,"errorSummary":%q,"errorLink":"x","errorId":"oae1","errorCauses":[]}`
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		unavailable bool
	}{
		{"405 E0000022", 405, "application/json", fmt.Sprintf(okta, "E0000022", "The endpoint does not support the provided HTTP method"), true},
		{"404 E0000022", 404, "application/json", fmt.Sprintf(okta, "E0000022", "The endpoint does not support the provided HTTP method"), true},
		{"404 HTML page", 404, "text/html", "<html><body>Not Found</body></html>", true},
		{"404 empty", 404, "", "", true},
		{"405 empty", 405, "", "", true},
		{"404 JSON without an Okta code", 404, "application/json", `{"message":"no route"}`, true},
		{"404 unknown path", 404, "application/json", fmt.Sprintf(okta, "E0000007", "Not found: Resource not found: /api/v1/groups/00g1/apps (Resource)"), true},
		{"404 unknown group", 404, "application/json", fmt.Sprintf(okta, "E0000007", "Not found: Resource not found: 00g1 (UserGroup)"), false},
		{"403", 403, "application/json", fmt.Sprintf(okta, "E0000006", "You do not have permission to perform the requested action"), false},
		{"500", 500, "application/json", fmt.Sprintf(okta, "E0000009", "Internal Server Error"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := hostile(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}, 0)
			_, err := c.GroupAppIDs(context.Background(), "00g1")
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrGroupAppsUnavailable); got != tc.unavailable {
				t.Fatalf("unavailable = %v, want %v: %v", got, tc.unavailable, err)
			}
		})
	}
}

func TestSetTokenConnectionReturnsTheAnswer(t *testing.T) {
	scim, err := scimserver.Start(scimserver.Options{Version: "2.0", Auth: scimserver.Auth{Mode: "bearer", Token: "tok-123456"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { scim.Close() })
	for value, want := range map[string]Connection{
		"accepted": {Status: "ENABLED", AuthScheme: "TOKEN", BaseURL: scim.URL},
		"unknown":  {Status: "UNKNOWN", AuthScheme: "UNKNOWN"},
	} {
		t.Run(value, func(t *testing.T) {
			s, c := startSim(t, oktaorg.Options{Variants: map[string]string{oktaorg.VariantConnectionAPI: value}})
			app := s.AddApp(map[string]any{"name": "scim2testapp", "label": "A"})
			got, err := c.SetTokenConnection(context.Background(), app, scim.URL, "tok-123456")
			if err != nil || got != want {
				t.Fatalf("got %+v, want %+v (%v)", got, want, err)
			}
			read, err := c.GetConnection(context.Background(), app)
			if err != nil || read != got {
				t.Fatalf("the answer %+v differs from a re-read %+v (%v)", got, read, err)
			}
		})
	}
}

// TestConnectionAuthSchemeFromProfile: the top-level authScheme is only returned for
// TOKEN (the spec); an OAUTH2 connection names its scheme in profile only.
func TestConnectionAuthSchemeFromProfile(t *testing.T) {
	c := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ENABLED","profile":{"authScheme":"OAUTH2"},"_links":{}}`))
	}, 0)
	got, err := c.GetConnection(context.Background(), "0oa1")
	if err != nil || got != (Connection{Status: "ENABLED", AuthScheme: "OAUTH2"}) {
		t.Fatalf("%+v %v", got, err)
	}
}
