package oktaorg

import (
	"reflect"
	"sort"
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// write-answers: under minimal the connection POST answers only what the spec
// requires (status, profile) and a push write only the mapping's id, under bare
// nothing of the mapping; reads answer in full whatever the value, and what the
// writes stored is the same.
func TestWriteAnswersVariant(t *testing.T) {
	for _, value := range []string{"full", "minimal", "bare"} {
		t.Run(value, func(t *testing.T) {
			s, c := startOrg(t, Options{AcceptConnectionAPI: true, Variants: map[string]string{VariantWriteAnswers: value}})
			scim := startSCIM(t, scimserver.Auth{Mode: "bearer", Token: "t"})
			id := c.json("POST", "/api/v1/apps", customSAML("Conn"), 200).(map[string]any)["id"].(string)
			conn := c.json("POST", "/api/v1/apps/"+id+"/connections/default?activate=true", map[string]any{"baseUrl": scim.URL,
				"profile": map[string]any{"authScheme": "TOKEN", "token": "t"}}, 200).(map[string]any)
			read := c.json("GET", "/api/v1/apps/"+id+"/connections/default", nil, 200).(map[string]any)
			if read["baseUrl"] != scim.URL || read["status"] != "ENABLED" || read["authScheme"] != "TOKEN" {
				t.Fatalf("connection as read: %v", read)
			}
			want := []string{"_links", "authScheme", "baseUrl", "profile", "status"}
			if value != "full" {
				want = []string{"_links", "profile", "status"}
			}
			if got := keys(conn); !reflect.DeepEqual(got, want) || conn["status"] != "ENABLED" {
				t.Fatalf("connection answer %v, want keys %v", conn, want)
			}

			app := pushApp(t, s, c, scim, SCIMActions{PushNewUsers: true, PushGroups: true})
			path := "/api/v1/apps/" + app + "/group-push/mappings"
			created := c.json("POST", path, map[string]any{"sourceGroupId": s.AddGroup("Engineering"), "targetGroupName": "Eng"}, 201).(map[string]any)
			pushID := c.json("GET", path, nil, 200).([]any)[0].(map[string]any)["id"].(string)
			patched := c.json("PATCH", path+"/"+pushID, map[string]any{"status": "INACTIVE"}, 200).(map[string]any)
			read = c.json("GET", path+"/"+pushID, nil, 200).(map[string]any)
			if read["status"] != "INACTIVE" || read["sourceGroupId"] == nil {
				t.Fatalf("push as read: %v", read)
			}
			for what, got := range map[string]map[string]any{"create": created, "status change": patched} {
				want := keys(read)
				switch value {
				case "minimal":
					want = []string{"_links", "id"}
				case "bare":
					want = []string{}
				}
				if !reflect.DeepEqual(keys(got), want) || value != "bare" && got["id"] != read["id"] {
					t.Fatalf("push %s answer %v, want keys %v", what, got, want)
				}
			}
		})
	}
}
