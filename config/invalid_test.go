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
	if len(files) < 25 {
		t.Fatalf("want at least 25 invalid files, found %d", len(files))
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
				if p.Line == 0 && filepath.Base(path) != "binary.yaml" {
					t.Errorf("problem without a line: %s", p)
				}
			}
		})
	}
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
