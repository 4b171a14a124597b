package scimserver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

const testToken = "s3cr3t-token"

type client struct {
	t    *testing.T
	base string
	auth string
}

type resp struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func start(t *testing.T, opts Options) (*Running, *client) {
	t.Helper()
	if opts.Auth.Mode == "" && opts.Auth.Token == "" {
		opts.Auth = Auth{Mode: "bearer", Token: testToken}
	}
	r, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, &client{t: t, base: r.URL, auth: "Bearer " + testToken}
}

func (c *client) do(method, path string, body any) resp {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			buf, _ := json.Marshal(b)
			rd = bytes.NewReader(buf)
		}
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := resp{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			c.t.Fatalf("%s %s: body is not a JSON object: %q", method, path, raw)
		}
	}
	return out
}

func (c *client) must(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	return r.body
}

func user(name string) map[string]any {
	return map[string]any{
		"schemas":  []any{urnUser20},
		"userName": name,
		"name":     map[string]any{"givenName": "G", "familyName": "F"},
		"emails":   []any{map[string]any{"value": name, "primary": true, "type": "work"}},
		"active":   true,
	}
}

func filterQ(f string) string { return "?filter=" + url.QueryEscape(f) }

func TestUserCRUD20(t *testing.T) {
	srv, c := start(t, Options{})
	r := c.do("POST", "/Users", user("alice@example.com"))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("Content-Type %q", ct)
	}
	id, _ := r.body["id"].(string)
	if id == "" {
		t.Fatal("no id")
	}
	meta, _ := r.body["meta"].(map[string]any)
	for _, k := range []string{"resourceType", "created", "lastModified", "location", "version"} {
		if meta[k] == nil || meta[k] == "" {
			t.Errorf("meta.%s missing: %v", k, meta)
		}
	}
	if loc := r.header.Get("Location"); loc != srv.URL+"/Users/"+id || meta["location"] != loc {
		t.Errorf("Location %q, meta.location %v", loc, meta["location"])
	}
	got := c.must(200, "GET", "/Users/"+id, nil)
	if got["userName"] != "alice@example.com" || got["id"] != id {
		t.Errorf("get: %v", got)
	}
	put := user("alice2@example.com")
	put["active"] = false
	got = c.must(200, "PUT", "/Users/"+id, put)
	if got["userName"] != "alice2@example.com" || got["active"] != false || got["id"] != id {
		t.Errorf("put: %v", got)
	}
	if m := got["meta"].(map[string]any); m["created"] != meta["created"] || m["version"] == meta["version"] {
		t.Errorf("put meta: %v vs %v", m, meta)
	}
	if us := srv.Users(); len(us) != 1 || us[0]["userName"] != "alice2@example.com" {
		t.Errorf("Users(): %v", us)
	}
	if r := c.do("DELETE", "/Users/"+id, nil); r.status != 204 || r.raw != "" {
		t.Errorf("delete: %d %q", r.status, r.raw)
	}
	nf := c.must(404, "GET", "/Users/"+id, nil)
	if nf["status"] != "404" || nf["detail"] == "" || !containsString(nf["schemas"], urnError) {
		t.Errorf("404 body: %v", nf)
	}
	c.must(404, "PUT", "/Users/"+id, put)
	c.must(404, "DELETE", "/Users/"+id, nil)
	c.must(404, "GET", "/Nope", nil)
	if len(srv.Users()) != 0 {
		t.Error("user not deleted")
	}
	c.must(400, "POST", "/Users", map[string]any{"name": map[string]any{"givenName": "x"}})
	c.must(400, "POST", "/Users", "{not json")
	c.must(405, "POST", "/Users/"+id, user("x"))
}

func TestConflict(t *testing.T) {
	_, c := start(t, Options{})
	c.must(201, "POST", "/Users", user("Bob@Example.com"))
	e := c.must(409, "POST", "/Users", user("bob@example.com"))
	if e["scimType"] != "uniqueness" || e["status"] != "409" || e["detail"] == "" || !containsString(e["schemas"], urnError) {
		t.Errorf("409 body: %v", e)
	}
	other := c.must(201, "POST", "/Users", user("carol@example.com"))
	c.must(409, "PUT", "/Users/"+other["id"].(string), user("BOB@example.com"))
	c.must(409, "PATCH", "/Users/"+other["id"].(string), map[string]any{"schemas": []any{urnPatchOp},
		"Operations": []any{map[string]any{"op": "replace", "path": "userName", "value": "bob@example.com"}}})

	_, c11 := start(t, Options{Version: "1.1"})
	c11.must(201, "POST", "/Users", user("bob@example.com"))
	e = c11.must(409, "POST", "/Users", user("bob@example.com"))
	errs, _ := e["Errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["code"] != "409" || errs[0].(map[string]any)["description"] == "" {
		t.Errorf("1.1 409 body: %v", e)
	}
}

func TestFilterAndPaging(t *testing.T) {
	_, c := start(t, Options{})
	var ids []string
	for i := range 5 {
		u := user(fmt.Sprintf("user%d@example.com", i))
		u["externalId"] = fmt.Sprintf("ext%d", i)
		ids = append(ids, c.must(201, "POST", "/Users", u)["id"].(string))
	}
	for _, tc := range []struct {
		filter string
		want   int
	}{
		{`userName eq "USER3@example.com"`, 1},
		{`username eq "user3@example.com"`, 1},
		{`userName eq "nobody@example.com"`, 0},
		{`externalId eq "ext2"`, 1},
		{`externalId eq "EXT2"`, 0},
		{`id eq "` + ids[4] + `"`, 1},
	} {
		l := c.must(200, "GET", "/Users"+filterQ(tc.filter), nil)
		if l["totalResults"] != float64(tc.want) || len(l["Resources"].([]any)) != tc.want {
			t.Errorf("%s: %v", tc.filter, l)
		}
	}
	for _, f := range []string{`userName sw "user"`, `title eq "x"`, `userName eq user3`, `user3@example.com`} {
		e := c.must(400, "GET", "/Users"+filterQ(f), nil)
		if e["scimType"] != "invalidFilter" {
			t.Errorf("%s: %v", f, e)
		}
	}
	l := c.must(200, "GET", "/Users?startIndex=2&count=2", nil)
	res := l["Resources"].([]any)
	if l["totalResults"] != 5.0 || l["itemsPerPage"] != 2.0 || l["startIndex"] != 2.0 || len(res) != 2 ||
		res[0].(map[string]any)["id"] != ids[1] || !containsString(l["schemas"], urnListResponse) {
		t.Errorf("page: %v", l)
	}
	l = c.must(200, "GET", "/Users?startIndex=5&count=10", nil)
	if l["itemsPerPage"] != 1.0 || len(l["Resources"].([]any)) != 1 {
		t.Errorf("last page: %v", l)
	}
	l = c.must(200, "GET", "/Users?startIndex=9", nil)
	if l["totalResults"] != 5.0 || l["itemsPerPage"] != 0.0 || len(l["Resources"].([]any)) != 0 {
		t.Errorf("past end: %v", l)
	}
	l = c.must(200, "GET", "/Users?count=0", nil)
	if l["totalResults"] != 5.0 || len(l["Resources"].([]any)) != 0 {
		t.Errorf("count=0: %v", l)
	}
	c.must(400, "GET", "/Users?count=abc", nil)

	g := c.must(201, "POST", "/Groups", map[string]any{"displayName": "Engineering"})
	l = c.must(200, "GET", "/Groups"+filterQ(`displayName eq "engineering"`), nil)
	if l["totalResults"] != 1.0 || l["Resources"].([]any)[0].(map[string]any)["id"] != g["id"] {
		t.Errorf("group filter: %v", l)
	}
}

func TestPatch20(t *testing.T) {
	srv, c := start(t, Options{})
	u := c.must(201, "POST", "/Users", user("dave@example.com"))
	uid := u["id"].(string)
	u2 := c.must(201, "POST", "/Users", user("erin@example.com"))
	uid2 := u2["id"].(string)
	op := func(ops ...map[string]any) map[string]any {
		list := make([]any, len(ops))
		for i, o := range ops {
			list[i] = o
		}
		return map[string]any{"schemas": []any{urnPatchOp}, "Operations": list}
	}
	// Okta deactivates with a path-less replace.
	got := c.must(200, "PATCH", "/Users/"+uid, op(map[string]any{"op": "replace", "value": map[string]any{"active": false}}))
	if got["active"] != false {
		t.Errorf("deactivate: %v", got)
	}
	got = c.must(200, "PATCH", "/Users/"+uid, op(
		map[string]any{"op": "Replace", "path": "active", "value": "True"},
		map[string]any{"op": "replace", "path": "name.givenName", "value": "Dave"},
		map[string]any{"op": "add", "path": "title", "value": "Engineer"},
		map[string]any{"op": "replace", "path": `emails[type eq "work"].value`, "value": "dave2@example.com"},
		map[string]any{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "R&D"},
	))
	if got["active"] != true || got["name"].(map[string]any)["givenName"] != "Dave" || got["name"].(map[string]any)["familyName"] != "F" ||
		got["title"] != "Engineer" || got["emails"].([]any)[0].(map[string]any)["value"] != "dave2@example.com" ||
		got["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)["department"] != "R&D" {
		t.Errorf("patch: %v", got)
	}
	got = c.must(200, "PATCH", "/Users/"+uid, op(map[string]any{"op": "add", "path": urnEnterprise, "value": map[string]any{"costCenter": "42"}}))
	if ext := got[urnEnterprise].(map[string]any); ext["department"] != "R&D" || ext["costCenter"] != "42" {
		t.Errorf("patch extension object: %v", got)
	}
	got = c.must(200, "PATCH", "/Users/"+uid, op(map[string]any{"op": "remove", "path": "title"}))
	if _, ok := got["title"]; ok {
		t.Errorf("remove title: %v", got)
	}
	c.must(400, "PATCH", "/Users/"+uid, map[string]any{"Operations": []any{}})
	c.must(400, "PATCH", "/Users/"+uid, op(map[string]any{"op": "move", "path": "title"}))
	c.must(400, "PATCH", "/Users/"+uid, op(map[string]any{"op": "remove"}))
	c.must(404, "PATCH", "/Users/nope", op(map[string]any{"op": "remove", "path": "title"}))

	g := c.must(201, "POST", "/Groups", map[string]any{"schemas": []any{urnGroup20}, "displayName": "Eng", "members": []any{}})
	gid := g["id"].(string)
	got = c.must(200, "PATCH", "/Groups/"+gid, op(map[string]any{"op": "add", "path": "members", "value": []any{
		map[string]any{"value": uid, "display": "dave"}, map[string]any{"value": uid2, "display": "erin"}}}))
	if len(got["members"].([]any)) != 2 {
		t.Errorf("add members: %v", got)
	}
	got = c.must(200, "PATCH", "/Groups/"+gid, op(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": uid}}}))
	if len(got["members"].([]any)) != 2 {
		t.Errorf("add duplicate member: %v", got)
	}
	got = c.must(200, "PATCH", "/Groups/"+gid, op(map[string]any{"op": "remove", "path": `members[value eq "` + uid + `"]`}))
	if m := got["members"].([]any); len(m) != 1 || m[0].(map[string]any)["value"] != uid2 {
		t.Errorf("remove member by filter: %v", got)
	}
	got = c.must(200, "PATCH", "/Groups/"+gid, op(map[string]any{"op": "remove", "path": "members", "value": []any{map[string]any{"value": uid2}}}))
	if m := got["members"].([]any); len(m) != 0 {
		t.Errorf("remove member by value: %v", got)
	}
	// Okta renames a group with a path-less replace that repeats the id.
	got = c.must(200, "PATCH", "/Groups/"+gid, op(
		map[string]any{"op": "replace", "value": map[string]any{"id": gid, "displayName": "Engineering"}},
		map[string]any{"op": "replace", "path": "members", "value": []any{map[string]any{"value": uid}}}))
	if got["displayName"] != "Engineering" || got["id"] != gid || len(got["members"].([]any)) != 1 {
		t.Errorf("replace group: %v", got)
	}
	// Deleting a user drops it from groups.
	c.must(204, "DELETE", "/Users/"+uid, nil)
	if gs := srv.Groups(); len(gs) != 1 || len(gs[0]["members"].([]any)) != 0 {
		t.Errorf("groups after user delete: %v", gs)
	}
	c.must(204, "DELETE", "/Groups/"+gid, nil)
	c.must(404, "GET", "/Groups/"+gid, nil)
}

func TestVersion11(t *testing.T) {
	srv, c := start(t, Options{Version: "1.1"})
	if !strings.HasSuffix(srv.URL, "/scim/v1") {
		t.Errorf("URL %s", srv.URL)
	}
	u := map[string]any{"schemas": []any{urnCore11}, "userName": "fay@example.com",
		"name": map[string]any{"givenName": "Fay", "familyName": "F"}, "title": "t",
		"emails": []any{map[string]any{"value": "fay@example.com", "primary": true}}}
	r := c.do("POST", "/Users", u)
	if r.status != 201 || r.header.Get("Content-Type") != "application/json" || !containsString(r.body["schemas"], urnCore11) {
		t.Fatalf("create: %d %v %s", r.status, r.header, r.raw)
	}
	uid := r.body["id"].(string)
	l := c.must(200, "GET", "/Users?count=1&startIndex=1", nil)
	if !containsString(l["schemas"], urnCore11) || l["totalResults"] != 1.0 {
		t.Errorf("list: %v", l)
	}
	got := c.must(200, "PATCH", "/Users/"+uid, map[string]any{"schemas": []any{urnCore11}, "active": false,
		"meta": map[string]any{"attributes": []any{"title", "name.givenName"}}})
	if got["active"] != false || got["title"] != nil || got["name"].(map[string]any)["givenName"] != nil || got["name"].(map[string]any)["familyName"] != "F" {
		t.Errorf("1.1 patch: %v", got)
	}
	g := c.must(201, "POST", "/Groups", map[string]any{"schemas": []any{urnCore11}, "displayName": "Ops",
		"members": []any{map[string]any{"value": uid, "display": "fay"}}})
	gid := g["id"].(string)
	got = c.must(200, "PATCH", "/Groups/"+gid, map[string]any{"schemas": []any{urnCore11},
		"members": []any{map[string]any{"value": uid, "operation": "delete"}, map[string]any{"value": "other", "display": "o"}}})
	if m := got["members"].([]any); len(m) != 1 || m[0].(map[string]any)["value"] != "other" || m[0].(map[string]any)["operation"] != nil {
		t.Errorf("1.1 member patch: %v", got)
	}
	e := c.must(404, "GET", "/Users/missing", nil)
	if errs, _ := e["Errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["code"] != "404" {
		t.Errorf("1.1 404: %v", e)
	}
	sp := c.must(200, "GET", "/ServiceProviderConfigs", nil)
	if !containsString(sp["schemas"], urnCore11) || sp["patch"] == nil || sp["authenticationSchemes"] == nil {
		t.Errorf("1.1 spconfig: %v", sp)
	}
	c.must(404, "GET", "/ServiceProviderConfig", nil)
	c.must(405, "POST", "/ServiceProviderConfigs", "test")
}

func TestDiscovery20(t *testing.T) {
	_, c := start(t, Options{})
	sp := c.must(200, "GET", "/ServiceProviderConfig", nil)
	if !containsString(sp["schemas"], urnSPConfig20) || sp["patch"].(map[string]any)["supported"] != true {
		t.Errorf("spconfig: %v", sp)
	}
	c.must(404, "GET", "/ServiceProviderConfigs", nil)
	rt := c.must(200, "GET", "/ResourceTypes", nil)
	if rt["totalResults"] != 2.0 || !containsString(rt["schemas"], urnListResponse) {
		t.Errorf("resource types: %v", rt)
	}
	if u := c.must(200, "GET", "/ResourceTypes/User", nil); u["endpoint"] != "/Users" {
		t.Errorf("resource type User: %v", u)
	}
	sc := c.must(200, "GET", "/Schemas", nil)
	if sc["totalResults"] != 2.0 {
		t.Errorf("schemas: %v", sc)
	}
	if u := c.must(200, "GET", "/Schemas/"+urnUser20, nil); u["name"] != "User" {
		t.Errorf("schema User: %v", u)
	}
	c.must(404, "GET", "/Schemas/urn:nope", nil)
	c.must(405, "POST", "/Schemas", "x")
}

func TestAuthModes(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:pw"))
	for _, tc := range []struct {
		auth      Auth
		good      string
		bad       []string
		challenge string
	}{
		{Auth{Mode: "bearer", Token: "tok"}, "Bearer tok", []string{"", "tok", "Bearer tok2", "bearer"}, "Bearer"},
		{Auth{Mode: "header", Token: "tok"}, "tok", []string{"", "Bearer tok", "tok2"}, "Bearer"},
		{Auth{Mode: "basic", Username: "admin", Password: "pw"}, basic, []string{"", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:nope")), "Bearer pw"}, "Basic"},
		{Auth{Mode: "none"}, "", nil, ""},
	} {
		for _, v := range []string{"2.0", "1.1"} {
			_, c := start(t, Options{Version: v, Auth: tc.auth})
			c.auth = tc.good
			c.must(200, "GET", "/Users", nil)
			for _, b := range tc.bad {
				c.auth = b
				r := c.do("GET", "/Users", nil)
				if r.status != 401 || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), tc.challenge) {
					t.Errorf("%s %s with %q: %d %v", tc.auth.Mode, v, b, r.status, r.header)
				}
				if strings.Contains(r.raw, "tok") || strings.Contains(r.raw, "pw") {
					t.Errorf("401 body echoes a credential: %s", r.raw)
				}
				if v == "2.0" && (r.body["status"] != "401" || r.body["detail"] == "" || !containsString(r.body["schemas"], urnError)) {
					t.Errorf("2.0 401 body: %v", r.body)
				}
				if v == "1.1" && r.body["Errors"] == nil {
					t.Errorf("1.1 401 body: %v", r.body)
				}
			}
		}
	}
	// Rotation at run time.
	srv, c := start(t, Options{Auth: Auth{Mode: "bearer", Token: "old"}})
	c.auth = "Bearer old"
	c.must(200, "GET", "/Users", nil)
	srv.SetAuth(Auth{Mode: "header", Token: "new"})
	c.must(401, "GET", "/Users", nil)
	c.auth = "new"
	c.must(200, "GET", "/Users", nil)
	reqs := srv.Requests()
	if len(reqs) != 3 || reqs[1].Status != 401 || reqs[2].Method != "GET" || reqs[2].Path != "/scim/v2/Users" {
		t.Errorf("requests: %+v", reqs)
	}
}

func TestBodyCapAndContentType(t *testing.T) {
	_, c := start(t, Options{})
	big := `{"userName":"x","pad":"` + strings.Repeat("a", 1<<20) + `"}`
	c.must(413, "POST", "/Users", big)
	req, _ := http.NewRequest("POST", c.base+"/Users", strings.NewReader(`{"userName":"a@b"}`))
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Errorf("application/json: %d", res.StatusCode)
	}
	req, _ = http.NewRequest("POST", c.base+"/Users", strings.NewReader(`{"userName":"b@b"}`))
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "text/plain")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 415 {
		t.Errorf("text/plain: %d", res.StatusCode)
	}
}

func TestConcurrent(t *testing.T) {
	srv, c := start(t, Options{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.do("POST", "/Users", user(fmt.Sprintf("u%d@example.com", i%10)))
			if r.status != 201 && r.status != 409 {
				t.Errorf("status %d", r.status)
			}
			c.do("GET", "/Users?count=3", nil)
			_ = srv.Users()
			_ = srv.Requests()
		}()
	}
	wg.Wait()
	if n := len(srv.Users()); n != 10 {
		t.Errorf("%d users, want 10", n)
	}
}

func TestBasePathAndHandler(t *testing.T) {
	srv, c := start(t, Options{BasePath: "/api/scim/"})
	if !strings.HasSuffix(srv.URL, "/api/scim") {
		t.Errorf("URL %s", srv.URL)
	}
	c.must(200, "GET", "/Users", nil)
	var _ http.Handler = New(Options{})
}
