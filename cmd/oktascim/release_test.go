package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// goreleaserConfig is the part of .goreleaser.yaml the release depends on.
type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	Changelog struct {
		Use string `yaml:"use"`
	} `yaml:"changelog"`
}

// linkVars are the variables release builds set with -X; the map makes the test fail to
// compile if one is renamed or removed.
var linkVars = map[string]*string{
	"main.buildVersion": &buildVersion,
	"main.buildCommit":  &buildCommit,
	"main.buildDate":    &buildDate,
}

var ldflagX = regexp.MustCompile(`-X\s+([\w./-]+)=(\S+)`)

// TestGoreleaserConfig checks .goreleaser.yaml without goreleaser (too big to install in
// CI): format version 2, ./cmd/oktascim built as oktascim for Linux, macOS and Windows on
// amd64 and arm64 without cgo, the -X variables present in version.go, archives (zip on
// Windows) with the files they list, checksums and a changelog from git.
func TestGoreleaserConfig(t *testing.T) {
	b, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if c.Version != 2 || c.ProjectName != "oktascim" {
		t.Errorf("version %d, project_name %q; want 2 and oktascim", c.Version, c.ProjectName)
	}
	if len(c.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(c.Builds))
	}
	bld := c.Builds[0]
	if bld.Main != "./cmd/oktascim" || bld.Binary != "oktascim" {
		t.Errorf("main %q binary %q; want ./cmd/oktascim and oktascim", bld.Main, bld.Binary)
	}
	if !slices.Contains(bld.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v: want CGO_ENABLED=0 (static binaries that cross-compile)", bld.Env)
	}
	for _, want := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(bld.Goos, want) {
			t.Errorf("goos %v lacks %s", bld.Goos, want)
		}
	}
	for _, want := range []string{"amd64", "arm64"} {
		if !slices.Contains(bld.Goarch, want) {
			t.Errorf("goarch %v lacks %s", bld.Goarch, want)
		}
	}
	set := map[string]bool{}
	for _, m := range ldflagX.FindAllStringSubmatch(strings.Join(bld.Ldflags, " "), -1) {
		if _, ok := linkVars[m[1]]; !ok {
			t.Errorf("ldflags set %s, which cmd/oktascim does not declare (known: %v)", m[1], linkVarNames())
		}
		set[m[1]] = true
	}
	for name := range linkVars {
		if !set[name] {
			t.Errorf("ldflags do not set %s", name)
		}
	}
	if len(c.Archives) == 0 {
		t.Fatal("no archives")
	}
	zipOnWindows := false
	for _, o := range c.Archives[0].FormatOverrides {
		zipOnWindows = zipOnWindows || (o.Goos == "windows" && slices.Contains(o.Formats, "zip"))
	}
	if !slices.Contains(c.Archives[0].Formats, "tar.gz") || !zipOnWindows {
		t.Errorf("archives: want tar.gz, and zip for windows; got %v %+v", c.Archives[0].Formats, c.Archives[0].FormatOverrides)
	}
	for _, f := range c.Archives[0].Files {
		if strings.ContainsAny(f, "*?[") {
			continue
		}
		if _, err := os.Stat("../../" + f); err != nil {
			t.Errorf("archives list %s: %v", f, err)
		}
	}
	if c.Checksum.NameTemplate == "" || c.Changelog.Use != "git" {
		t.Errorf("checksum %+v changelog %+v; want a checksums file and a changelog from git", c.Checksum, c.Changelog)
	}
}

// TestVersionPrefersLinkTimeValues: what a release build sets with -X is what `version`
// prints; without it, the build info's values (or placeholders in a test binary).
func TestVersionPrefersLinkTimeValues(t *testing.T) {
	r := cli(t, nil, "version")
	if r.code != exitcode.OK || !strings.HasPrefix(r.stdout, "oktascim ") || !strings.Contains(r.stdout, "(commit ") {
		t.Fatalf("exit %d: %q", r.code, r.stdout)
	}
	old := [3]string{buildVersion, buildCommit, buildDate}
	t.Cleanup(func() { buildVersion, buildCommit, buildDate = old[0], old[1], old[2] })
	buildVersion, buildCommit, buildDate = "v1.2.3", "0123456789abcdef", "2026-11-23T10:00:00Z"
	r = cli(t, nil, "version")
	if want := "oktascim v1.2.3 (commit 0123456789abcdef, built 2026-11-23T10:00:00Z)\n"; r.stdout != want {
		t.Fatalf("got %q, want %q", r.stdout, want)
	}
}

func linkVarNames() []string {
	var out []string
	for k := range linkVars {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
