package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/sim/simenv"
)

// TestEveryReportInJSONAndYAML: every command that reports prints the same document in
// JSON and in YAML (-o json / -o yaml), with the same keys in the same order.
func TestEveryReportInJSONAndYAML(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != 0 {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	for _, args := range [][]string{
		{"validate", "-f", path},
		{"plan", "-f", path},
		{"apply", "-f", path, "--yes"},
		{"test", "-f", path},
		{"status", "-f", path},
		{"status", "--all"},
		{"logs", "-f", path, "--name", "acme"},
		{"doctor", "-f", path},
		{"whoami"},
		{"version"},
		{"scim", "check", "-f", path, "--name", "acme"},
	} {
		t.Run(strings.Join(args[:min(2, len(args))], " "), func(t *testing.T) {
			j := cli(t, vars, append(args, "-o", "json")...)
			y := cli(t, vars, append(args, "-o", "yaml")...)
			if j.code != y.code {
				t.Fatalf("exit %d with json, %d with yaml", j.code, y.code)
			}
			// The two runs are moments apart: times in details ("since 10:55:15") may differ.
			for _, r := range []*result{&j, &y} {
				r.stdout = clockPattern.ReplaceAllString(timestampPattern.ReplaceAllString(r.stdout, "TIME"), "CLOCK")
			}
			var fromJSON, fromYAML any
			if err := json.Unmarshal([]byte(j.stdout), &fromJSON); err != nil {
				t.Fatalf("-o json is not one JSON document: %v\n%s", err, j.stdout)
			}
			if !strings.HasPrefix(y.stdout, "---\n") {
				t.Fatalf("-o yaml does not start a YAML document:\n%s", y.stdout)
			}
			if err := yaml.Unmarshal([]byte(y.stdout), &fromYAML); err != nil {
				t.Fatalf("-o yaml is not YAML: %v\n%s", err, y.stdout)
			}
			// scim check's random test users differ from run to run; its shape must not.
			volatile := args[0] == "scim"
			if a, b := normalize(fromJSON), normalize(fromYAML); (!volatile && !reflect.DeepEqual(a, b)) || !sameShape(a, b) {
				t.Fatalf("JSON and YAML documents differ\njson: %s\nyaml: %s", j.stdout, y.stdout)
			}
			var top yaml.Node
			_ = yaml.Unmarshal([]byte(y.stdout), &top)
			if len(top.Content) == 0 || top.Content[0].Kind != yaml.MappingNode || top.Content[0].Content[0].Value != firstKey(j.stdout) {
				t.Fatalf("YAML keys are not in the JSON document's order")
			}
		})
	}
	if r := cli(t, vars, "plan", "-f", path, "-o", "xml"); r.code != 2 || !strings.Contains(r.stderr, "text, json or yaml") {
		t.Fatalf("-o xml: exit %d\n%s", r.code, r.allOutput)
	}
}

// normalize makes YAML's and JSON's decodings comparable (numbers, map types, times).
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// sameShape: the same keys, list lengths and value kinds, whatever the values.
func sameShape(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameShape(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}

func firstKey(doc string) string {
	dec := json.NewDecoder(strings.NewReader(doc))
	_, _ = dec.Token()
	k, _ := dec.Token()
	s, _ := k.(string)
	return s
}

// TestColourOnlyOnATerminal: colour on a terminal, never in a pipe, with NO_COLOR or
// with --no-color.
func TestColourOnlyOnATerminal(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := envVars(env, nil)
	if r := cliTTY(t, vars, &typist{}, "plan", "-f", path); !strings.Contains(r.stdout, "\033[32m+ create") {
		t.Fatalf("no colour on a terminal:\n%q", r.stdout)
	}
	for name, run := range map[string]func() result{
		"pipe": func() result { return cli(t, vars, "plan", "-f", path) },
		"NO_COLOR": func() result {
			return cliTTY(t, envVars(env, map[string]string{"NO_COLOR": "1"}), &typist{}, "plan", "-f", path)
		},
		"--no-color": func() result { return cliTTY(t, vars, &typist{}, "plan", "-f", path, "--no-color") },
		"TERM=dumb": func() result {
			return cliTTY(t, envVars(env, map[string]string{"TERM": "dumb"}), &typist{}, "plan", "-f", path)
		},
	} {
		if r := run(); strings.Contains(r.allOutput, "\033[") {
			t.Errorf("%s: colour escapes in the output", name)
		}
	}
}
