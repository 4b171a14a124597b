package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/invalid/*.want from the current output")

// testEnv is the environment the testdata files are written against.
func testEnv(name string) (string, bool) {
	v, ok := map[string]string{
		"ACME_SCIM_TOKEN": "scim-token-value",
		"OKTA_API_TOKEN":  "okta-token-value",
		"ACME_HOST":       "acme.example",
	}[name]
	return v, ok
}

func TestInvalidFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) < 45 {
		t.Fatalf("want at least 45 invalid files, found %d", len(files))
	}
	absDir, _ := filepath.Abs("testdata/invalid")
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			_, err := Load(path, LoadOptions{LookupEnv: testEnv, Stdin: strings.NewReader("")})
			var problems Problems
			if !errors.As(err, &problems) {
				t.Fatalf("Load = %v, want Problems", err)
			}
			got := strings.ReplaceAll(problems.Error(), absDir, "$DIR") + "\n"
			want := strings.TrimSuffix(path, ".yaml") + ".want"
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./config -run TestInvalidFiles -update)", err)
			}
			if got != string(b) {
				t.Errorf("problems differ\n got:\n%s\nwant:\n%s", got, b)
			}
			for _, p := range problems {
				if p.Line == 0 || p.Column == 0 {
					t.Errorf("problem without a line and column: %s", p)
				}
				if p.Field == "" && !wholeFileProblem[filepath.Base(path)] {
					t.Errorf("problem without a field: %s", p)
				}
			}
		})
	}
}

// wholeFileProblem are the files whose problem is the file itself, with no field
// to name.
var wholeFileProblem = map[string]bool{
	"binary.yaml":        true, // the first line is binary garbage
	"empty.yaml":         true,
	"comments-only.yaml": true,
	"null-document.yaml": true,
	"multi-doc.yaml":     true,
	"not-a-mapping.yaml": true,
}

func TestLiteralSecretIsNotEchoed(t *testing.T) {
	_, err := Load("testdata/invalid/literal-secret.yaml", LoadOptions{LookupEnv: testEnv})
	if err == nil {
		t.Fatal("literal secrets were accepted")
	}
	for _, literal := range []string{"00abcLITERALOKTATOKEN", "LITERALSCIMTOKEN"} {
		if strings.Contains(err.Error(), literal) {
			t.Errorf("the error repeats the literal secret %q:\n%v", literal, err)
		}
	}
	if !strings.Contains(err.Error(), "{ env: ACME_SCIM_TOKEN }") {
		t.Errorf("the error does not say how to fix it:\n%v", err)
	}
}

func TestOversizedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	data := []byte("version: 1\n# " + strings.Repeat("x", MaxFileSize) + "\n")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, LoadOptions{LookupEnv: testEnv})
	if err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Fatalf("Load = %v, want a size problem", err)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load("testdata/no-such.yaml", LoadOptions{})
	var problems Problems
	if !errors.As(err, &problems) || !strings.Contains(err.Error(), "testdata/no-such.yaml: cannot read the file") {
		t.Fatalf("Load = %v", err)
	}
}

func TestDirectoryAsFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir, LoadOptions{LookupEnv: testEnv})
	var problems Problems
	if !errors.As(err, &problems) || !strings.Contains(err.Error(), dir+": is a directory, not an oktascim file") {
		t.Fatalf("Load = %v", err)
	}
}

func TestFieldAt(t *testing.T) {
	file := strings.Join([]string{
		"version: 1",                   // 1
		"org:",                         // 2
		"  url: https://acme.okta.com", // 3
		"integrations:",                // 4
		"- name: acme",                 // 5: a list at the key's indentation
		"  scim:",                      // 6
		"    # a comment",              // 7
		"",                             // 8
		"    baseUrl: x",               // 9
		"    auth:",                    // 10
		"      token: { env: X }",      // 11
		"  groups:",                    // 12
		"    - Engineering",            // 13
		"    - Sales",                  // 14
		"- name: beta\r",               // 15
		"  \"label\": Beta",            // 16
		"  groups:",                    // 17
		"  - - nested",                 // 18
		"    - deeper",                 // 19
		"  - flat",                     // 20
	}, "\n")
	lines := strings.Split(file, "\n")
	for line, want := range map[int]string{
		1: "version", 2: "org", 3: "org.url", 4: "integrations", 5: "integrations[0].name",
		6: "integrations[0].scim", 7: "", 8: "", 9: "integrations[0].scim.baseUrl",
		10: "integrations[0].scim.auth", 11: "integrations[0].scim.auth.token",
		12: "integrations[0].groups", 13: "integrations[0].groups[0]", 14: "integrations[0].groups[1]",
		15: "integrations[1].name", 16: "integrations[1].label", 17: "integrations[1].groups",
		18: "integrations[1].groups[0][0]", 19: "integrations[1].groups[0][1]", 20: "integrations[1].groups[1]",
		0: "", 99: "",
	} {
		if got := fieldAt(lines, line); got != want {
			t.Errorf("line %d: field %q, want %q", line, got, want)
		}
	}
	// The line a syntax error stops at may itself be off: mis-indented within an
	// item, or indented with a tab (taken at the level of the line above).
	for _, tc := range []struct{ last, want string }{
		{"   label: x", "integrations[0].label"},
		{"\tlabel: x", "integrations[0].label"},
		{"      deeper: x", "integrations[0].name.deeper"},
		{"label: [x", "label"},
	} {
		lines := []string{"integrations:", "  - name: acme", tc.last}
		if got := fieldAt(lines, 3); got != tc.want {
			t.Errorf("%q: field %q, want %q", tc.last, got, tc.want)
		}
	}
}
