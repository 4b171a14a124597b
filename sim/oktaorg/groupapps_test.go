package oktaorg

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// nextLink is the path and query of an answer's Link rel="next" ("" when none).
func nextLink(t *testing.T, resp *http.Response) string {
	t.Helper()
	for _, l := range resp.Header.Values("Link") {
		target, params, _ := strings.Cut(l, ";")
		if strings.Contains(params, `rel="next"`) {
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			if err != nil {
				t.Fatal(err)
			}
			return u.RequestURI()
		}
	}
	return ""
}

// listAll follows Link pages from path, returning every item and the page count.
func listAll(t *testing.T, c *client, path string) ([]map[string]any, int) {
	t.Helper()
	var all []map[string]any
	pages := 0
	for path != "" {
		resp, b := c.do("GET", path, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		var items []map[string]any
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatalf("GET %s: not a list: %s", path, b)
		}
		all = append(all, items...)
		pages++
		path = nextLink(t, resp)
	}
	return all, pages
}

func TestGroupAppsListsTheGroupsAppsAsTheAppsListDoes(t *testing.T) {
	s, c := startOrg(t, Options{})
	eng := s.AddGroup("Engineering")
	other := s.AddGroup("Other")
	var assigned []string
	for i := 0; i < 30; i++ {
		id := s.AddApp(map[string]any{"name": "scim2testapp", "label": fmt.Sprintf("app %02d", i)})
		switch {
		case i%5 == 4:
			if err := s.AssignGroup(id, other); err != nil {
				t.Fatal(err)
			}
		default:
			if err := s.AssignGroup(id, eng); err != nil {
				t.Fatal(err)
			}
			assigned = append(assigned, id)
		}
	}
	// Default limit 20: 20 apps, then the rest on a next page.
	resp, b := c.do("GET", "/api/v1/groups/"+eng+"/apps", nil)
	var first []any
	if resp.StatusCode != 200 || json.Unmarshal(b, &first) != nil || len(first) != 20 || nextLink(t, resp) == "" {
		t.Fatalf("first page: %d, %d items, next %q", resp.StatusCode, len(first), nextLink(t, resp))
	}
	if resp.Header.Get("X-Rate-Limit-Remaining") == "" || Bucket("GET", "/api/v1/groups/"+eng+"/apps") != "/api/v1/groups" {
		t.Fatalf("rate-limit headers or bucket: %v", resp.Header)
	}
	got, pages := listAll(t, c, "/api/v1/groups/"+eng+"/apps")
	if pages != 1+1 || len(got) != len(assigned) {
		t.Fatalf("%d apps on %d pages, want %d on 2", len(got), pages, len(assigned))
	}
	for i, a := range got {
		if a["id"] != assigned[i] {
			t.Fatalf("app %d is %v, want %s (the org's order)", i, a["id"], assigned[i])
		}
		list := c.json("GET", "/api/v1/apps?filter="+url.QueryEscape(`id eq "`+assigned[i]+`"`), nil, 200).([]any)
		if len(list) != 1 || !reflect.DeepEqual(list[0], any(a)) {
			t.Fatalf("app %s differs from GET /api/v1/apps:\n%v\n%v", assigned[i], a, list)
		}
	}
	if got, pages := listAll(t, c, "/api/v1/groups/"+eng+"/apps?limit=200"); pages != 1 || len(got) != len(assigned) {
		t.Fatalf("limit=200: %d apps on %d pages", len(got), pages)
	}
	if got, _ := listAll(t, c, "/api/v1/groups/"+s.AddGroup("Nobody")+"/apps"); len(got) != 0 {
		t.Fatalf("a group without apps lists %d", len(got))
	}
	if v := c.json("GET", "/api/v1/groups/00gnope/apps", nil, 404); errorCode(t, v) != "E0000007" {
		t.Fatalf("unknown group: %v", v)
	}
	errorCode(t, c.json("POST", "/api/v1/groups/"+eng+"/apps", map[string]any{}, 405))
}

func TestGroupAppsMissingAnswersAsAnUnknownPath(t *testing.T) {
	s, c := startOrg(t, Options{Variants: map[string]string{VariantGroupApps: "missing"}})
	eng := s.AddGroup("Engineering")
	v := c.json("GET", "/api/v1/groups/"+eng+"/apps?limit=200", nil, 404).(map[string]any)
	unknown := c.json("GET", "/api/v1/groups/"+eng+"/nothing", nil, 404).(map[string]any)
	if errorCode(t, v) != errorCode(t, unknown) || v["errorSummary"] != strings.ReplaceAll(unknown["errorSummary"].(string), "/nothing", "/apps") {
		t.Fatalf("missing endpoint %v, unknown path %v", v, unknown)
	}
}

func TestGroupAppsInactiveVariant(t *testing.T) {
	for value, want := range map[string]int{"listed": 2, "omitted": 1} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, Options{Variants: map[string]string{VariantGroupAppsInactive: value}})
			g := s.AddGroup("Engineering")
			for _, label := range []string{"on", "off"} {
				id := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", label), 200).(map[string]any)["id"].(string)
				c.json("PUT", "/api/v1/apps/"+id+"/groups/"+g, map[string]any{}, 200)
				if label == "off" {
					c.json("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil, 200)
				}
			}
			if got, _ := listAll(t, c, "/api/v1/groups/"+g+"/apps"); len(got) != want {
				t.Fatalf("%d apps listed, want %d", len(got), want)
			}
		})
	}
}

func TestAssignmentExpandGroup(t *testing.T) {
	for _, value := range []string{"embedded", "ignored"} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, Options{Variants: map[string]string{VariantAssignmentExpand: value}})
			g := s.AddGroup("Engineering")
			id := c.json("POST", "/api/v1/apps", samlApp("scim2testapp", "E"), 200).(map[string]any)["id"].(string)
			put := c.json("PUT", "/api/v1/apps/"+id+"/groups/"+g, map[string]any{}, 200).(map[string]any)
			if _, ok := put["_embedded"]; ok {
				t.Fatalf("PUT answer embeds: %v", put)
			}
			group := c.json("GET", "/api/v1/groups/"+g, nil, 200)
			for _, path := range []string{"/api/v1/apps/" + id + "/groups", "/api/v1/apps/" + id + "/groups/" + g} {
				plain := c.json("GET", path, nil, 200)
				expanded := c.json("GET", path+"?expand=group", nil, 200)
				if l, ok := plain.([]any); ok {
					plain, expanded = l[0], expanded.([]any)[0]
				}
				if _, ok := plain.(map[string]any)["_embedded"]; ok {
					t.Fatalf("%s without expand embeds: %v", path, plain)
				}
				emb, ok := expanded.(map[string]any)["_embedded"]
				switch {
				case value == "ignored" && ok:
					t.Fatalf("%s: expand not ignored: %v", path, expanded)
				case value == "embedded" && !reflect.DeepEqual(emb, any(map[string]any{"group": group})):
					t.Fatalf("%s: _embedded %v, want the group %v", path, emb, group)
				}
			}
		})
	}
}

// TestGroupAppsAndExpandAnswerAsTheSpecSays validates the answers of the group's apps
// list and of the expanded assignments against the spec's response schemas.
func TestGroupAppsAndExpandAnswerAsTheSpecSays(t *testing.T) {
	router := specResponseChecker(t)
	s, c := startOrg(t, Options{})
	g := s.AddGroup("Spec group")
	call := func(method, path string, want int) {
		t.Helper()
		resp, b := c.do(method, path, nil)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		checkAnswer(t, router, method, strings.SplitN(path, "?", 2)[0], resp.StatusCode, b)
	}
	// Custom apps only: the spec models no OIN template app (okta-api.md §6).
	for _, app := range []map[string]any{customSAML("Spec SAML"), customSWA("Spec SWA"), customAutoLogin("Spec auto")} {
		id := c.json("POST", "/api/v1/apps", app, 200).(map[string]any)["id"].(string)
		c.json("PUT", "/api/v1/apps/"+id+"/groups/"+g, map[string]any{}, 200)
		call("GET", "/api/v1/apps/"+id+"/groups?expand=group&limit=200", 200)
		call("GET", "/api/v1/apps/"+id+"/groups/"+g+"?expand=group", 200)
	}
	call("GET", "/api/v1/groups/"+g+"/apps?limit=200", 200)
	call("GET", "/api/v1/groups/00gnope/apps", 404)
}
