// Package conformance runs Okta's published SCIM test suites — the Runscope "SPEC" and
// "CRUD" tests Okta asks SCIM server builders to pass — against any SCIM server.
//
// The suites are embedded unchanged (suites/, Apache-2.0, see suites/NOTICE) and
// interpreted: every request step is sent with the same method, URL, headers and body,
// its assertions are applied with Runscope's comparisons, and the check carries the
// step's own name. The CRUD suite drives an Okta org that then provisions to the SCIM
// server; without an org, its Okta-side steps are replaced by the SCIM requests Okta's
// provisioning sends for them (crud.go), and its SCIM-side steps run unchanged.
//
// It sends its own requests and imports nothing of the engine (only internal/redact):
// the SCIM test server's tests run it too (sim/imports_test.go allows that one use).
package conformance

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The embedded suites, as published by Okta (see suites/NOTICE).
const (
	FileSPEC20 = "Okta-SCIM-20-SPEC-Test.json"
	FileSPEC11 = "Okta-SCIM-11-SPEC-Test.json"
	FileCRUD20 = "Okta-SCIM-20-CRUD-Test.json"
	FileCRUD11 = "Okta-SCIM-11-CRUD-Test.json"
)

//go:embed suites/*.json
var suitesFS embed.FS

// Suite is a Runscope test export.
type Suite struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Steps       []Step `json:"steps"`
}

// Step is one Runscope step: a request (with assertions and variables) or a pause.
type Step struct {
	StepType   string      `json:"step_type"` // "request" or "pause"
	Note       string      `json:"note"`      // the step's name in Runscope
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Headers    Headers     `json:"headers"`
	Body       string      `json:"body"`
	Assertions []Assertion `json:"assertions"`
	Variables  []Variable  `json:"variables"`
	Scripts    []string    `json:"scripts"` // JavaScript run after the response (see scripts.go)
	Duration   float64     `json:"duration"`
	Skipped    bool        `json:"skipped"` // disabled in Runscope: not run
}

// Assertion is a Runscope assertion. Value is a string or a number in the exports.
type Assertion struct {
	Source     string `json:"source"`     // response_status, response_json, response_time
	Comparison string `json:"comparison"` // equal_number, equal, not_empty, has_value, contains, is_a_number, is_less_than
	Property   string `json:"property"`   // for response_json: a path like Resources[0].id
	Value      any    `json:"value"`
}

// Variable extracts a value from the response for later steps.
type Variable struct {
	Name     string `json:"name"`
	Source   string `json:"source"`
	Property string `json:"property"`
}

// Headers are a step's request headers. The exports write a header's values either
// as a list or, in some steps, as a single string.
type Headers map[string][]string

// UnmarshalJSON accepts both forms.
func (h *Headers) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Headers{}
	for k, v := range raw {
		var vals []string
		if err := json.Unmarshal(v, &vals); err != nil {
			var one string
			if err := json.Unmarshal(v, &one); err != nil {
				return fmt.Errorf("header %s: %s is neither a string nor a list of strings", k, v)
			}
			vals = []string{one}
		}
		out[k] = vals
	}
	*h = out
	return nil
}

// IsRequest reports whether the step sends a request (and so is a check).
func (s Step) IsRequest() bool { return s.StepType == "request" && !s.Skipped }

// Name is the check's name: the step's Runscope name (its note), verbatim. Every
// request step of the embedded suites has one; for a step without a note the name is
// derived from its method and URL template, which is stable across runs.
func (s Step) Name() string {
	if strings.TrimSpace(s.Note) != "" {
		return s.Note
	}
	return s.Method + " " + s.URL
}

// Parse reads a Runscope export.
func Parse(raw []byte) (*Suite, error) {
	var s Suite
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	for i, st := range s.Steps {
		switch st.StepType {
		case "request", "pause":
		default:
			return nil, fmt.Errorf("step %d: unknown step_type %q", i+1, st.StepType)
		}
	}
	return &s, nil
}

// Embedded returns the raw bytes of an embedded suite file.
func Embedded(file string) ([]byte, error) { return suitesFS.ReadFile("suites/" + file) }

// SPECFile and CRUDFile name the suite files for a SCIM version ("2.0" or "1.1").
func SPECFile(version string) string {
	if version == "1.1" {
		return FileSPEC11
	}
	return FileSPEC20
}

// CRUDFile names the CRUD suite file for a SCIM version.
func CRUDFile(version string) string {
	if version == "1.1" {
		return FileCRUD11
	}
	return FileCRUD20
}

func loadEmbedded(file string) (*Suite, error) {
	raw, err := Embedded(file)
	if err != nil {
		return nil, err
	}
	s, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}
