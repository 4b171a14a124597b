package openapicheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadIsCachedPerPath(t *testing.T) {
	first := specValidator(t)
	again, err := Load(first.specPath)
	if err != nil || again != first {
		t.Fatalf("second Load: %p, %v; want the cached %p", again, err, first)
	}
}

func TestLoadReportsAMissingSpec(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(missing)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("want an error naming the file, got %v", err)
	}
}

func TestDefaultSpecPath(t *testing.T) {
	t.Run("env override", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "spec.yaml")
		if err := os.WriteFile(f, []byte("openapi: 3.0.3\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv(SpecPathEnv, f)
		if got := DefaultSpecPath(); got != f {
			t.Fatalf("got %q, want %q", got, f)
		}
		t.Setenv(SpecPathEnv, f+".missing")
		if got := DefaultSpecPath(); got != "" {
			t.Fatalf("missing override: got %q, want \"\"", got)
		}
	})
	t.Run("walks up from the working dir", func(t *testing.T) {
		t.Setenv(SpecPathEnv, "")
		root := t.TempDir()
		spec := filepath.Join(root, filepath.FromSlash(SpecFile))
		deep := filepath.Join(root, "main", "internal", "pkg")
		for _, d := range []string{filepath.Dir(spec), deep} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(spec, []byte("openapi: 3.0.3\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Chdir(deep)
		if got := DefaultSpecPath(); got != spec {
			t.Fatalf("got %q, want %q", got, spec)
		}
	})
	t.Run("not found", func(t *testing.T) {
		t.Setenv(SpecPathEnv, "")
		dir := t.TempDir()
		for d := dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
			if isFile(filepath.Join(filepath.Dir(d), filepath.FromSlash(SpecFile))) {
				// e.g. a clone in /tmp with ../shared beside it: the walk rightly finds it.
				t.Skipf("an ancestor of %s holds the spec", dir)
			}
		}
		t.Chdir(dir)
		if got := DefaultSpecPath(); got != "" {
			t.Fatalf("got %q, want \"\"", got)
		}
	})
}
