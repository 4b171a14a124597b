package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// documentedFields reads docs/output.md's command table: for each command, the
// top-level fields it documents (nested ones, in parentheses or braces, left out).
func documentedFields(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../../docs/output.md")
	if err != nil {
		t.Fatal(err)
	}
	nested := regexp.MustCompile(`\([^()]*\)|\{[^{}]*\}`)
	name := regexp.MustCompile("`([a-zA-Z ]+)(\\[\\])?`")
	out := map[string][]string{}
	_, table, ok := strings.Cut(string(raw), "top-level fields after")
	if !ok {
		t.Fatal("docs/output.md has no command table")
	}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 4 || !(strings.Contains(cells[1], "`") || strings.Contains(cells[1], "any command")) {
			continue
		}
		fields := cells[2]
		for prev := ""; prev != fields; {
			prev, fields = fields, nested.ReplaceAllString(fields, "")
		}
		fields = strings.Split(fields, " — ")[0]
		var names []string
		for _, m := range name.FindAllStringSubmatch(fields, -1) {
			names = append(names, m[1])
		}
		commands := []string{}
		for _, m := range name.FindAllStringSubmatch(cells[1], -1) {
			commands = append(commands, m[1])
		}
		if strings.Contains(cells[1], "any command") {
			commands = []string{"error"}
		}
		for _, c := range commands {
			out[c] = names
		}
	}
	return out
}

// topKeys are a JSON object's keys in order.
func topKeys(t *testing.T, doc string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %v\n%s", err, doc)
	}
	var keys []string
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, fmt.Sprint(k))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestOutputDocsMatchOutput: every command's real -o json document (success and
// failure) starts with version, command and exitCode, and has exactly the top-level
// fields docs/output.md lists for it; status's drift is a boolean.
func TestOutputDocsMatchOutput(t *testing.T) {
	documented := documentedFields(t)
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "swa")))
	bad := writeFile(t, "version: 1\nintegrations: 7\n")
	vars := envVars(env, nil)
	env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "gone app", "signOnMode": "SAML_2_0",
		"settings": map[string]any{"notes": map[string]any{"admin": "[oktascim:gone] managed by oktascim"}}})
	runs := []struct {
		command string
		args    []string
		code    int
	}{
		{"validate", []string{"validate", "-f", path}, 0},
		{"plan", []string{"plan", "-f", path, "--prune"}, 0},
		{"apply", []string{"apply", "-f", path, "--yes", "--prune"}, 0},
		{"test", []string{"test", "-f", path}, 0},
		{"status", []string{"status", "-f", path}, 0},
		{"status", []string{"status", "--all"}, 0},
		{"logs", []string{"logs", "-f", path, "--name", "acme"}, 0},
		{"doctor", []string{"doctor", "-f", path}, -1},
		{"scim check", []string{"scim", "check", "-f", path, "--name", "acme"}, -1},
		{"whoami", []string{"whoami"}, 0},
		{"version", []string{"version"}, 0},
		{"destroy", []string{"destroy", "-f", path, "--yes"}, 0},
	}
	for _, c := range []string{"validate", "plan", "apply", "test", "status", "logs", "doctor", "scim check", "destroy", "import"} {
		args := append(strings.Fields(c), "-f", bad)
		if c == "import" {
			args = []string{"import", "--label", "no such app"}
		}
		runs = append(runs, struct {
			command string
			args    []string
			code    int
		}{"error:" + c, args, -1})
	}
	runs = append(runs, struct {
		command string
		args    []string
		code    int
	}{"error:whoami", []string{"whoami"}, exitcode.AuthRefused})
	seen := map[string]map[string]bool{}
	for _, run := range runs {
		runVars := vars
		if run.command == "error:whoami" {
			runVars = envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "refused"})
		}
		for _, format := range []string{"json", "yaml"} {
			r := cli(t, runVars, append(run.args, "-o", format)...)
			if run.code >= 0 && r.code != run.code {
				t.Fatalf("%v -o %s: exit %d, want %d\n%s", run.args, format, r.code, run.code, r.allOutput)
			}
			if format == "yaml" {
				if !strings.HasPrefix(r.stdout, fmt.Sprintf("---\nversion: %d\ncommand: ", reportVersion)) || !strings.Contains(r.stdout, fmt.Sprintf("\nexitCode: %d\n", r.code)) {
					t.Fatalf("%v -o yaml does not start with version, command, exitCode:\n%s", run.args, r.stdout)
				}
				continue
			}
			command, kind := run.command, run.command
			if strings.HasPrefix(command, "error:") {
				command = strings.TrimPrefix(command, "error:")
				kind = "error"
				if r.code == exitcode.OK {
					t.Fatalf("%v: exit 0 on an error", run.args)
				}
			}
			doc := checkOneDocument(t, r.stdout, command, r.code)
			keys := topKeys(t, r.stdout)
			if strings.Join(keys[:3], ",") != "version,command,exitCode" {
				t.Fatalf("%v: the document starts with %v", run.args, keys[:3])
			}
			if kind == "error" && command == "whoami" {
				kind = "whoami" // whoami reports a refusal in its own document (error)
			}
			want := documented[kind]
			if want == nil {
				t.Fatalf("docs/output.md has no row for %q", kind)
			}
			if seen[kind] == nil {
				seen[kind] = map[string]bool{}
			}
			for _, k := range keys[3:] {
				if !contains(want, k) {
					t.Errorf("%v: field %q is not in docs/output.md's row for %s (%v)", run.args, k, kind, want)
				}
				seen[kind][k] = true
			}
			if kind == "status" {
				for _, a := range doc["apps"].([]any) {
					if _, ok := a.(map[string]any)["drift"].(bool); !ok {
						t.Fatalf("status: drift is not a boolean: %v", a)
					}
				}
			}
		}
	}
	// Every documented field shows in some run, except what these runs cannot produce.
	cannot := map[string][]string{"whoami": {"profile", "scopes"}, "test": {"plan"}, "destroy": {"plan"}} // plan: apply only
	for kind, want := range documented {
		var missing []string
		for _, k := range want {
			if !seen[kind][k] && !contains(cannot[kind], k) {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("docs/output.md documents %v for %s, which no run printed", missing, kind)
		}
	}
}
