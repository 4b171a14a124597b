// Package examples holds only tests: the example files themselves are checked against the
// schema and loaded by config's tests, and applied against the simulator by
// cmd/oktascim's; these check what neither can see.
package examples

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const schemaLine = "# yaml-language-server: $schema="

// exampleFiles are every YAML file under examples/.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d example files (%v)", len(files), err)
	}
	return files
}

// TestEveryExampleNamesItsSchema: the first line tells editors (yaml-language-server) the
// schema; for oktascim files it is the published one, by a path that resolves from the file.
func TestEveryExampleNamesItsSchema(t *testing.T) {
	published, err := os.ReadFile("../docs/oktascim.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range exampleFiles(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		if !strings.HasPrefix(first, schemaLine) {
			t.Errorf("%s: first line %q, want %s…", path, first, schemaLine)
			continue
		}
		ref := strings.TrimPrefix(first, schemaLine)
		if isWorkflow(path) {
			if !strings.Contains(ref, "github-workflow.json") {
				t.Errorf("%s: a workflow names GitHub's workflow schema, not %s", path, ref)
			}
			continue
		}
		target, err := os.ReadFile(filepath.Join(filepath.Dir(path), filepath.FromSlash(ref)))
		if err != nil || string(target) != string(published) {
			t.Errorf("%s: $schema=%s does not resolve to docs/oktascim.schema.json (%v)", path, ref, err)
		}
	}
}

func isWorkflow(path string) bool { return filepath.Dir(path) == "ci" }

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			If   string            `yaml:"if"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

var secretExpr = regexp.MustCompile(`\$\{\{\s*secrets\.`)

// TestCIWorkflow: the workflow parses, checks out, sets up Go, installs oktascim, then runs
// validate → plan --detailed-exitcode → apply --yes --wait → test in that order; secrets
// come from repository secrets into the environment and no command line mentions them.
func TestCIWorkflow(t *testing.T) {
	b, err := os.ReadFile("ci/github-actions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	if len(w.On) == 0 || len(w.Jobs) != 1 {
		t.Fatalf("want triggers and one job, got %d triggers and %d jobs", len(w.On), len(w.Jobs))
	}
	for name, job := range w.Jobs {
		secretEnv := map[string]bool{}
		for k, v := range job.Env {
			if secretExpr.MatchString(v) {
				secretEnv[k] = true
			}
		}
		for _, k := range []string{"OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "SCIM_TOKEN"} {
			if !secretEnv[k] {
				t.Errorf("job %s: %s does not come from a repository secret", name, k)
			}
		}
		want := []struct{ step, cmd string }{
			{"checkout", "actions/checkout@"}, {"setup-go", "actions/setup-go@"},
			{"install", "go install github.com/oktascim/oktascim/cmd/oktascim@"},
			{"validate", "oktascim validate "}, {"plan", "oktascim plan "}, {"apply", "oktascim apply "}, {"test", "oktascim test "},
		}
		next := 0
		for _, s := range job.Steps {
			text := s.Uses + s.Run
			if secretExpr.MatchString(text) || strings.Contains(text, "$OKTA_CLIENT_TOKEN") || strings.Contains(text, "$SCIM_TOKEN") {
				t.Errorf("step %q puts a secret on a command line: %s", s.Name, text)
			}
			if next < len(want) && strings.Contains(text, want[next].cmd) {
				switch want[next].step {
				case "plan":
					if !strings.Contains(s.Run, "--detailed-exitcode") {
						t.Errorf("plan without --detailed-exitcode: %s", s.Run)
					}
				case "apply":
					if !strings.Contains(s.Run, "--yes") || !strings.Contains(s.Run, "--wait") {
						t.Errorf("apply without --yes --wait: %s", s.Run)
					}
				}
				next++
			}
		}
		if next != len(want) {
			t.Errorf("job %s: found the steps up to %d of %v in order; missing %q", name, next, want, want[next].step)
		}
	}
}

// TestREADMEListsEveryExample keeps README's Examples section in step with the files.
func TestREADMEListsEveryExample(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Examples\n")
	if !ok {
		t.Fatal("README has no ## Examples section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, path := range exampleFiles(t) {
		if !strings.Contains(section, "examples/"+filepath.ToSlash(path)) {
			t.Errorf("README's Examples section does not list examples/%s", filepath.ToSlash(path))
		}
	}
}
