// Package examples holds only tests: the example files themselves are checked against the
// schema and loaded by config's tests, and applied against the simulator by
// cmd/oktascim's; these check what neither can see.
package examples

import (
	"os"
	"os/exec"
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
		Steps []step            `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	If   string            `yaml:"if"`
	With map[string]string `yaml:"with"`
	Dir  string            `yaml:"working-directory"`
}

var secretExpr = regexp.MustCompile(`\$\{\{\s*secrets\.`)

// TestCIWorkflow: the workflow parses, checks out, sets up Go, installs oktascim (in a
// way that resolves: checkInstall), then runs validate → plan --detailed-exitcode →
// apply --yes --wait → test in that order; secrets come from repository secrets into the
// environment and no command line mentions them.
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
			{"install", "go install "},
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
		checkInstall(t, job.Steps)
	}
}

var (
	installLine = regexp.MustCompile(`(?m)^\s*go install\s+(.*)$`)
	fullSHA     = regexp.MustCompile(`^[0-9a-f]{40}$`)
	released    = regexp.MustCompile(`(?m)^## \[v?(\d+\.\d+\.\d+)\]`)
)

// checkInstall: the workflow's `go install` resolves as written. Either it installs
// ./cmd/oktascim from a checkout of oktascim's own repository (the module path's) at a
// pinned commit that is in this repository's history and holds the command, with Go
// set up after it; or it names a released version (@vX.Y.Z, or @latest once anything
// is released), where released means a version section in CHANGELOG.md — none while
// nothing is tagged, so `@latest` fails here until then.
func checkInstall(t *testing.T, steps []step) {
	t.Helper()
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	modLine, _, _ := strings.Cut(string(mod), "\n")
	module := strings.TrimSpace(strings.TrimPrefix(modLine, "module "))
	changelog, err := os.ReadFile("../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]bool{}
	for _, m := range released.FindAllStringSubmatch(string(changelog), -1) {
		versions["v"+m[1]] = true
	}
	var source *step // the checkout of oktascim's source
	goAfterSource := false
	installs := 0
	for i := range steps {
		s := &steps[i]
		switch {
		case strings.HasPrefix(s.Uses, "actions/checkout@") && "github.com/"+s.With["repository"] == module:
			source = s
		case strings.HasPrefix(s.Uses, "actions/setup-go@") && source != nil:
			goAfterSource = true
			if f := s.With["go-version-file"]; f != "" && filepath.Dir(f) != filepath.Clean(source.With["path"]) {
				t.Errorf("setup-go reads %s, not the go.mod of the oktascim checkout (%s)", f, source.With["path"])
			}
		}
		for _, m := range installLine.FindAllStringSubmatch(s.Run, -1) {
			installs++
			var target string // the first argument that is not a flag
			for _, a := range strings.Fields(m[1]) {
				if !strings.HasPrefix(a, "-") {
					target = a
					break
				}
			}
			if pkg, version, ok := strings.Cut(target, "@"); ok {
				if pkg != module+"/cmd/oktascim" {
					t.Errorf("step %q installs %s, not %s/cmd/oktascim", s.Name, pkg, module)
				}
				switch {
				case version == "latest" && len(versions) == 0:
					t.Errorf("step %q: go install %s cannot resolve: nothing is released (CHANGELOG.md lists no version)", s.Name, target)
				case version != "latest" && !versions[version]:
					t.Errorf("step %q: go install %s cannot resolve: CHANGELOG.md lists no release %s", s.Name, target, version)
				}
				continue
			}
			if target != "./cmd/oktascim" {
				t.Errorf("step %q: go install %s, want ./cmd/oktascim from oktascim's checkout or %s/cmd/oktascim@vX.Y.Z", s.Name, target, module)
				continue
			}
			switch {
			case source == nil:
				t.Errorf("step %q installs ./cmd/oktascim with no earlier checkout of %s (actions/checkout with repository: %s)", s.Name, module, strings.TrimPrefix(module, "github.com/"))
				continue
			case source.With["path"] == "" || filepath.Clean(s.Dir) != filepath.Clean(source.With["path"]):
				t.Errorf("step %q runs in %q, not in the oktascim checkout's path %q", s.Name, s.Dir, source.With["path"])
			case !goAfterSource:
				t.Errorf("step %q: Go is not set up after the oktascim checkout", s.Name)
			}
			checkPinnedRef(t, source.With["ref"])
		}
	}
	if installs != 1 {
		t.Errorf("want one go install line, found %d", installs)
	}
}

// checkPinnedRef: ref is a full commit SHA in this repository's history (so it is in
// the published repository too) whose tree holds the module and the command.
func checkPinnedRef(t *testing.T, ref string) {
	t.Helper()
	if !fullSHA.MatchString(ref) {
		t.Errorf("the oktascim checkout's ref %q is not a full commit SHA: pin the commit the workflow builds", ref)
		return
	}
	if err := exec.Command("git", "rev-parse", "--is-inside-work-tree").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("git is needed to check the pinned ref (%v)", err)
		}
		t.Skipf("no git checkout to check the pinned ref in (%v)", err)
	}
	if out, err := exec.Command("git", "merge-base", "--is-ancestor", ref, "HEAD").CombinedOutput(); err != nil {
		t.Errorf("the pinned ref %s is not a commit in this repository's history (%v %s)", ref, err, out)
		return
	}
	for _, f := range []string{"go.mod", "cmd/oktascim/main.go"} {
		if out, err := exec.Command("git", "cat-file", "-e", ref+":"+f).CombinedOutput(); err != nil {
			t.Errorf("the pinned ref %s has no %s (%v %s)", ref, f, err, out)
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
