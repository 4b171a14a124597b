package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/reftest"
	"github.com/oktascim/oktascim/scim/conformance"
	"github.com/oktascim/oktascim/sim/scimserver"
)

// Known secret values: the tests assert none of them (nor their encoded forms) is
// ever printed or written.
const (
	checkToken    = "tok-5b1c9e7d2f"
	checkUser     = "okta-prov"
	checkPassword = "pw-8e2a41c6d0"
)

var checkBasic = base64.StdEncoding.EncodeToString([]byte(checkUser + ":" + checkPassword))

func checkSecrets() []string {
	return []string{checkToken, checkPassword, checkBasic, "Bearer " + checkToken}
}

// serverAuth is what a scimserver server demands for an auth method of the file.
func serverAuth(method string) scimserver.Auth {
	switch method {
	case "header":
		return scimserver.Auth{Mode: "header", Token: checkToken}
	case "basic":
		return scimserver.Auth{Mode: "basic", Username: checkUser, Password: checkPassword}
	case "none":
		return scimserver.Auth{Mode: "none"}
	}
	return scimserver.Auth{Mode: "bearer", Token: checkToken}
}

func authHeader(method string) string {
	switch method {
	case "header":
		return checkToken
	case "basic":
		return "Basic " + checkBasic
	}
	return "Bearer " + checkToken
}

// checkEnv is the environment the CLI sees: the credentials, and the integrationYAML
// variables pointing at url.
func checkEnv(url string) map[string]string {
	return map[string]string{
		"CHECK_TOKEN": checkToken, "CHECK_PASSWORD": checkPassword,
		"OKTASCIM_SIM_SCIM_URL": url, "OKTASCIM_SIM_SCIM11_URL": url,
		"OKTASCIM_SIM_SCIM_TOKEN": checkToken, "OKTASCIM_SIM_SCIM_USERNAME": checkUser, "OKTASCIM_SIM_SCIM_PASSWORD": checkPassword,
	}
}

// credFlags are the scim check flags for an auth method of the file.
func credFlags(method string) []string {
	switch method {
	case "header":
		return []string{"--header-env", "CHECK_TOKEN"}
	case "basic":
		return []string{"--basic-user", checkUser, "--password-env", "CHECK_PASSWORD"}
	}
	return []string{"--token-env", "CHECK_TOKEN"}
}

// newSCIM is a scimserver server (not listening) with what Okta's suites assume the
// app already has: a user and, unless noGroup, a group.
func newSCIM(t *testing.T, version, method string, noUser, noGroup bool) *scimserver.Server {
	t.Helper()
	s := scimserver.New(scimserver.Options{Version: version, Auth: serverAuth(method)})
	seed := map[string]string{}
	if !noUser {
		seed["/Users"] = `{"userName":"existing@atko.com","name":{"givenName":"Existing","familyName":"User"},"emails":[{"value":"existing@atko.com","primary":true,"type":"work"}],"active":true}`
	}
	if !noGroup {
		seed["/Groups"] = `{"displayName":"Existing Group"}`
	}
	for path, body := range seed {
		req := httptest.NewRequest("POST", basePath(version)+path, strings.NewReader(body))
		req.Header.Set("Authorization", authHeader(method))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("seed %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	return s
}

func basePath(version string) string {
	if version == "1.1" {
		return "/scim/v1"
	}
	return "/scim/v2"
}

// serve serves h on 127.0.0.1 and returns the SCIM base URL.
func serve(t *testing.T, h http.Handler, version string) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + basePath(version)
}

// checkDoc is the -o json document.
type checkDoc struct {
	Version     int      `json:"version"`
	Command     string   `json:"command"`
	Suite       string   `json:"suite"`
	Suites      []string `json:"suites"`
	SCIMVersion string   `json:"scimVersion"`
	BaseURL     string   `json:"baseUrl"`
	Checks      []struct {
		Suite, Name, Status, Expected, Got, Excerpt, Reason, Hint string
		Failures                                                  []conformance.Failure
		DurationMs                                                *int64 `json:"durationMs"`
	} `json:"checks"`
	Cleanup []struct {
		UserName, ID, Outcome string
		Deleted               bool
	} `json:"cleanup"`
	Passed, Failed, Skipped, ExitCode int
}

func parseCheckDoc(t *testing.T, r result) checkDoc {
	t.Helper()
	var d checkDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("not a JSON document: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return d
}

func (d checkDoc) failedNames() []string {
	var out []string
	for _, c := range d.Checks {
		if c.Status == "fail" {
			out = append(out, c.Name)
		}
	}
	return out
}

// Against the project's SCIM server, every check of both suites passes in every auth
// mode, from flags and from the file, and the run leaves no user behind.
func TestSCIMCheckPassesAgainstSCIMTest(t *testing.T) {
	for _, version := range []string{"2.0", "1.1"} {
		for _, method := range []string{"oauth", "header", "basic"} {
			t.Run(version+"/"+method, func(t *testing.T) {
				s := newSCIM(t, version, method, false, false)
				url := serve(t, s, version)
				env := checkEnv(url)
				content := fileOf(integrationYAML("acme", version, method, "saml"), integrationYAML("other", version, method, "swa"))
				if version == "1.1" && method != "oauth" {
					// No SCIM 1.1 header or basic template name is known: the file names one.
					content = strings.ReplaceAll(content, "version: \"1.1\"\n", "version: \"1.1\"\n      appName: scim11_example\n")
				}
				file := writeFile(t, content)
				for _, args := range [][]string{
					append([]string{"scim", "check", "--base-url", url, "--version", version}, credFlags(method)...),
					{"scim", "check", "-f", file, "--name", "acme"},
				} {
					r := cli(t, env, args...)
					if r.code != 0 {
						t.Fatalf("%v: exit %d\n%s", args, r.code, r.allOutput)
					}
					suite := "Okta SCIM " + version + " SPEC Test"
					checks := strings.Count(r.stdout, "\nPASS  ")
					want := map[string]int{"2.0": 12, "1.1": 16}[version]
					if checks != want || strings.Contains(r.stdout, "FAIL") || !strings.Contains(r.stdout, "── "+suite+"\n") ||
						!strings.Contains(r.stdout, fmt.Sprintf("\n%d passed, 0 failed\n", want)) || !strings.Contains(r.stdout, "PASS  Required Test: Create Okta user with") {
						t.Fatalf("%v: %d PASS lines, want %d:\n%s", args, checks, want, r.stdout)
					}
					assertNoSecrets(t, r.allOutput, checkSecrets()...)
				}
				if users := s.Users(); len(users) != 1 {
					t.Fatalf("users left: %v", users)
				}
			})
		}
	}
}

// Credentials from files and standard input work too.
func TestSCIMCheckSecretFiles(t *testing.T) {
	s := newSCIM(t, "2.0", "basic", false, false)
	url := serve(t, s, "2.0")
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(checkPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, nil, "scim", "check", "--base-url", url, "--basic-user", checkUser, "--password-file", pw)
	if r.code != 0 {
		t.Fatalf("--password-file: exit %d\n%s", r.code, r.allOutput)
	}
	s2 := newSCIM(t, "2.0", "oauth", false, false)
	url2 := serve(t, s2, "2.0")
	r = cliTTY(t, nil, strings.NewReader(checkToken+"\n"), "scim", "check", "--base-url", url2, "--token-file", "-")
	if r.code != 0 {
		t.Fatalf("--token-file -: exit %d\n%s", r.code, r.allOutput)
	}
}

// --crud runs the CRUD lifecycle and deletes what it created; --keep-users keeps it
// and says so.
func TestSCIMCheckCRUD(t *testing.T) {
	for _, version := range []string{"2.0", "1.1"} {
		t.Run(version, func(t *testing.T) {
			s := newSCIM(t, version, "oauth", false, false)
			url := serve(t, s, version)
			r := cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--version", version, "--token-env", "CHECK_TOKEN", "--crud", "-o", "json")
			d := parseCheckDoc(t, r)
			if r.code != 0 || d.Failed != 0 || d.Skipped != 0 || len(d.Suites) != 2 || d.Suites[1] != "Okta SCIM "+version+" CRUD Test" {
				t.Fatalf("exit %d, %+v\n%s", r.code, d, r.stdout)
			}
			for _, name := range []string{"Verify if user is created in SCIM App", "Verify firstname update in SCIM App", "Verify if user is deactivated in SCIM App", "Verify if user is reactivated in SCIM App"} {
				if !strings.Contains(r.stdout, `"name": "`+name+`"`) {
					t.Errorf("no check %q", name)
				}
			}
			if len(d.Cleanup) != 2 || !d.Cleanup[0].Deleted || !d.Cleanup[1].Deleted {
				t.Fatalf("cleanup: %+v", d.Cleanup)
			}
			if users := s.Users(); len(users) != 1 || users[0]["userName"] != "existing@atko.com" {
				t.Fatalf("users left on the server: %v", users)
			}

			r = cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--version", version, "--token-env", "CHECK_TOKEN", "--crud", "--keep-users")
			if r.code != 0 || strings.Count(r.stdout, "left behind: user ") != 2 || !strings.Contains(r.stdout, "kept, as asked") {
				t.Fatalf("--keep-users: exit %d\n%s", r.code, r.stdout)
			}
			if users := s.Users(); len(users) != 3 {
				t.Fatalf("--keep-users: %d users, want 3", len(users))
			}
		})
	}
}

// resp is a response a broken server may change before sending.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r *resp) json(edit func(m map[string]any)) {
	var m map[string]any
	if json.Unmarshal(r.body, &m) != nil || m == nil {
		return
	}
	edit(m)
	r.body, _ = json.Marshal(m)
}

// after serves inner, lets edit change the response, and sends it.
func after(inner http.Handler, edit func(r *http.Request, res *resp)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		res := &resp{status: rec.Code, header: rec.Header().Clone(), body: rec.Body.Bytes()}
		edit(r, res)
		res.header.Del("Content-Length")
		for k, v := range res.header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body)
	})
}

func isUsersList(r *http.Request) bool {
	return r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/Users")
}

func isUserByID(r *http.Request) bool {
	return strings.Contains(r.URL.Path, "/Users/")
}

// brokenCase is a SCIM server broken in one way, and the check that must catch it.
type brokenCase struct {
	name       string
	version    string // default 2.0
	noUser     bool
	noGroup    bool
	serverAuth string // default oauth
	crud       bool
	breakIt    func(inner http.Handler) http.Handler
	check      string   // the check that must fail
	message    []string // in its expected/got, hint or excerpt
	only       bool     // and no other check fails
	skipped    string   // a check that must be skipped (with the reason naming the variable)
}

func brokenCases() []brokenCase {
	return []brokenCase{
		{name: "HTML content type", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(_ *http.Request, res *resp) { res.header.Set("Content-Type", "text/html; charset=utf-8") })
		}, check: "Required Test: Test Users endpoint", message: []string{"expected Content-Type application/scim+json", "got Content-Type text/html", "hint: an HTML answer"}},

		{name: "no content type", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(_ *http.Request, res *resp) { res.header["Content-Type"] = nil })
		}, check: "Required Test: Test invalid User by ID", message: []string{"expected Content-Type application/scim+json", "got no Content-Type"}},

		{name: "list without the ListResponse schema", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if isUsersList(r) {
					res.json(func(m map[string]any) { m["schemas"] = []any{"urn:ietf:params:scim:schemas:core:2.0:User"} })
				}
			})
		}, check: "Required Test: Test Users endpoint", message: []string{`expected schemas containing "urn:ietf:params:scim:api:messages:2.0:ListResponse"`, `got schemas ["urn:ietf:params:scim:schemas:core:2.0:User"]`}},

		{name: "filter ignored", breakIt: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				q.Del("filter")
				r.URL.RawQuery = q.Encode()
				h.ServeHTTP(w, r)
			})
		}, check: "Required Test: Test invalid User by username", message: []string{`expected totalResults equal to "0", got totalResults 1`, "must apply the filter"}},

		{name: "200 for an unknown id", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if isUserByID(r) && res.status == http.StatusNotFound {
					res.status, res.body = http.StatusOK, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}`)
				}
			})
		}, check: "Required Test: Test invalid User by ID", message: []string{"expected status 404, got status 200 (OK)"}},

		{name: "404 that is not a SCIM error", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if res.status == http.StatusNotFound {
					res.body = []byte(`{"error":"not found"}`)
				}
			})
		}, check: "Required Test: Check status 404", message: []string{"expected detail not empty, got detail (missing)", `schemas containing "urn:ietf:params:scim:api:messages:2.0:Error"`}},

		{name: "200 instead of 201 on create", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if r.Method == "POST" && res.status == http.StatusCreated {
					res.status = http.StatusOK
				}
			})
		}, check: "Required Test: Create Okta user with realistic values", message: []string{"expected status 201, got status 200 (OK)"}, only: true},

		{name: "no 409 on a duplicate userName", breakIt: func(h http.Handler) http.Handler {
			// The duplicate is really created (under another name, returned as the same).
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != "POST" {
					h.ServeHTTP(w, r)
					return
				}
				body, _ := readAll(r)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, cloneWithBody(r, body))
				if rec.Code == http.StatusConflict {
					rec = httptest.NewRecorder()
					h.ServeHTTP(rec, cloneWithBody(r, bytes.Replace(body, []byte(`"userName":"`), []byte(`"userName":"dup-`), 1)))
				}
				w.Header().Set("Content-Type", "application/scim+json")
				w.WriteHeader(rec.Code)
				_, _ = w.Write(bytes.Replace(rec.Body.Bytes(), []byte(`"userName":"dup-`), []byte(`"userName":"`), 1))
			})
		}, check: "Required Test: Expect failure when recreating user with same values", message: []string{"expected status 409, got status 201 (Created)"}, only: true},

		{name: "no 401 without credentials", serverAuth: "none",
			check: "Required Test: Check status 401", message: []string{"expected status 401, got status 200 (OK)"}, only: true},

		{name: "401 as plain text", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(_ *http.Request, res *resp) {
				if res.status == http.StatusUnauthorized {
					res.header.Set("Content-Type", "text/plain")
					res.body = []byte("Unauthorized")
				}
			})
		}, check: "Required Test: Check status 401", message: []string{"got Content-Type text/plain", "a JSON body", "body: Unauthorized"}, only: true},

		{name: "user without emails", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if r.Method == "GET" && isUserByID(r) {
					res.json(func(m map[string]any) { delete(m, "emails") })
				}
			})
		}, check: "Required Test: Get Users/{{id}} ", message: []string{"expected emails[0].value not empty, got emails[0].value (missing)"}, only: true},

		{name: "totalResults as a string", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if isUsersList(r) {
					res.json(func(m map[string]any) { m["totalResults"] = fmt.Sprint(m["totalResults"]) })
				}
			})
		}, check: "Required Test: Test Users endpoint", message: []string{`expected totalResults a number, got totalResults "1" (a string)`}},

		{name: "created user not readable", breakIt: func(h http.Handler) http.Handler {
			var mu sync.Mutex
			var created []string
			return after(h, func(r *http.Request, res *resp) {
				mu.Lock()
				defer mu.Unlock()
				if r.Method == "POST" && res.status == http.StatusCreated {
					var m map[string]any
					_ = json.Unmarshal(res.body, &m)
					created = append(created, fmt.Sprint(m["id"]))
				}
				for _, id := range created {
					if r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/Users/"+id) {
						res.status, res.body = http.StatusNotFound, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"gone"}`)
					}
				}
			})
		}, check: "Required Test: Verify that user was created", message: []string{"expected status 200, got status 404 (Not Found)"}, only: true},

		{name: "userName filter case-sensitive and refusing", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if strings.Contains(r.URL.Query().Get("filter"), "ATKO.COM") && res.status == http.StatusOK {
					res.status = http.StatusBadRequest
				}
			})
		}, check: "Required Test: Username Case Sensitivity Check", message: []string{"expected status 200, got status 400 (Bad Request)"}, only: true},

		{name: "no Groups endpoint", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if strings.HasSuffix(r.URL.Path, "/Groups") {
					res.status = http.StatusNotFound
				}
			})
		}, check: "Optional Test: Verify Groups endpoint", message: []string{"expected status 200, got status 404 (Not Found)"}, only: true},

		{name: "slow Groups endpoint", breakIt: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/Groups") {
					time.Sleep(650 * time.Millisecond)
				}
				h.ServeHTTP(w, r)
			})
		}, check: "Optional Test: Verify Groups endpoint", message: []string{"expected a response in less than 600 ms, got 6"}, only: true},

		{name: "redirect", breakIt: func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://elsewhere.example"+r.URL.Path, http.StatusMovedPermanently)
			})
		}, check: "Required Test: Test Users endpoint", message: []string{"expected status 200, got status 301 (Moved Permanently)", "Location: https://elsewhere.example/scim/v2/Users", "does not follow redirects"}},

		{name: "no user on the server", noUser: true,
			check: "Required Test: Test Users endpoint", message: []string{"expected Resources not empty, got Resources []", "needs at least one user"},
			only: true, skipped: "Required Test: Get Users/{{id}} "},

		{name: "1.1: ServiceProviderConfigs writable", version: "1.1", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if strings.HasSuffix(r.URL.Path, "/ServiceProviderConfigs") && r.Method == "POST" {
					res.status = http.StatusOK
				}
			})
		}, check: "Optional Test: Check if ServiceProviderConfig is read-only", message: []string{"expected status 405, got status 200 (OK)"}, only: true},

		{name: "1.1: list in SCIM 2.0 form", version: "1.1", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if isUsersList(r) {
					res.json(func(m map[string]any) { m["schemas"] = []any{"urn:ietf:params:scim:api:messages:2.0:ListResponse"} })
				}
			})
		}, check: "Required Test: Test Users endpoint", message: []string{`expected schemas containing "urn:scim:schemas:core:1.0"`}},

		{name: "1.1: filter without an operator accepted", version: "1.1", breakIt: func(h http.Handler) http.Handler {
			return after(h, func(r *http.Request, res *resp) {
				if res.status == http.StatusBadRequest && r.URL.Query().Get("filter") != "" {
					res.status, res.body = http.StatusOK, []byte(`{"schemas":["urn:scim:schemas:core:1.0"],"totalResults":0,"Resources":[]}`)
				}
			})
		}, check: "Required Test: Username Case Sensitivity Check", message: []string{"expected status 400, got status 200 (OK)"}, only: true},

		{name: "1.1: no group", version: "1.1", noGroup: true,
			check: "Optional Test: Verify Groups endpoint", message: []string{`script "Resources is of type Array"`, "got totalResults 0", "at least one group"}, only: true},

		{name: "crud: deactivation ignored", crud: true, breakIt: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "PATCH" {
					w.Header().Set("Content-Type", "application/scim+json")
					w.WriteHeader(http.StatusNoContent)
					return
				}
				h.ServeHTTP(w, r)
			})
		}, check: "Verify if user is deactivated in SCIM App", message: []string{`expected active equal to "false", got active true`}},

		{name: "crud: update ignored", crud: true, breakIt: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "PUT" {
					r = cloneWithBody(r, nil)
					r.Method = "GET"
				}
				h.ServeHTTP(w, r)
			})
		}, check: "Update user firstname → PUT /Users/{id}", message: []string{"expected name.givenName equal to"}},
	}
}

func readAll(r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.Bytes(), err
}

func cloneWithBody(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = http.NoBody
	if body != nil {
		c.Body = readCloser{bytes.NewReader(body)}
		c.ContentLength = int64(len(body))
	}
	return c
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Against servers broken in each way the suites look for, scim check fails the right
// check, by name, with a message that says what was expected and what came, and
// exits 1.
func TestSCIMCheckBrokenServers(t *testing.T) {
	for _, tc := range brokenCases() {
		t.Run(tc.name, func(t *testing.T) {
			version := tc.version
			if version == "" {
				version = "2.0"
			}
			auth := tc.serverAuth
			if auth == "" {
				auth = "oauth"
			}
			var h http.Handler = newSCIM(t, version, auth, tc.noUser, tc.noGroup)
			if tc.breakIt != nil {
				h = tc.breakIt(h)
			}
			url := serve(t, h, version)
			args := []string{"scim", "check", "--base-url", url, "--version", version, "--token-env", "CHECK_TOKEN"}
			if tc.crud {
				args = append(args, "--crud")
			}
			r := cli(t, checkEnv(url), append(args, "-o", "json")...)
			d := parseCheckDoc(t, r)
			if r.code != 1 || d.ExitCode != 1 {
				t.Fatalf("exit %d (document says %d), want 1\n%s", r.code, d.ExitCode, r.allOutput)
			}
			found := false
			for _, c := range d.Checks {
				if c.Name != tc.check {
					continue
				}
				found = true
				if c.Status != "fail" {
					t.Fatalf("%q: %s, want fail\n%s", c.Name, c.Status, r.stdout)
				}
				text := c.Expected + " | " + c.Got + " | hint: " + c.Hint + " | " + c.Excerpt
				for _, f := range c.Failures {
					text += " | expected " + f.Expected + ", got " + f.Got
				}
				text = "expected " + c.Expected + ", got " + c.Got + " | " + text
				for _, m := range tc.message {
					if !strings.Contains(text, m) {
						t.Errorf("%q: message lacks %q:\n%s", c.Name, m, text)
					}
				}
			}
			if !found {
				t.Fatalf("no check named %q:\n%s", tc.check, r.stdout)
			}
			if failed := d.failedNames(); tc.only && len(failed) != 1 {
				t.Errorf("only %q should fail; failed: %q", tc.check, failed)
			}
			if tc.skipped != "" {
				ok := false
				for _, c := range d.Checks {
					ok = ok || c.Name == tc.skipped && c.Status == "skip" && strings.Contains(c.Reason, "needs {{") && strings.Contains(c.Reason, tc.check)
				}
				if !ok {
					t.Errorf("%q is not skipped with a reason naming %q:\n%s", tc.skipped, tc.check, r.stdout)
				}
			}
			// The text output names the check on a FAIL line with the same message.
			rt := cli(t, checkEnv(url), args...)
			if rt.code != 1 || !strings.Contains(rt.stdout, "FAIL  "+tc.check+": expected ") || !strings.Contains(rt.stdout, " failed") {
				t.Errorf("text output:\n%s", rt.stdout)
			}
		})
	}
}

// A server that cannot be reached fails the first check and skips the rest.
func TestSCIMCheckServerDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/scim/v2"
	srv.Close()
	r := cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--token-env", "CHECK_TOKEN")
	if r.code != 1 || !strings.Contains(r.stdout, "FAIL  Required Test: Test Users endpoint: expected a response, got no response: ") ||
		strings.Count(r.stdout, "SKIP  ") != 11 || !strings.Contains(r.stdout, "0 passed, 1 failed, 11 skipped") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

// The server cleanup cannot delete from: what is left behind is said.
func TestSCIMCheckSaysWhatItLeftBehind(t *testing.T) {
	s := newSCIM(t, "2.0", "oauth", false, false)
	url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "DELETE" {
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		s.ServeHTTP(w, r)
	}), "2.0")
	r := cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--token-env", "CHECK_TOKEN")
	if r.code != 0 || !strings.Contains(r.stdout, "left behind: user Runscope") || !strings.Contains(r.stdout, "deactivated, not deleted (DELETE: 405)") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	for _, u := range s.Users() {
		if u["userName"] != "existing@atko.com" && u["active"] != false {
			t.Fatalf("the created user is still active: %v", u)
		}
	}
}

// Secrets never appear in stdout, stderr, the JSON or the JUnit file — even when the
// server echoes the credentials back in every response.
func TestSCIMCheckNeverShowsSecrets(t *testing.T) {
	for _, method := range []string{"oauth", "header", "basic"} {
		t.Run(method, func(t *testing.T) {
			s := newSCIM(t, "2.0", method, false, false)
			url := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := r.Header.Get("Authorization")
				if r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/Groups") {
					// fails, echoing every form of the credentials
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set("Location", "https://x.example/?auth="+a)
					w.WriteHeader(http.StatusFound)
					decoded, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "Basic "))
					_, _ = fmt.Fprintf(w, "<p>you sent %s (%q) decoded %s</p>", a, a, decoded)
					return
				}
				s.ServeHTTP(w, r)
			}), "2.0")
			dir := t.TempDir()
			file := writeFile(t, fileOf(integrationYAML("acme", "2.0", method, "saml")))
			for i, args := range [][]string{
				append([]string{"scim", "check", "--base-url", url, "--crud"}, credFlags(method)...),
				{"scim", "check", "-f", file, "--name", "acme", "--crud"},
			} {
				for _, extra := range [][]string{nil, {"-o", "json"}} {
					junit := filepath.Join(dir, fmt.Sprintf("j%d%d.xml", i, len(extra)))
					r := cli(t, checkEnv(url), append(append(args, "--junit", junit), extra...)...)
					if r.code != 1 || !strings.Contains(r.allOutput, "(sensitive)") {
						t.Fatalf("%v: exit %d, want 1 with masked echoes\n%s", args, r.code, r.allOutput)
					}
					assertNoSecrets(t, r.allOutput, checkSecrets()...)
					b, err := os.ReadFile(junit)
					if err != nil {
						t.Fatal(err)
					}
					assertNoSecrets(t, string(b), checkSecrets()...)
				}
			}
		})
	}
}

// The JUnit file is well-formed: one testsuite per suite, one testcase per check.
func TestSCIMCheckJUnit(t *testing.T) {
	s := newSCIM(t, "2.0", "oauth", false, false)
	url := serve(t, after(s, func(r *http.Request, res *resp) {
		if r.Method == "POST" && res.status == http.StatusCreated {
			res.status = http.StatusOK
		}
	}), "2.0")
	path := filepath.Join(t.TempDir(), "out.xml")
	r := cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--token-env", "CHECK_TOKEN", "--crud", "--junit", path)
	if r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "Okta SCIM 2.0 SPEC Test" || doc.Suites[1].Name != "Okta SCIM 2.0 CRUD Test" ||
		doc.Suites[0].Tests != 12 || doc.Suites[1].Tests != 10 || doc.Failures != 2 || doc.Tests != 22 {
		t.Fatalf("junit: %+v", doc)
	}
	failed := 0
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failed++
				if !strings.Contains(c.Failure.Message, "expected status 201, got status 200") {
					t.Errorf("%s: %s", c.Name, c.Failure.Message)
				}
			}
		}
	}
	if failed != 2 {
		t.Fatalf("%d failed testcases\n%s", failed, b)
	}
}

// Every request step of Okta's SPEC suites (as in the shared reference) is a check of
// the same name in what scim check runs.
func TestSCIMCheckRunsEveryReferenceStep(t *testing.T) {
	for _, version := range []string{"2.0", "1.1"} {
		raw, err := os.ReadFile(filepath.Join("../../../shared/reference/okta-scim-runscope", conformance.SPECFile(version)))
		if err != nil {
			reftest.Missing(t, fmt.Sprintf("reference suites not available: %v", err))
		}
		ref, err := conformance.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		s := newSCIM(t, version, "oauth", false, false)
		url := serve(t, s, version)
		d := parseCheckDoc(t, cli(t, checkEnv(url), "scim", "check", "--base-url", url, "--version", version, "--token-env", "CHECK_TOKEN", "-o", "json"))
		names := map[string]bool{}
		for _, c := range d.Checks {
			names[c.Name] = true
		}
		n := 0
		for _, st := range ref.Steps {
			if st.StepType != "request" {
				continue
			}
			n++
			if !names[st.Note] {
				t.Errorf("%s: step %q has no check of that name", ref.Name, st.Note)
			}
		}
		if n != len(d.Checks) || d.Suite != ref.Name {
			t.Errorf("%s: %d steps, %d checks, suite %q", ref.Name, n, len(d.Checks), d.Suite)
		}
	}
}

// Invalid flags exit 2 before anything is sent.
func TestSCIMCheckUsage(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	url := srv.URL + "/scim/v2"
	two := writeFile(t, fileOf(integrationYAML("a", "2.0", "oauth", "saml"), integrationYAML("b", "2.0", "oauth", "saml")))
	env := checkEnv(url)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--base-url", url}, "no credentials"},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "--header-env", "CHECK_TOKEN"}, "one kind of credentials"},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "--token-file", "x"}, "--token-env and --token-file are alternatives"},
		{[]string{"--base-url", url, "--basic-user", "u"}, "basic auth needs --basic-user and one of"},
		{[]string{"--base-url", url, "--password-env", "CHECK_PASSWORD"}, "basic auth needs --basic-user"},
		{[]string{"--base-url", url, "--token-env", "NOPE"}, "--token-env NOPE: the variable is not set"},
		{[]string{"--base-url", url, "--token-file", "/nonexistent/tok"}, "--token-file /nonexistent/tok: no such file"},
		{[]string{"--base-url", "http://scim.example.com/scim/v2", "--token-env", "CHECK_TOKEN"}, "must be https"},
		{[]string{"--base-url", url + "/Users", "--token-env", "CHECK_TOKEN"}, "without /Users"},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "--version", "3.0"}, `--version must be "2.0" or "1.1"`},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "-f", two}, "--base-url and -f/--name are alternatives"},
		{[]string{"-f", two}, "has 2 integrations: choose one with --name (it has: a, b)"},
		{[]string{"-f", two, "--name", "a", "--name", "b"}, "give one --name"},
		{[]string{"-f", two, "--name", "c"}, "no such integration"},
		{[]string{"-f", two, "--name", "a", "--token-env", "CHECK_TOKEN"}, "--token-env goes with --base-url"},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "--timeout", "0s"}, "--timeout must be more than 0"},
		{[]string{"--base-url", url, "--token-env", "CHECK_TOKEN", "-o", "xml"}, "--output must be text, json or yaml"},
	} {
		r := cli(t, env, append([]string{"scim", "check"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d, want 2 with %q\n%s", tc.args, r.code, tc.msg, r.allOutput)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}
