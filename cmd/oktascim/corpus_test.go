package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestInvalidCorpus runs validate and apply on every broken file of the config
// corpus (and on a few made here: too large, a directory, missing) against a running
// simulator: each exits 2, prints exactly the golden problems, and sends nothing.
func TestInvalidCorpus(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	// The environment config/invalid_test.go loads the corpus with (testEnv there).
	vars := envVars(env, map[string]string{
		"ACME_SCIM_TOKEN": "scim-token-value",
		"OKTA_API_TOKEN":  "okta-token-value",
		"ACME_HOST":       "acme.example",
	})
	dir := filepath.Join("..", "..", "config", "testdata", "invalid")
	absDir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) < 45 {
		t.Fatalf("want at least 45 files in %s, found %d", dir, len(files))
	}

	type testCase struct{ path, want string } // want: the problem lines, without "error: "
	var cases []testCase
	for _, path := range files {
		golden, err := os.ReadFile(strings.TrimSuffix(path, ".yaml") + ".want")
		if err != nil {
			t.Fatal(err)
		}
		// The goldens name the file as testdata/invalid/NAME.yaml and its directory $DIR.
		var lines []string
		for _, l := range strings.Split(strings.TrimSuffix(string(golden), "\n"), "\n") {
			l = strings.ReplaceAll(l, "$DIR", absDir)
			lines = append(lines, path+strings.TrimPrefix(l, "testdata/invalid/"+filepath.Base(path)))
		}
		cases = append(cases, testCase{path, strings.Join(lines, "\n")})
	}
	tmp := t.TempDir()
	big := filepath.Join(tmp, "big.yaml")
	if err := os.WriteFile(big, []byte("version: 1\n# "+strings.Repeat("x", config.MaxFileSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases = append(cases,
		testCase{big, big + ": the file is larger than 1024 KiB; an oktascim file is a few KiB"},
		testCase{tmp, tmp + ": is a directory, not an oktascim file"},
		testCase{filepath.Join(tmp, "missing.yaml"), filepath.Join(tmp, "missing.yaml") + ": cannot read the file: no such file or directory"},
	)

	for _, tc := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(tc.path), ".yaml"), func(t *testing.T) {
			problems := strings.Count(tc.want, "\n") + 1
			want := "error: " + strings.ReplaceAll(tc.want, "\n", "\nerror: ") + "\n" +
				fmt.Sprintf("%d problem(s); nothing was sent to Okta\n", problems)
			for _, args := range [][]string{{"validate", "-f", tc.path}, {"apply", "-f", tc.path, "--yes"}} {
				before := len(env.Org.Requests())
				r := cli(t, vars, args...)
				if r.code != 2 {
					t.Errorf("%s: exit %d, want 2\n%s", strings.Join(args, " "), r.code, r.allOutput)
				}
				if r.stderr != want {
					t.Errorf("%s: stderr\n%s\nwant\n%s", strings.Join(args, " "), r.stderr, want)
				}
				if r.stdout != "" {
					t.Errorf("%s: stdout %q, want nothing", strings.Join(args, " "), r.stdout)
				}
				if reqs := env.Org.Requests(); len(reqs) != before {
					t.Errorf("%s: sent %d request(s) to the org, want none: first %s %s", strings.Join(args, " "), len(reqs)-before, reqs[before].Method, reqs[before].Path)
				}
			}
		})
	}
	if n := len(env.Org.Requests()); n != 0 {
		t.Fatalf("the org received %d request(s), want none", n)
	}
}
