package oktaorg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/internal/reftest"
)

// The contract test replays Okta's recorded traffic (terraform-provider-okta's go-vcr
// cassettes, in ../shared/reference) against the simulator and compares the answers'
// shape: the status code and the JSON keys, recursively for objects.
//
// Apps: custom apps the simulator models (App Integration Wizard SAML 2.0 and AUTO_LOGIN
// apps, template_swa) are replayed as recorded, refusals included, and compared in full
// (settings.signOn, settings.app, credentials). Recorded catalog apps (pagerduty,
// template_swa3field, …) are replayed as the SCIM template app of the same sign-on mode,
// the part of the catalogue the simulator knows, and their template data is not
// compared. Apps of a kind the simulator does not model (OIDC, bookmark, …) get a
// custom SAML app standing in for them, so that the cassette's app user schema and
// profile mapping traffic is replayed against it; their own app requests are skipped.
//
// Schemas and mappings: an app's base properties are app-type data (an OIDC app's
// differ from a SAML app's), so definitions.base.properties is not compared, and
// updates of base properties the stand-in lacks are skipped; a mapping's properties
// are compared property by property where both sides have the property (the recorded
// IdP's default properties are an IdP's). Pre-existing apps named by a mapping query
// get, as custom app user properties, the appuser.<name> properties the cassette maps.

type cassette struct {
	Interactions []struct {
		Request struct {
			Method string `yaml:"method"`
			URL    string `yaml:"url"`
			Body   string `yaml:"body"`
		} `yaml:"request"`
		Response struct {
			Code int    `yaml:"code"`
			Body string `yaml:"body"`
		} `yaml:"response"`
	} `yaml:"interactions"`
}

var idPattern = regexp.MustCompile(`/(0oa|00g|prm)[A-Za-z0-9]+`)

func routeKey(method, path string) string {
	return method + " " + idPattern.ReplaceAllString(path, "/{id}")
}

// replayed are the endpoints oktascim uses, which the simulator must answer like Okta.
var replayed = map[string]bool{
	"POST /api/v1/apps": true, "GET /api/v1/apps": true, "GET /api/v1/apps/{id}": true, "PUT /api/v1/apps/{id}": true,
	"DELETE /api/v1/apps/{id}": true, "POST /api/v1/apps/{id}/lifecycle/activate": true, "POST /api/v1/apps/{id}/lifecycle/deactivate": true,
	"GET /api/v1/apps/{id}/connections/default": true, "POST /api/v1/apps/{id}/connections/default": true,
	"POST /api/v1/apps/{id}/connections/default/lifecycle/activate": true,
	"GET /api/v1/apps/{id}/features/USER_PROVISIONING":              true, "PUT /api/v1/apps/{id}/features/USER_PROVISIONING": true,
	"GET /api/v1/apps/{id}/features/INBOUND_PROVISIONING": true,
	"PUT /api/v1/apps/{id}/groups/{id}":                   true, "GET /api/v1/apps/{id}/groups/{id}": true, "DELETE /api/v1/apps/{id}/groups/{id}": true,
	"POST /api/v1/groups": true, "GET /api/v1/groups/{id}": true, "DELETE /api/v1/groups/{id}": true,
	"GET /api/v1/meta/schemas/apps/{id}/default": true, "POST /api/v1/meta/schemas/apps/{id}/default": true,
	"GET /api/v1/mappings": true, "GET /api/v1/mappings/{id}": true, "POST /api/v1/mappings/{id}": true,
}

// notModelled are keys real Okta returns that belong to features outside the
// simulator's scope (OIDC, org resource names, embedded resources); each is named here
// so that any other difference fails.
var notModelled = map[string]bool{
	"_embedded": true, "clientCredentials": true, "profile": true, "universalLogout": true, "licensing": true,
	"oauthClient": true, "signOnModeOptions": true, "autoLaunch": false,
}

func TestContractReplayOfRecordedOktaTraffic(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "reference", "terraform-okta-vcr")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		reftest.Missing(t, "recorded traffic not found beside the repo")
	}
	sort.Strings(files)
	compared := map[string]int{}
	for _, f := range files {
		for area, n := range replayCassette(t, f) {
			compared[area] += n
		}
	}
	t.Logf("compared recorded interactions: %v", compared)
	for area, min := range map[string]int{"app": 30, "custom app": 20, "schema": 15, "mapping": 20, "feature": 20, "connection": 10, "lifecycle": 10} {
		if compared[area] < min {
			t.Errorf("only %d %s interactions compared", compared[area], area)
		}
	}
}

// replayer is one cassette's replay against a fresh org.
type replayer struct {
	t        *testing.T
	s        *Server
	cl       *client
	scimBase string
	ids      map[string]string // recorded id → simulator id
	skipped  map[string]bool   // recorded apps the replay leaves out
	standIn  map[string]bool   // recorded apps a custom SAML app stands in for (schemas and mappings only)
	custom   map[string]bool   // recorded apps replayed as the custom apps they are
	appuser  []string          // app user properties the cassette's mappings name
	profiled map[string]bool   // recorded apps with schema or mapping traffic
}

var appuserName = regexp.MustCompile(`appuser\.([A-Za-z_][A-Za-z0-9_]*)`)

func replayCassette(t *testing.T, file string) map[string]int {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c cassette
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	name := filepath.Base(file)
	s, cl := startOrg(t, Options{AcceptConnectionAPI: true})
	rp := &replayer{t: t, s: s, cl: cl, scimBase: scimOK(t, "Bearer recorded-token"), ids: map[string]string{},
		skipped: map[string]bool{}, standIn: map[string]bool{}, custom: map[string]bool{}, profiled: map[string]bool{}}
	seen := map[string]bool{}
	for _, it := range c.Interactions {
		if u := it.Request.URL; strings.Contains(u, "/api/v1/meta/schemas/") || strings.Contains(u, "/api/v1/mappings") {
			for _, id := range regexp.MustCompile(`0oa[A-Za-z0-9]+`).FindAllString(u, -1) {
				rp.profiled[id] = true
			}
		}
		if strings.Contains(it.Request.URL, "/api/v1/mappings") {
			for _, m := range appuserName.FindAllStringSubmatch(it.Request.Body+it.Response.Body, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					rp.appuser = append(rp.appuser, m[1])
				}
			}
		}
	}
	compared := map[string]int{}
	for i, it := range c.Interactions {
		u := it.Request.URL
		pathStart := strings.Index(u[len("https://"):], "/") + len("https://")
		path, query, _ := strings.Cut(u[pathStart:], "?")
		key := routeKey(it.Request.Method, path)
		if !replayed[key] {
			continue
		}
		area := areaOf(key)
		recordedIDs := idPattern.FindAllString(path, -1)
		rids := make([]string, len(recordedIDs))
		skip := false
		for n, rid := range recordedIDs {
			rid = rid[1:]
			rids[n] = rid
			if rp.skipped[rid] || rp.standIn[rid] && area != "schema" && area != "mapping" || !rp.known(rid, area, path) {
				skip = true
				break
			}
			path = strings.Replace(path, rid, rp.ids[rid], 1)
		}
		if skip {
			continue
		}
		custom := len(rids) > 0 && rp.custom[rids[0]]
		body, ok := rp.body(key, it.Request.Body, it.Response.Code, it.Response.Body, rids)
		if !ok {
			continue
		}
		if key == "POST /api/v1/apps" {
			var m map[string]any
			_ = json.Unmarshal([]byte(body), &m)
			custom = customReplay(m)
		}
		if key == "GET /api/v1/apps" {
			query = "" // the recorded query names apps of another recording
		}
		if key == "GET /api/v1/mappings" {
			query = rp.mappingQuery(query)
		}
		req, _ := http.NewRequest(it.Request.Method, cl.base+path+"?"+query, bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", "SSWS "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		where := name + "#" + itoa(i) + " " + key
		if resp.StatusCode != it.Response.Code {
			t.Errorf("%s: status %d, recorded %d: %s", where, resp.StatusCode, it.Response.Code, got)
			continue
		}
		rp.learnIDs(key, it.Response.Body, string(got), custom)
		rules := shapeRules{opaque: templateOpaque}
		switch {
		case area == "feature":
			// Feature defaults and what a PUT leaves are Okta's values, compared as such.
			rules = shapeRules{values: func(p string) bool { return !strings.HasPrefix(p, "._links") }}
		case area == "connection":
			rules = shapeRules{values: func(p string) bool { return !strings.HasPrefix(p, "._links") && p != ".baseUrl" }}
		case area == "lifecycle":
			if strings.TrimSpace(string(got)) != strings.TrimSpace(it.Response.Body) {
				t.Errorf("%s: answer %q, recorded %q", where, got, it.Response.Body)
			}
		case area == "schema":
			rules = shapeRules{opaque: func(p string) bool { return p == ".definitions.base.properties" || strings.HasSuffix(p, "_links") }}
		case area == "mapping":
			rules = shapeRules{opaque: func(p string) bool { return strings.HasSuffix(p, "_links") }, byKey: func(p string) bool { return p == ".properties" }}
		case custom:
			rules = shapeRules{opaque: func(p string) bool { return p == ".visibility.appLinks" }}
			area = "custom app"
		}
		if diff := shapeDiff(it.Response.Body, string(got), rules); diff != "" {
			t.Errorf("%s: shape differs from the recording: %s", where, diff)
		}
		compared[area]++
	}
	return compared
}

func areaOf(key string) string {
	switch {
	case strings.Contains(key, "/features/"):
		return "feature"
	case strings.Contains(key, "/connections/default/lifecycle/") || strings.HasSuffix(key, "/lifecycle/activate") || strings.HasSuffix(key, "/lifecycle/deactivate"):
		return "lifecycle"
	case strings.Contains(key, "/connections/"):
		return "connection"
	case strings.Contains(key, "/api/v1/meta/schemas/"):
		return "schema"
	case strings.Contains(key, "/api/v1/mappings"):
		return "mapping"
	}
	return "app"
}

// customReplay says whether an app body is one of the custom apps the simulator models.
func customReplay(m map[string]any) bool {
	name, mode := m["name"], m["signOnMode"]
	return name == nil && (mode == "SAML_2_0" || mode == "AUTO_LOGIN") || name == "template_swa" && mode == "BROWSER_PLUGIN"
}

// known maps a recorded id to a simulator object, making one like it for an object
// that existed before the recording; false when the interaction cannot be replayed.
func (rp *replayer) known(rid, area, path string) bool {
	if _, ok := rp.ids[rid]; ok {
		return true
	}
	switch {
	case strings.HasPrefix(rid, "prm"):
		return false // a mapping no replayed listing has shown
	case strings.HasPrefix(rid, "00g"):
		rp.ids[rid] = rp.s.AddGroup("pre-existing " + rid)
	case area == "schema" || area == "mapping":
		rp.ids[rid] = rp.standInApp("pre-existing " + rid)
		rp.standIn[rid] = true
	default:
		app := rp.cl.json("POST", "/api/v1/apps", samlApp("scim2testapp", "pre-existing "+rid), 200).(map[string]any)
		rp.ids[rid] = app["id"].(string)
		if strings.Contains(path, "/connections/") {
			rp.cl.json("POST", "/api/v1/apps/"+rp.ids[rid]+"/connections/default?activate=true",
				map[string]any{"baseUrl": rp.scimBase, "profile": map[string]any{"authScheme": "TOKEN", "token": "recorded-token"}}, 200)
		}
		if strings.Contains(path, "/features/") {
			// The recorded app imports users (INBOUND_PROVISIONING is ENABLED).
			if err := rp.s.EnableProvisioning(rp.t.Context(), rp.ids[rid], ProvisioningSettings{BaseURL: rp.scimBase, AuthMode: "oauth", Token: "recorded-token", ImportUsers: true}); err != nil {
				rp.t.Fatal(err)
			}
		}
	}
	return true
}

// standInApp is a custom SAML app with the app user properties the cassette maps.
func (rp *replayer) standInApp(label string) string {
	id := rp.cl.json("POST", "/api/v1/apps", customSAML(label), 200).(map[string]any)["id"].(string)
	for _, p := range rp.appuser {
		if p != "userName" {
			rp.cl.json("POST", schemaPath(id), customProp(p, map[string]any{"title": p, "type": "string"}), 200)
		}
	}
	return id
}

// body is the request body to replay, or false to skip the interaction.
func (rp *replayer) body(key, body string, code int, recorded string, rids []string) (string, bool) {
	switch key {
	case "POST /api/v1/apps", "PUT /api/v1/apps/{id}":
		var m map[string]any
		if json.Unmarshal([]byte(body), &m) != nil {
			return "", false
		}
		mode, _ := m["signOnMode"].(string)
		if key == "POST /api/v1/apps" && customReplay(m) {
			return body, true
		}
		if key == "PUT /api/v1/apps/{id}" && rp.custom[rids[0]] {
			if _, named := m["name"]; named {
				app, _ := rp.s.App(rp.ids[rids[0]])
				m["name"] = app["name"]
			}
			b, _ := json.Marshal(m)
			return string(b), true
		}
		if mode != "SAML_2_0" && mode != "BROWSER_PLUGIN" || code != 200 {
			switch rid := idOf(recorded); {
			case key != "POST /api/v1/apps" || rid == "":
			case rp.profiled[rid]:
				// An app the simulator does not model: a custom SAML app stands in for it,
				// for the cassette's schema and mapping traffic.
				rp.ids[rid] = rp.standInApp("stand-in " + rid)
				rp.standIn[rid] = true
			default:
				rp.skipped[rid] = true
			}
			return "", false
		}
		m["name"] = "scim2testapp"
		if key == "PUT /api/v1/apps/{id}" {
			if app, ok := rp.s.App(rp.ids[rids[0]]); ok {
				m["name"] = app["name"]
			}
		}
		b, _ := json.Marshal(m)
		return string(b), true
	case "POST /api/v1/apps/{id}/connections/default":
		body = strings.Replace(body, `"https://integrator-8357679-admin.okta.com"`, `"`+rp.scimBase+`"`, 1)
		return strings.Replace(body, "<REDACTED>", "recorded-token", 1), true
	case "POST /api/v1/meta/schemas/apps/{id}/default":
		// Base properties belong to the recorded app's type (an OIDC app's name,
		// nickname, …), which the stand-in does not have.
		var m struct {
			Definitions map[string]json.RawMessage `json:"definitions"`
		}
		if json.Unmarshal([]byte(body), &m) == nil && m.Definitions["base"] != nil {
			return "", false
		}
	}
	return body, true
}

// mappingQuery points a recorded mapping listing's sourceId and targetId at the
// simulator's apps and user type.
func (rp *replayer) mappingQuery(query string) string {
	q, _ := url.ParseQuery(query)
	rp.s.mu.Lock()
	userType := rp.s.cx().userType
	rp.s.mu.Unlock()
	for _, k := range []string{"sourceId", "targetId"} {
		switch v := q.Get(k); {
		case strings.HasPrefix(v, "oty"):
			q.Set(k, userType)
		case strings.HasPrefix(v, "0oa"):
			rp.known(v, "mapping", "")
			q.Set(k, rp.ids[v])
		}
	}
	return q.Encode()
}

// learnIDs maps the ids of objects a replayed request made (or a filtered mapping
// listing found) to the simulator's.
func (rp *replayer) learnIDs(key, recorded, got string, custom bool) {
	switch key {
	case "POST /api/v1/apps", "POST /api/v1/groups":
		if rid, sid := idOf(recorded), idOf(got); rid != "" && sid != "" {
			rp.ids[rid] = sid
			if custom {
				rp.custom[rid] = true
			}
		}
	case "GET /api/v1/mappings":
		var r, g []map[string]any
		_ = json.Unmarshal([]byte(recorded), &r)
		_ = json.Unmarshal([]byte(got), &g)
		if len(r) == 1 && len(g) == 1 {
			rp.ids[r[0]["id"].(string)] = g[0]["id"].(string)
		}
	}
}

func idOf(body string) string {
	var m map[string]any
	if json.Unmarshal([]byte(body), &m) != nil {
		return ""
	}
	s, _ := m["id"].(string)
	return s
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// shapeRules say which paths hold data rather than shape: opaque ones are not compared;
// byKey ones are maps whose key sets are data but whose values, where both sides have a
// key, are compared.
type shapeRules struct {
	opaque, byKey func(path string) bool
	values        func(path string) bool // leaves whose values must equal the recording's
}

// templateOpaque is what a catalog app's answer carries as template data.
func templateOpaque(path string) bool {
	return path == ".settings.app" || path == ".visibility.appLinks" || path == ".settings.signOn"
}

// shapeDiff compares the key sets of two JSON documents, recursing into objects
// (values such as ids and timestamps are not compared).
func shapeDiff(recorded, got string, rules shapeRules) string {
	var r, g any
	if json.Unmarshal([]byte(recorded), &r) != nil {
		return ""
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		return "answer is not JSON"
	}
	var diffs []string
	compareShape("", r, g, rules, &diffs)
	return strings.Join(diffs, "; ")
}

func compareShape(path string, r, g any, rules shapeRules, diffs *[]string) {
	switch rv := r.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			*diffs = append(*diffs, path+": object expected")
			return
		}
		if rules.opaque != nil && rules.opaque(path) {
			return
		}
		byKey := rules.byKey != nil && rules.byKey(path)
		for k, v := range rv {
			if notModelled[k] {
				continue
			}
			gvv, ok := gv[k]
			if !ok {
				if !byKey {
					*diffs = append(*diffs, "missing "+path+"."+k)
				}
				continue
			}
			if v != nil && gvv != nil {
				compareShape(path+"."+k, v, gvv, rules, diffs)
			} else if rules.values != nil && rules.values(path+"."+k) && (v == nil) != (gvv == nil) {
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: %v, recorded %v", path, k, gvv, v))
			}
		}
		for k := range gv {
			if _, ok := rv[k]; !ok && !notModelled[k] && !byKey {
				*diffs = append(*diffs, "extra "+path+"."+k)
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok {
			*diffs = append(*diffs, path+": array expected")
			return
		}
		if len(rv) > 0 && len(gv) > 0 {
			compareShape(path+"[0]", rv[0], gv[0], rules, diffs)
		}
	default:
		if rules.values != nil && rules.values(path) && r != g {
			*diffs = append(*diffs, fmt.Sprintf("%s: %v, recorded %v", path, g, r))
		}
	}
}
