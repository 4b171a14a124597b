package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/simenv"
)

var (
	exampleCommand = regexp.MustCompile("`(oktascim apply --sim -f (examples/[^`\\s]+))`")
	// ${NAME} (not $${…}, not Okta's ${user.…}) and { env: NAME } references.
	exampleVarRef = regexp.MustCompile(`(?:^|[^$])\$\{([A-Z][A-Z0-9_]*)\}|env:\s*([A-Z][A-Z0-9_]*)`)
)

// TestExamplesApplyAsTheREADMESays: the README's Examples section gives one command per
// oktascim file in examples/, the file's own comments give the same, every variable the
// file names is one the simulator provides, and the command, run as written in a shell
// at the repository root, converges (exit 0).
func TestExamplesApplyAsTheREADMESays(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "\n## Examples\n")
	section, _, _ = strings.Cut(section, "\n## ")
	commands := map[string]string{}
	for _, m := range exampleCommand.FindAllStringSubmatch(section, -1) {
		if commands[m[2]] != "" {
			t.Errorf("README gives %s two commands", m[2])
		}
		commands[m[2]] = m[1]
	}
	files, _ := filepath.Glob("../../examples/*.yaml")
	if len(files) < 10 {
		t.Fatalf("found %d example files", len(files))
	}
	env := startEnv(t, simenv.Options{})
	provided := env.LookupEnv(func(string) (string, bool) { return "", false })
	for _, path := range files {
		rel := "examples/" + filepath.Base(path)
		cmd := commands[rel]
		delete(commands, rel)
		t.Run(filepath.Base(path), func(t *testing.T) {
			if cmd == "" {
				t.Fatalf("README's Examples section gives no `oktascim apply --sim -f %s`", rel)
			}
			content, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(content), cmd) {
				t.Errorf("%s does not name its command (%s) in its comments", rel, cmd)
			}
			for _, m := range exampleVarRef.FindAllStringSubmatch(withoutCommentLines(string(content)), -1) {
				name := m[1] + m[2]
				if _, ok := provided(name); !ok {
					t.Errorf("%s names %s, which the simulator does not provide", rel, name)
				}
			}
			out, err := shell(t, "../..", cmd)
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
			if !strings.Contains(out, "verified") {
				t.Errorf("%s: exit 0 but nothing verified\n%s", cmd, out)
			}
		})
	}
	for rel := range commands {
		t.Errorf("README gives a command for %s, which does not exist", rel)
	}
}

func withoutCommentLines(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
