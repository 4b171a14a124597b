package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/oktascim/oktascim"

// leaves are the oktascim packages outside sim/ a stand-in may use: small shared
// helpers that import nothing of the engine themselves (the check below follows every
// dependency, so a leaf that grew such an import fails too).
var leaves = map[string]bool{
	module + "/internal/loopback": true,
	module + "/internal/redact":   true,
}

// testLeaves are what a stand-in's tests may import besides: the reference data, the
// OpenAPI checker, fixture modes, and, for the SCIM test server's tests only, Okta's
// published SCIM conformance suites (scim/conformance embeds them byte for byte) —
// the server is checked against Okta's test, not built from the engine.
var testLeaves = map[string]string{
	module + "/internal/reftest":      "",
	module + "/internal/openapicheck": "",
	module + "/internal/fixtures":     "",
	module + "/scim/conformance":      module + "/sim/scimserver",
}

type listed struct {
	ImportPath                      string
	Deps, TestImports, XTestImports []string
}

// forbidden lists, per package, the engine packages it depends on: every dependency
// of its code (transitively), and the direct imports of its tests.
func forbidden(pkgs []listed) map[string][]string {
	out := map[string][]string{}
	engine := func(p string) bool {
		return (p == module || strings.HasPrefix(p, module+"/")) && !strings.HasPrefix(p, module+"/sim/") && p != module+"/sim"
	}
	for _, p := range pkgs {
		for _, d := range p.Deps {
			if engine(d) && !leaves[d] {
				out[p.ImportPath] = append(out[p.ImportPath], d)
			}
		}
		for _, d := range append(append([]string{}, p.TestImports...), p.XTestImports...) {
			only, ok := testLeaves[d]
			if engine(d) && !leaves[d] && (!ok || only != "" && only != p.ImportPath) {
				out[p.ImportPath] = append(out[p.ImportPath], d+" (test)")
			}
		}
		sort.Strings(out[p.ImportPath])
	}
	return out
}

// TestStandInsImportNoEngine: no package under sim/ depends on the engine.
func TestStandInsImportNoEngine(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", module+"/sim/...")
	cmd.Env = append(os.Environ(), "GOPROXY=off") // no network: the build already has every module
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.ImportPath] = true
	}
	for _, p := range []string{"sim/oktaorg", "sim/scimserver", "sim/simenv"} {
		if !seen[module+"/"+p] {
			t.Fatalf("go list did not list %s (listed %v)", p, seen)
		}
	}
	for pkg, deps := range forbidden(pkgs) {
		if len(deps) > 0 {
			t.Errorf("%s depends on the engine: %s", pkg, strings.Join(deps, ", "))
		}
	}
}

// The check itself: an engine import is caught directly, through a dependency and in
// a test; the leaves and the scoped test leaf pass only where allowed.
func TestForbidden(t *testing.T) {
	got := forbidden([]listed{
		{ImportPath: module + "/sim/a", Deps: []string{"fmt", module + "/sim/b", module + "/internal/loopback", module + "/plan"}},
		{ImportPath: module + "/sim/b", TestImports: []string{module + "/internal/reftest", module + "/scim/conformance"}},
		{ImportPath: module + "/sim/scimserver", XTestImports: []string{module + "/scim/conformance", module + "/okta"}},
		{ImportPath: module + "/sim/c", Deps: []string{module + "/simulator", module}},
	})
	want := map[string][]string{
		module + "/sim/a":          {module + "/plan"},
		module + "/sim/b":          {module + "/scim/conformance (test)"},
		module + "/sim/scimserver": {module + "/okta (test)"},
		module + "/sim/c":          {module, module + "/simulator"},
	}
	for pkg, w := range want {
		if strings.Join(got[pkg], ",") != strings.Join(w, ",") {
			t.Errorf("%s: got %v, want %v", pkg, got[pkg], w)
		}
	}
}
