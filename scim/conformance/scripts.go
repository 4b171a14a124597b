package conformance

import (
	"strconv"
	"strings"
)

// The suites carry JavaScript post-response scripts (Runscope runs them after the
// assertions). oktascim does not run JavaScript: each script the embedded suites
// contain is re-expressed here in Go, keyed by its text with the white space folded,
// and a test checks every non-empty script of the embedded suites is known.
// The two of the current suites are on "Optional Test: Verify Groups endpoint"; the
// previous 2.0 suite (Okta-SCIM-20-SPEC-Test-old.json, not embedded, run by the
// scimserver tests from the shared reference) has one more, on its create step.

// script checks a parsed response body; jsonOK is false when the body is not JSON
// (JSON.parse would throw, failing the step). vars are the suite's variables.
type script func(doc any, jsonOK bool, vars map[string]string) *Failure

var scripts = map[string]script{
	// SCIM 2.0: passes whenever the body parses — with no groups it asserts a truthy
	// string ("nogroups"), with groups it asserts true, otherwise it asserts nothing.
	fold(`var data = JSON.parse(response.body);
var max = data.totalResults;
var res = data.Resources;
var exists = false;

if (max === 0)
	assert("nogroups", "No Groups found in the endpoint");
else if (max >= 1 && Array.isArray(res)) {
    exists = true;
    assert.ok(exists, "Resources is of type Array");
	log(exists);
}`): func(doc any, jsonOK bool, _ map[string]string) *Failure { return parsedObject(doc, jsonOK) },
	// SCIM 1.1: the endpoint must list at least one group, in a Resources array.
	fold(`var data = JSON.parse(response.body);
var max = data.totalResults;
var res = data.Resources;
var exists = false;
if (max >= 1 && Array.isArray(res)) {
    exists = true;
}
    
assert.ok(exists, "Resources is of type Array");
log(exists);`): func(doc any, jsonOK bool, _ map[string]string) *Failure {
		if f := parsedObject(doc, jsonOK); f != nil {
			return f
		}
		m, _ := doc.(map[string]any)
		total, found := m["totalResults"]
		_, isArr := m["Resources"].([]any)
		if jsNumber(total) >= 1 && isArr {
			return nil
		}
		return &Failure{
			Expected: `script "Resources is of type Array": totalResults >= 1 and a Resources array (at least one group)`,
			Got:      "totalResults " + shown(total, found) + ", Resources " + shown(m["Resources"], m["Resources"] != nil),
		}
	},
	// The previous 2.0 suite: the user name the server returns, lower-cased, must
	// differ from the mixed-case one sent (which it always does when the name comes
	// back); a missing userName makes the script throw.
	fold(`var data = JSON.parse(response.body);
assert.notEqual(data.userName.toLowerCase(),variables.get("randomUsername"),'ISVuserNameLower matches with InitialuserName');`): func(doc any, jsonOK bool, vars map[string]string) *Failure {
		if f := parsedObject(doc, jsonOK); f != nil {
			return f
		}
		m, _ := doc.(map[string]any)
		name, ok := m["userName"].(string)
		if !ok {
			return &Failure{Expected: "script: a userName string", Got: "userName " + shown(m["userName"], m["userName"] != nil)}
		}
		if strings.ToLower(name) == vars["randomUsername"] {
			return &Failure{Expected: `script "ISVuserNameLower matches with InitialuserName": the lower-cased userName to differ from ` + vars["randomUsername"], Got: "userName " + name}
		}
		return nil
	},
}

// parsedObject fails like the scripts' first lines do: JSON.parse throws on a body
// that is not JSON, and reading data.totalResults throws when the JSON is null.
func parsedObject(doc any, jsonOK bool) *Failure {
	if !jsonOK {
		return &Failure{Expected: "script: a JSON body (JSON.parse(response.body))", Got: "a body that is not JSON"}
	}
	if doc == nil {
		return &Failure{Expected: "script: a JSON object", Got: "null"}
	}
	return nil
}

// jsNumber converts v as JavaScript's >= does for the values JSON can hold.
func jsNumber(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return f
		}
	}
	return 0
}

// fold collapses white space, so a script is recognized whatever its indentation.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// lookupScript returns the Go version of a script; ok is false for an unknown one.
func lookupScript(text string) (script, bool) {
	s, ok := scripts[fold(text)]
	return s, ok
}
