package conformance

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/scimserver"
)

// The reference copies of Okta's suites (shared data, not part of the repo); the tests
// that compare against them skip when they are absent.
const referenceDir = "../../../shared/reference/okta-scim-runscope"

var allFiles = []string{FileSPEC20, FileSPEC11, FileCRUD20, FileCRUD11}

func readReference(t *testing.T, file string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(referenceDir, file))
	if err != nil {
		t.Skipf("reference suites not available: %v", err)
	}
	return raw
}

// The embedded suites are Okta's files, byte for byte.
func TestEmbeddedCopiesAreIdentical(t *testing.T) {
	for _, f := range allFiles {
		ref := readReference(t, f)
		got, err := Embedded(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, ref) {
			t.Errorf("suites/%s differs from %s/%s", f, referenceDir, f)
		}
	}
}

// authz is the Authorization header for a scimserver auth.
func authz(a scimserver.Auth) string {
	switch a.Mode {
	case "header":
		return a.Token
	case "basic":
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password))
	}
	return "Bearer " + a.Token
}

var auths = []scimserver.Auth{
	{Mode: "bearer", Token: "conf-token-3f9a"},
	{Mode: "header", Token: "conf-header-77c1"},
	{Mode: "basic", Username: "okta", Password: "conf-pass-5e2b"},
}

// startSeeded starts a scimserver server with the user and group Okta's suites assume
// the app already has.
func startSeeded(t *testing.T, version string, a scimserver.Auth) *scimserver.Running {
	t.Helper()
	srv, err := scimserver.Start(scimserver.Options{Version: version, Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for path, body := range map[string]string{
		"/Users":  `{"userName":"existing@atko.com","name":{"givenName":"Existing","familyName":"User"},"emails":[{"value":"existing@atko.com","primary":true,"type":"work"}],"active":true}`,
		"/Groups": `{"displayName":"Existing Group"}`,
	} {
		req := httptest.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", authz(a))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("seed %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	return srv
}

func run(t *testing.T, o Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func describe(res *Result) string {
	var b strings.Builder
	for _, c := range res.Checks {
		b.WriteString(string(c.Status) + " " + c.Name)
		for _, f := range c.Failures {
			b.WriteString("\n    " + f.String())
		}
		if c.Reason != "" {
			b.WriteString("\n    " + c.Reason)
		}
		if c.Excerpt != "" {
			b.WriteString("\n    " + c.Excerpt)
		}
		b.WriteString("\n")
	}
	for _, c := range res.Cleanup {
		b.WriteString("cleanup " + c.UserName + ": " + c.Outcome + "\n")
	}
	return b.String()
}

// Both suites, with the CRUD lifecycle, pass against the project's SCIM server in
// every auth mode, and leave nothing behind.
func TestPassesAgainstSCIMTest(t *testing.T) {
	for _, version := range []string{"2.0", "1.1"} {
		for _, a := range auths {
			t.Run(version+"/"+a.Mode, func(t *testing.T) {
				srv := startSeeded(t, version, a)
				res := run(t, Options{BaseURL: srv.URL, Version: version, Authorization: authz(a), CRUD: true})
				if !res.OK() {
					t.Fatalf("not all checks passed:\n%s", describe(res))
				}
				if len(res.Suites) != 2 || res.Passed != len(res.Checks) {
					t.Fatalf("suites %v, %d passed of %d", res.Suites, res.Passed, len(res.Checks))
				}
				// The SPEC suite's user and the CRUD user were created, and deleted.
				if len(res.Cleanup) != 2 || len(res.LeftBehind()) != 0 {
					t.Fatalf("cleanup: %+v", res.Cleanup)
				}
				users := srv.Users()
				if len(users) != 1 || users[0]["userName"] != "existing@atko.com" {
					t.Fatalf("users left on the server: %v", users)
				}
				// The lifecycle really went through the server: a PATCH (2.0) or PUT (1.1)
				// deactivated the CRUD user, and DELETE removed both users.
				var deletes, deactivations int
				for _, r := range srv.Requests() {
					switch {
					case r.Method == "DELETE":
						deletes++
					case r.Method == "PATCH" || r.Method == "PUT":
						deactivations++
					}
				}
				if deletes != 2 || deactivations < 4 {
					t.Fatalf("%d DELETEs, %d PATCH/PUTs", deletes, deactivations)
				}
			})
		}
	}
}

// Every request step of Okta's SPEC suites (as in the shared reference) is a check of
// the same name, in the same order; every SCIM-side step of the CRUD suites is a check
// of the same name, and every Okta-side step has its SCIM equivalent.
func TestEveryReferenceStepIsACheck(t *testing.T) {
	for _, version := range []string{"2.0", "1.1"} {
		t.Run(version, func(t *testing.T) {
			a := auths[0]
			srv := startSeeded(t, version, a)
			res := run(t, Options{BaseURL: srv.URL, Version: version, Authorization: authz(a), CRUD: true})
			spec, err := Parse(readReference(t, SPECFile(version)))
			if err != nil {
				t.Fatal(err)
			}
			crud, err := Parse(readReference(t, CRUDFile(version)))
			if err != nil {
				t.Fatal(err)
			}
			var specChecks, crudChecks []string
			for _, c := range res.Checks {
				switch c.Suite {
				case spec.Name:
					specChecks = append(specChecks, c.Name)
				case crud.Name:
					crudChecks = append(crudChecks, c.Name)
				default:
					t.Errorf("check %q of unknown suite %q", c.Name, c.Suite)
				}
			}
			var want []string
			for _, st := range spec.Steps {
				if st.StepType == "request" {
					if st.Note == "" {
						t.Errorf("a step of %s has no name", spec.Name)
					}
					want = append(want, st.Note)
				}
			}
			if strings.Join(specChecks, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: checks\n%s\nwant the suite's steps\n%s", spec.Name, strings.Join(specChecks, "\n"), strings.Join(want, "\n"))
			}
			// CRUD: the SCIM-side steps by their own names; each Okta-side step that makes
			// the server change, by its name followed by what Okta sends.
			seen := map[string]int{}
			var wantCRUD []string
			for _, st := range crud.Steps {
				if st.StepType != "request" {
					continue
				}
				if !isOktaStep(st) {
					wantCRUD = append(wantCRUD, st.Note)
					continue
				}
				n := seen[st.Note]
				seen[st.Note]++
				if actions := oktaActions[st.Note]; n < len(actions) && actions[n] != "" {
					wantCRUD = append(wantCRUD, st.Note+" → ")
				}
			}
			if len(crudChecks) != len(wantCRUD) {
				t.Fatalf("%s: checks\n%s\nwant\n%s", crud.Name, strings.Join(crudChecks, "\n"), strings.Join(wantCRUD, "\n"))
			}
			for i, w := range wantCRUD {
				if crudChecks[i] != w && !(strings.HasSuffix(w, " → ") && strings.HasPrefix(crudChecks[i], w)) {
					t.Errorf("%s: check %d is %q, want %q", crud.Name, i+1, crudChecks[i], w)
				}
			}
			if _, err := crudSteps(crud, version == "1.1"); err != nil {
				t.Error(err)
			}
		})
	}
}

// Every Okta-side step of the CRUD suites is in oktaActions, with one action per
// occurrence, and every entry is used.
func TestOktaActionsCoverCRUDSuites(t *testing.T) {
	used := map[string]int{}
	for _, f := range []string{FileCRUD20, FileCRUD11} {
		s, err := loadEmbedded(f)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, st := range s.Steps {
			if !st.IsRequest() {
				continue
			}
			if isOktaStep(st) {
				seen[st.Note]++
				continue
			}
			if !strings.HasPrefix(st.URL, "{{"+scimBaseVar+"}}") {
				t.Errorf("%s: step %q is neither Okta-side nor SCIM-side: %s", f, st.Note, st.URL)
			}
		}
		for note, n := range seen {
			if len(oktaActions[note]) != n {
				t.Errorf("%s: %q occurs %d times, oktaActions has %d", f, note, n, len(oktaActions[note]))
			}
			used[note]++
		}
	}
	for note := range oktaActions {
		if used[note] == 0 {
			t.Errorf("oktaActions has %q, which no CRUD suite has", note)
		}
	}
}

// Every non-empty script of the embedded suites has its Go version.
func TestScriptsAreKnown(t *testing.T) {
	n := 0
	for _, f := range allFiles {
		s, err := loadEmbedded(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range s.Steps {
			for _, sc := range st.Scripts {
				if strings.TrimSpace(sc) == "" {
					continue
				}
				n++
				if _, ok := lookupScript(sc); !ok {
					t.Errorf("%s: step %q has a script with no Go version:\n%s", f, st.Note, sc)
				}
			}
		}
	}
	if n != 2 {
		t.Errorf("%d scripts in the embedded suites, want 2", n)
	}
	doc := func(s string) any {
		var v any
		_ = json.Unmarshal([]byte(s), &v)
		return v
	}
	s20, _ := lookupScript(scriptText(t, FileSPEC20))
	s11, _ := lookupScript(scriptText(t, FileSPEC11))
	for _, tc := range []struct {
		s      script
		body   string
		jsonOK bool
		ok     bool
	}{
		{s20, `{"totalResults":0,"Resources":[]}`, true, true},
		{s20, `{"totalResults":2,"Resources":[{},{}]}`, true, true},
		{s20, `<html>`, false, false},
		{s20, `null`, true, false},
		{s11, `{"totalResults":1,"Resources":[{}]}`, true, true},
		{s11, `{"totalResults":"1","Resources":[{}]}`, true, true},
		{s11, `{"totalResults":0,"Resources":[]}`, true, false},
		{s11, `{"totalResults":1}`, true, false},
	} {
		if f := tc.s(doc(tc.body), tc.jsonOK, nil); (f == nil) != tc.ok {
			t.Errorf("%s: %v", tc.body, f)
		}
	}
}

// The previous 2.0 suite's create-step script (that suite is not embedded).
func TestOldSuiteScript(t *testing.T) {
	s, ok := lookupScript("var data = JSON.parse(response.body);\nassert.notEqual(data.userName.toLowerCase(),variables.get(\"randomUsername\"),'ISVuserNameLower matches with InitialuserName');")
	if !ok {
		t.Fatal("script not known")
	}
	for _, tc := range []struct {
		doc  any
		sent string
		ok   bool
	}{
		{map[string]any{"userName": "RunscopeAb@atko.com"}, "RunscopeAb@atko.com", true},
		{map[string]any{"userName": "ab@atko.com"}, "ab@atko.com", false},
		{map[string]any{}, "RunscopeAb@atko.com", false},
	} {
		if f := s(tc.doc, true, map[string]string{"randomUsername": tc.sent}); (f == nil) != tc.ok {
			t.Errorf("%v: %v", tc.doc, f)
		}
	}
}

func scriptText(t *testing.T, file string) string {
	s, err := loadEmbedded(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Steps {
		for _, sc := range st.Scripts {
			if strings.TrimSpace(sc) != "" {
				return sc
			}
		}
	}
	t.Fatalf("%s has no script", file)
	return ""
}

// The interpreter's comparisons can fail.
func TestInterpreter(t *testing.T) {
	var doc any
	_ = json.Unmarshal([]byte(`{"schemas":["a","b"],"totalResults":0,"n":"1","active":true,"Resources":[{"id":"x","emails":[{"value":"e"}]}],"empty":[],"s":""}`), &doc)
	for _, tc := range []struct {
		prop, cmp, want string
		ok              bool
	}{
		{"Resources[0].id", "not_empty", "", true},
		{"Resources[0].emails[0].value", "equal", "e", true},
		{"Resources[1].id", "not_empty", "", false},
		{"Resources[0]id", "not_empty", "", false},
		{"empty", "not_empty", "", false},
		{"s", "not_empty", "", false},
		{"missing", "not_empty", "", false},
		{"active", "equal", "true", true},
		{"active", "equal", "false", false},
		{"totalResults", "equal", "0", true},
		{"totalResults", "equal_number", "0", true},
		{"totalResults", "equal_number", "1", false},
		{"totalResults", "is_a_number", "", true},
		{"n", "is_a_number", "", false},
		{"active", "is_a_number", "", false},
		{"schemas", "has_value", "b", true},
		{"schemas", "contains", "c", false},
		{"s", "contains", "", true},
		{"schemas", "bogus", "a", false},
	} {
		got, found := lookup(doc, tc.prop)
		if f := compareJSON(tc.cmp, tc.prop, got, found, tc.want); (f == nil) != tc.ok {
			t.Errorf("%s %s %q: %v", tc.prop, tc.cmp, tc.want, f)
		}
	}
	if f := compareJSON("is_a_number", "n", "1", true, ""); f == nil || f.String() != `expected n a number, got n "1" (a string)` {
		t.Errorf("message: %v", f)
	}
	for _, tc := range []struct {
		cmp  string
		got  float64
		want string
		ok   bool
	}{
		{"equal_number", 201, "201", true},
		{"equal_number", 200, "201", false},
		{"is_less_than", 599, "600", true},
		{"is_less_than", 600, "600", false},
		{"one_of", 204, "200,204", true},
		{"one_of", 201, "200,204", false},
		{"equal_number", 200, "x", false},
	} {
		if compareNumber(tc.cmp, tc.got, tc.want) != tc.ok {
			t.Errorf("%s %g %s", tc.cmp, tc.got, tc.want)
		}
	}
	vars := map[string]string{"SCIMBaseURL": "http://h/scim/v2", "u": `a b"@c`, "id": "x/y"}
	if u, err := buildURL(`{{SCIMBaseURL}}/Users?filter=userName eq "{{u}}"&count=1`, vars, "SCIMBaseURL"); err != nil || u != `http://h/scim/v2/Users?filter=userName%20eq%20%22a%20b%22%40c%22&count=1` {
		t.Errorf("buildURL query: %s %v", u, err)
	}
	if u, err := buildURL(`{{SCIMBaseURL}}/Users/{{id}}`, vars, "SCIMBaseURL"); err != nil || u != `http://h/scim/v2/Users/x%2Fy` {
		t.Errorf("buildURL path: %s %v", u, err)
	}
	if _, err := buildURL(`{{nope}}/Users`, vars, "SCIMBaseURL"); err == nil {
		t.Error("buildURL accepted a URL with an undefined base")
	}
	if got := subst(`{"a":"{{u}}","b":"{{missing}}"}`, vars, jsonEscape); got != `{"a":"a b\"@c","b":"{{missing}}"}` {
		t.Errorf("subst: %s", got)
	}
	if got := refs(`{{a}} {{ b }} {{a}}`); strings.Join(got, ",") != "a,b" {
		t.Errorf("refs: %v", got)
	}
}

func TestRunRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{
		{BaseURL: "http://127.0.0.1:1/scim/v2", Version: "3.0", Authorization: "Bearer x"},
		{BaseURL: "ftp://h/scim", Authorization: "Bearer x"},
		{BaseURL: "http://h/scim?x=1", Authorization: "Bearer x"},
		{BaseURL: "http://h/scim"},
		{BaseURL: "http://h/scim", Authorization: "Bearer x\r\nX: y"},
	} {
		if _, err := Run(context.Background(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
