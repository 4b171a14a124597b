package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad: no input makes the loader panic or hang, and whatever fails, fails
// with Problems that carry a file name. The seeds are every testdata file.
func FuzzLoad(f *testing.F) {
	invalid, _ := filepath.Glob("testdata/invalid/*.yaml")
	valid, _ := filepath.Glob("testdata/valid/*.yaml")
	if len(invalid) < 45 || len(valid) < 2 {
		f.Fatalf("seed corpus: %d invalid and %d valid files, want every testdata file", len(invalid), len(valid))
	}
	for _, s := range append(invalid, valid...) {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("version: 1\nintegrations: [{name: a, scim: {baseUrl: '${X', auth: {method: basic}}}]"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data, dir, LoadOptions{LookupEnv: testEnv, Stdin: strings.NewReader("s")})
		if err != nil {
			if ps, ok := err.(Problems); !ok || len(ps) == 0 || ps[0].File != "fuzz.yaml" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if file.Version != 1 || len(file.Integrations) == 0 {
			t.Fatalf("loaded a file without version or integrations: %+v", file)
		}
	})
}
