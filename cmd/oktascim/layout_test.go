package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPackagesSayWhatTheyDo: every package has a package comment, README's layout
// names every package, and every path the layout names exists.
func TestPackagesSayWhatTheyDo(t *testing.T) {
	root := filepath.Join("..", "..")
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{len .GoFiles}}\t{{.Doc}}", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOPROXY=off") // no network: the build already has every module
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	layout := string(readme)
	start := strings.Index(layout, "## Architecture")
	if start < 0 {
		t.Fatal("README has no Architecture section")
	}
	layout = layout[start+len("## Architecture"):]
	if end := strings.Index(layout, "\n## "); end >= 0 {
		layout = layout[:end]
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z][a-z0-9_./-]*/[a-z0-9_./-]*|[a-z]+/)`").FindAllStringSubmatch(layout, -1) {
		p := strings.TrimSuffix(m[1], "/")
		named[p] = true
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("README's layout names %s, which does not exist", m[1])
		}
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 10 {
		t.Fatalf("go list listed %d packages", len(lines))
	}
	for _, l := range lines {
		f := strings.SplitN(l, "\t", 3)
		pkg := strings.TrimPrefix(strings.TrimPrefix(f[0], "github.com/oktascim/oktascim"), "/")
		if f[1] == "0" {
			continue // tests only (examples)
		}
		if strings.TrimSpace(f[2]) == "" {
			t.Errorf("%s has no package comment saying what it does", f[0])
		}
		if !named[pkg] {
			t.Errorf("README's layout does not name %s", pkg)
		}
	}
}
