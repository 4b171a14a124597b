package openapicheck

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/internal/reftest"
)

// The operations oktascim calls. Real Okta accepted every recorded request to them
// (terraform-provider-okta cassettes in shared/reference), so each must validate: this
// is what proves the known exceptions match real traffic, not just the spec's text.
var oktascimOperations = map[string]bool{}

func init() {
	for _, op := range []string{
		"listApplications", "getApplication", "createApplication", "replaceApplication",
		"activateApplication", "deactivateApplication", "deleteApplication",
		"getDefaultProvisioningConnectionForApplication", "updateDefaultProvisioningConnectionForApplication",
		"activateDefaultProvisioningConnectionForApplication",
		"listFeaturesForApplication", "getFeatureForApplication", "updateFeatureForApplication",
		"listGroups", "listApplicationGroupAssignments", "assignGroupToApplication",
		"unassignApplicationFromGroup", "listLogEvents",
	} {
		oktascimOperations[op] = true
	}
}

// cassette is the part of a go-vcr v2 cassette this test reads.
type cassette struct {
	Interactions []struct {
		Request struct {
			Method, URL, Body string
			Headers           http.Header
		}
		Response struct{ Code int }
	}
}

func TestRealOktaTrafficValidates(t *testing.T) {
	v := specValidator(t)
	dir := filepath.Join(filepath.Dir(v.specPath), "..", "terraform-okta-vcr")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		reftest.Missing(t, "no recorded Okta traffic in "+dir)
	}
	checked := map[string]int{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c cassette
		if err := yaml.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, in := range c.Interactions {
			u, err := url.Parse(in.Request.URL)
			if err != nil || in.Response.Code >= 300 {
				continue
			}
			r := Request{Method: in.Request.Method, Path: u.EscapedPath(), RawQuery: u.RawQuery,
				Header: in.Request.Headers, Body: []byte(in.Request.Body)}
			route, _, err := v.route(r)
			if err != nil || !oktascimOperations[route.Operation.OperationID] || isCustomAppWrite(route.Method, route.Path, r) {
				continue
			}
			checked[route.Operation.OperationID]++
			if err := v.Validate(r); err != nil {
				t.Errorf("%s interaction %d, accepted by Okta:\n%v", filepath.Base(f), i, err)
			}
		}
	}
	var ops []string
	for op := range checked {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		t.Logf("%-52s %d", op, checked[op])
	}
	for _, must := range []string{"createApplication", "replaceApplication", "updateDefaultProvisioningConnectionForApplication", "assignGroupToApplication"} {
		if checked[must] == 0 {
			t.Errorf("no recorded %s checked (have %v)", must, ops)
		}
	}
}

// isCustomAppWrite tells app bodies that oktascim never sends: custom apps meet
// further spec disagreements (e.g. credentials.userName) that are not its concern.
func isCustomAppWrite(method, pattern string, r Request) bool {
	if !isAppWrite(method, pattern) {
		return false
	}
	name, _ := lookup(decodeBody(r.Body), "name").(string)
	return name == "" || customAppNames[name]
}
