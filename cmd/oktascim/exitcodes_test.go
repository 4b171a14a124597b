package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestUsageErrorsExit2: whatever cobra refuses (unknown command or flag, extra
// arguments, an invalid flag value, an unknown subcommand of a group) exits 2, in
// text and as one JSON document naming the command.
func TestUsageErrorsExit2(t *testing.T) {
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	for _, tc := range []struct {
		command string // in the document
		args    []string
	}{
		{"", []string{"frobnicate"}},
		{"", []string{"--bogus"}},
		{"plan", []string{"plan", "-f", path, "--bogus"}},
		{"plan", []string{"plan", "-f", path, "extra"}},
		{"apply", []string{"apply", "-f", path, "--parallelism", "x"}},
		{"apply", []string{"apply", "-f", path, "--parallelism", "0"}},
		{"plan", []string{"plan", "-f", path, "--output", "xml"}},
		{"completion", []string{"completion", "tcsh"}},
		{"scim", []string{"scim", "bogus"}},
		{"config", []string{"config", "bogus"}},
		{"logs", []string{"logs", "-f", path, "--since", "yesterday"}},
		{"init", []string{"init", "--out", t.TempDir() + "/x.yaml", "--method", "ldap"}},
	} {
		name := strings.Join(tc.args, " ")
		if r := cli(t, nil, tc.args...); r.code != exitcode.Invalid || !strings.Contains(r.stderr, "error:") {
			t.Errorf("%s: exit %d, want 2\n%s", name, r.code, r.allOutput)
		}
		if tc.args[len(tc.args)-1] == "xml" {
			continue // -o xml is itself the usage error
		}
		r := cli(t, nil, append(tc.args, "-o", "json")...)
		if r.code != exitcode.Invalid {
			t.Errorf("%s -o json: exit %d, want 2", name, r.code)
			continue
		}
		doc := checkOneDocument(t, r.stdout, tc.command, exitcode.Invalid)
		if p, _ := doc["problems"].([]any); len(p) == 0 {
			t.Errorf("%s -o json: no problems in %s", name, r.stdout)
		}
	}
	// Help is not an error.
	for _, args := range [][]string{{"--help"}, {"apply", "--help"}, {"completion"}} {
		if r := cli(t, nil, args...); r.code != exitcode.OK {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
}

// TestErrorDocuments: with -o json|yaml an invalid file, a refused token and a failed
// run each print one document on stdout with version, command, exitCode and either
// problems (file, line, column, field, message) or the run's results.
func TestErrorDocuments(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	bad := writeFile(t, "version: 1\nintegrations:\n  - name: acme\n    label: 7\n    scim: { version: \"3.0\" }\n")
	for _, command := range []string{"validate", "plan", "apply", "destroy", "status", "test", "logs", "doctor"} {
		r := cli(t, envVars(env, nil), command, "-f", bad, "-o", "json", "--yes")
		if command != "apply" && command != "destroy" {
			r = cli(t, envVars(env, nil), command, "-f", bad, "-o", "json")
		}
		if r.code != exitcode.Invalid {
			t.Errorf("%s on an invalid file: exit %d\n%s", command, r.code, r.allOutput)
			continue
		}
		doc := checkOneDocument(t, r.stdout, command, exitcode.Invalid)
		problems, _ := doc["problems"].([]any)
		if len(problems) == 0 {
			t.Fatalf("%s: no problems: %s", command, r.stdout)
		}
		p := problems[0].(map[string]any)
		if p["file"] != bad || p["line"] == nil || p["column"] == nil || p["field"] == nil || p["message"] == nil {
			t.Fatalf("%s: a problem without file, line, column, field and message: %v", command, p)
		}
	}
	// YAML is the same document.
	if r := cli(t, envVars(env, nil), "validate", "-f", bad, "-o", "yaml"); r.code != exitcode.Invalid ||
		!strings.HasPrefix(r.stdout, fmt.Sprintf("---\nversion: %d\ncommand: validate\nexitCode: 2\n", reportVersion)) || !strings.Contains(r.stdout, "problems:") {
		t.Fatalf("validate -o yaml: exit %d\n%s", r.code, r.stdout)
	}

	good := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
	refused := envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "not-the-token"})
	for _, command := range []string{"plan", "status", "apply", "whoami"} {
		args := []string{command, "-f", good, "-o", "json"}
		if command == "apply" {
			args = append(args, "--yes")
		}
		if command == "whoami" {
			args = []string{"whoami", "-o", "json"}
		}
		r := cli(t, refused, args...)
		if r.code != exitcode.AuthRefused {
			t.Errorf("%s with a refused token: exit %d, want 4\n%s", command, r.code, r.allOutput)
			continue
		}
		checkOneDocument(t, r.stdout, command, exitcode.AuthRefused)
	}

	// Okta refuses to save the connection: its own credential test got the SCIM
	// server's 401. That is a failed connection test (6), in text and in JSON.
	wrongSCIM := envVars(env, map[string]string{"OKTASCIM_SIM_SCIM_TOKEN": "not-the-scim-token"})
	r := cli(t, wrongSCIM, "apply", "-f", good, "--yes", "-o", "json")
	if r.code != exitcode.ConnectionFailed {
		t.Fatalf("apply with a SCIM token the server refuses: exit %d, want 6\n%s", r.code, r.allOutput)
	}
	doc := checkOneDocument(t, r.stdout, "apply", exitcode.ConnectionFailed)
	if ev, _ := doc["events"].([]any); len(ev) == 0 || doc["result"] != "connection test failed" {
		t.Fatalf("the failed run's document lacks its results: %s", r.stdout)
	}
	if r := cli(t, wrongSCIM, "apply", "-f", good, "--yes"); r.code != exitcode.ConnectionFailed || !strings.Contains(r.stdout, "(exit 6)") {
		t.Fatalf("text: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestExitCodesDocumented: the README's table lists every exit code the tool has, and
// apply --help and plan --help list the ones each can end with.
func TestExitCodesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "## Exit codes")
	table, _, _ = strings.Cut(table, "\n## ")
	all := []int{exitcode.OK, exitcode.Failure, exitcode.Invalid, exitcode.Changes, exitcode.AuthRefused, exitcode.ManualPending, exitcode.ConnectionFailed, exitcode.Interrupted}
	for _, c := range all {
		if !strings.Contains(table, fmt.Sprintf("\n| %d | ", c)) {
			t.Errorf("README's exit code table lacks %d", c)
		}
	}
	for cmd, codes := range map[string][]int{
		"apply": {exitcode.OK, exitcode.Failure, exitcode.Invalid, exitcode.AuthRefused, exitcode.ManualPending, exitcode.ConnectionFailed, exitcode.Interrupted},
		"plan":  {exitcode.OK, exitcode.Failure, exitcode.Invalid, exitcode.Changes, exitcode.AuthRefused, exitcode.Interrupted},
	} {
		r := cli(t, nil, cmd, "--help")
		for _, c := range codes {
			if !regexp.MustCompile(fmt.Sprintf(`(?m)^  %d  `, c)).MatchString(r.stdout) {
				t.Errorf("%s --help does not list exit code %d:\n%s", cmd, c, r.stdout)
			}
		}
	}
}
