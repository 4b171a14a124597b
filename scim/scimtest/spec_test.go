package scimtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Okta's Runscope SPEC test suites, read from the shared reference data (not part of the
// repo); the walk is skipped when they are absent.
const runscopeDir = "../../../shared/reference/okta-scim-runscope"

type rsSuite struct {
	Name  string   `json:"name"`
	Steps []rsStep `json:"steps"`
}

type rsStep struct {
	StepType   string                     `json:"step_type"`
	Method     string                     `json:"method"`
	URL        string                     `json:"url"`
	Headers    map[string]json.RawMessage `json:"headers"`
	Body       *string                    `json:"body"`
	Assertions []struct {
		Source     string `json:"source"`
		Comparison string `json:"comparison"`
		Property   string `json:"property"`
		Value      any    `json:"value"`
	} `json:"assertions"`
	Variables []struct {
		Name     string `json:"name"`
		Source   string `json:"source"`
		Property string `json:"property"`
	} `json:"variables"`
	Scripts []string `json:"scripts"`
}

func TestOktaSPECSuites(t *testing.T) {
	for _, tc := range []struct{ file, version string }{
		{"Okta-SCIM-20-SPEC-Test.json", "2.0"},
		{"Okta-SCIM-11-SPEC-Test.json", "1.1"},
		{"Okta-SCIM-20-SPEC-Test-old.json", "2.0"}, // the previous 2.0 suite
	} {
		raw, err := os.ReadFile(filepath.Join(runscopeDir, tc.file))
		if err != nil {
			t.Skipf("reference suite not available: %v", err)
		}
		var suite rsSuite
		if err := json.Unmarshal(raw, &suite); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		for _, a := range []Auth{
			{Mode: "bearer", Token: "spec-token"},
			{Mode: "header", Token: "spec-token"},
			{Mode: "basic", Username: "okta", Password: "spec-pass"},
		} {
			t.Run(strings.TrimSuffix(tc.file, ".json")+"/"+a.Mode, func(t *testing.T) {
				walkSuite(t, suite, tc.version, a)
			})
		}
	}
}

func walkSuite(t *testing.T, suite rsSuite, version string, a Auth) {
	srv, err := Start(Options{Version: version, Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	authz := map[string]string{
		"bearer": "Bearer " + a.Token,
		"header": a.Token,
		"basic":  "Basic " + base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)),
	}[a.Mode]

	// The suites assume the app already has a user (and a group).
	seed := func(path, body string) {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", authz)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("seed %s: %d", path, res.StatusCode)
		}
	}
	seed("/Users", `{"userName":"existing@atko.com","name":{"givenName":"Existing","familyName":"User"},"emails":[{"value":"existing@atko.com","primary":true,"type":"work"}],"active":true}`)
	seed("/Groups", `{"displayName":"Existing Group"}`)

	vars := runscopeVars()
	vars["SCIMBaseURL"] = srv.URL
	vars["auth"] = authz

	requests := 0
	for i, st := range suite.Steps {
		if st.StepType != "request" {
			continue // pauses
		}
		requests++
		name := fmt.Sprintf("step %d: %s %s", i, st.Method, st.URL)
		u, err := buildURL(subst(t, st.URL, vars))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var body io.Reader
		if st.Body != nil {
			body = strings.NewReader(subst(t, *st.Body, vars))
		}
		req, err := http.NewRequest(st.Method, u, body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, rv := range st.Headers {
			var vals []string
			if err := json.Unmarshal(rv, &vals); err != nil {
				var one string
				if err := json.Unmarshal(rv, &one); err != nil {
					t.Fatalf("%s: header %s: %s", name, k, rv)
				}
				vals = []string{one}
			}
			for _, v := range vals {
				req.Header.Add(k, subst(t, v, vars))
			}
		}
		begin := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		elapsed := time.Since(begin)
		var doc any
		_ = json.Unmarshal(raw, &doc)

		for _, as := range st.Assertions {
			want := subst(t, valueString(as.Value), vars)
			switch as.Source {
			case "response_status":
				if as.Comparison != "equal_number" {
					t.Fatalf("%s: unsupported status comparison %q", name, as.Comparison)
				}
				if strconv.Itoa(res.StatusCode) != want {
					t.Errorf("%s: status %d, want %s: %s", name, res.StatusCode, want, raw)
				}
			case "response_time":
				ms, _ := strconv.Atoi(want)
				if as.Comparison == "is_less_than" && elapsed >= time.Duration(ms)*time.Millisecond*10 {
					// generous (10x) so a loaded -race run does not flake
					t.Errorf("%s: took %v, Okta wants < %dms", name, elapsed, ms)
				}
			case "response_json":
				got, found := lookup(doc, as.Property)
				if err := compare(as.Comparison, got, found, want); err != nil {
					t.Errorf("%s: %s %s %q: %v (body %s)", name, as.Property, as.Comparison, want, err, raw)
				}
			default:
				t.Fatalf("%s: unsupported assertion source %q", name, as.Source)
			}
		}
		for _, v := range st.Variables {
			if v.Source != "response_json" {
				t.Fatalf("%s: unsupported variable source %q", name, v.Source)
			}
			got, ok := lookup(doc, v.Property)
			if !ok {
				t.Fatalf("%s: variable %s: no %s in %s", name, v.Name, v.Property, raw)
			}
			vars[v.Name] = valueString(got)
		}
		for _, sc := range st.Scripts {
			if strings.TrimSpace(sc) != "" {
				t.Logf("%s: JavaScript post-response script not run", name)
			}
		}
	}
	if requests < 10 {
		t.Fatalf("only %d request steps in %s", requests, suite.Name)
	}
	// The suite's own user was created exactly once.
	n := 0
	for _, u := range srv.Users() {
		if strings.EqualFold(fmt.Sprint(u["userName"]), vars["randomUsername"]) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d users named %s, want 1", n, vars["randomUsername"])
	}
}

// runscopeVars are the variables Okta's Runscope initial script sets (see SOURCES.md).
func runscopeVars() map[string]string {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + rand.IntN(10)))
		}
		return b.String()
	}
	lower := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('a' + rand.IntN(26)))
		}
		return b.String()
	}
	given := "Runscope" + digits(3)
	family := strings.ToUpper(lower(1)) + lower(8) + digits(3)
	email := given + family + "@atko.com"
	return map[string]string{
		"randomGivenName":        given,
		"randomFamilyName":       family,
		"randomEmail":            email,
		"randomUsername":         email,
		"randomUsernameCaps":     strings.ToUpper(email),
		"InvalidUserEmail":       "abcdefgh@atko.com",
		"UserIdThatDoesNotExist": "010101001010101011001010101011",
	}
}

var varRef = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)

func subst(t *testing.T, s string, vars map[string]string) string {
	t.Helper()
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		name := varRef.FindStringSubmatch(m)[1]
		v, ok := vars[name]
		if !ok {
			t.Fatalf("undefined variable %s in %q", name, s)
		}
		return v
	})
}

// buildURL encodes the raw spaces and quotes Runscope URLs carry in their query.
func buildURL(raw string) (string, error) {
	base, query, _ := strings.Cut(raw, "?")
	if _, err := url.Parse(base); err != nil {
		return "", err
	}
	if query == "" {
		return base, nil
	}
	var parts []string
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return base + "?" + strings.Join(parts, "&"), nil
}

var pathPart = regexp.MustCompile(`^([^\[\]]+)((?:\[\d+\])*)$`)

// lookup walks a Runscope property path such as Resources[0].name.familyName.
func lookup(doc any, prop string) (any, bool) {
	cur := doc
	for _, seg := range strings.Split(prop, ".") {
		m := pathPart.FindStringSubmatch(seg)
		if m == nil {
			return nil, false
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[m[1]]; !ok {
			return nil, false
		}
		for _, idx := range regexp.MustCompile(`\d+`).FindAllString(m[2], -1) {
			i, _ := strconv.Atoi(idx)
			arr, ok := cur.([]any)
			if !ok || i >= len(arr) {
				return nil, false
			}
			cur = arr[i]
		}
	}
	return cur, true
}

func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func compare(cmp string, got any, found bool, want string) error {
	switch cmp {
	case "not_empty":
		empty := !found || got == nil || got == ""
		if a, ok := got.([]any); ok && len(a) == 0 {
			empty = true
		}
		if m, ok := got.(map[string]any); ok && len(m) == 0 {
			empty = true
		}
		if empty {
			return fmt.Errorf("empty (%v)", got)
		}
	case "equal":
		if !found || valueString(got) != want {
			return fmt.Errorf("got %v", got)
		}
	case "equal_number":
		n, ok := got.(float64)
		w, err := strconv.ParseFloat(want, 64)
		if !ok || err != nil || n != w {
			return fmt.Errorf("got %v", got)
		}
	case "is_a_number":
		if _, ok := got.(float64); !ok {
			return fmt.Errorf("got %v (%T)", got, got)
		}
	case "has_value", "contains":
		switch x := got.(type) {
		case []any:
			for _, e := range x {
				if valueString(e) == want {
					return nil
				}
			}
			return fmt.Errorf("got %v", got)
		case string:
			if !strings.Contains(x, want) {
				return fmt.Errorf("got %q", x)
			}
		default:
			return fmt.Errorf("got %v", got)
		}
	default:
		return fmt.Errorf("unsupported comparison %q", cmp)
	}
	return nil
}

// The interpreter's checks must be able to fail.
func TestRunscopeInterpreter(t *testing.T) {
	var doc any
	_ = json.Unmarshal([]byte(`{"schemas":["a","b"],"totalResults":0,"active":true,"Resources":[{"id":"x","emails":[{"value":"e"}]}],"empty":[],"s":""}`), &doc)
	for _, tc := range []struct {
		prop, cmp, want string
		ok              bool
	}{
		{"Resources[0].id", "not_empty", "", true},
		{"Resources[0].emails[0].value", "equal", "e", true},
		{"Resources[1].id", "not_empty", "", false},
		{"empty", "not_empty", "", false},
		{"s", "not_empty", "", false},
		{"missing", "not_empty", "", false},
		{"active", "equal", "true", true},
		{"active", "equal", "false", false},
		{"totalResults", "equal", "0", true},
		{"totalResults", "equal_number", "0", true},
		{"totalResults", "equal_number", "1", false},
		{"totalResults", "is_a_number", "", true},
		{"active", "is_a_number", "", false},
		{"schemas", "has_value", "b", true},
		{"schemas", "contains", "c", false},
		{"schemas", "bogus", "a", false},
	} {
		got, found := lookup(doc, tc.prop)
		if err := compare(tc.cmp, got, found, tc.want); (err == nil) != tc.ok {
			t.Errorf("%s %s %q: %v", tc.prop, tc.cmp, tc.want, err)
		}
	}
	u, err := buildURL(`http://h/scim/v2/Users?filter=userName eq "a@b.c"&count=1`)
	if err != nil || u != `http://h/scim/v2/Users?filter=userName+eq+%22a%40b.c%22&count=1` {
		t.Errorf("buildURL: %s %v", u, err)
	}
}
