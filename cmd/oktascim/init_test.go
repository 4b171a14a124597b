package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
)

// TestInitWritesAFileThatValidates: from flags (a pipe) and from answers on a terminal;
// the file loads once its variables are set, and init never overwrites.
func TestInitWritesAFileThatValidates(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HR_SCIM_TOKEN": "t0ken", "HR_OAUTH_CLIENT_SECRET": "s3cret", "WIKI_SCIM_USERNAME": "okta", "WIKI_SCIM_PASSWORD": "pw"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	flagsOut := filepath.Join(dir, "flags.yaml")
	r := cli(t, nil, "init", "--out", flagsOut, "--name", "hr", "--kind", "custom", "--method", "oauth", "--sign-on", "saml", "--base-url", "https://scim.hr.example/scim/v2")
	if r.code != 0 || !strings.Contains(r.stderr, "HR_OAUTH_CLIENT_SECRET") {
		t.Fatalf("init exit %d\n%s", r.code, r.allOutput)
	}
	f, err := config.Load(flagsOut, config.LoadOptions{LookupEnv: lookup})
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	if in := f.Integrations[0]; in.Kind != "custom" || in.SCIM.Auth.OAuth2 == nil || in.SCIM.BaseURL != "https://scim.hr.example/scim/v2" {
		t.Fatalf("integration %+v", in)
	}
	// On a terminal each answer is checked and asked again until it is right.
	ttyOut := filepath.Join(dir, "tty.yaml")
	ty := &typist{answers: []string{"Wiki!", "wiki", "", "3.0", "2.0", "ldap", "basic", "swa", "ftp://wiki.example/scim", "https://wiki.example/scim/v2"}}
	r = cliTTY(t, nil, ty, "init", "--out", ttyOut)
	if r.code != 0 || !strings.Contains(r.stderr, "Integration name") || strings.Count(r.stderr, "try again") != 4 || ty.asked != len(ty.answers) {
		t.Fatalf("init on a terminal: exit %d, %d answers read\n%s", r.code, ty.asked, r.allOutput)
	}
	f, err = config.Load(ttyOut, config.LoadOptions{LookupEnv: lookup})
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	if in := f.Integrations[0]; in.Name != "wiki" || in.Kind != "template" || in.SCIM.Version != "2.0" || in.SignOn.Mode != "swa" || in.SCIM.Auth.Method != "basic" || in.SCIM.BaseURL != "https://wiki.example/scim/v2" ||
		in.Provisioning.SyncPassword != nil || in.Provisioning.PushGroups != nil || in.Visibility != (config.Visibility{}) || len(in.Provisioning.Defaulted) != 0 {
		t.Fatalf("integration %+v", in)
	}
	before, _ := os.ReadFile(ttyOut)
	if r := cli(t, nil, "init", "--out", ttyOut); r.code != 2 {
		t.Fatalf("init over an existing file: exit %d", r.code)
	}
	if after, _ := os.ReadFile(ttyOut); string(after) != string(before) {
		t.Fatal("init changed an existing file")
	}
	// Invalid flags are exit 2 and write nothing, on a terminal too.
	for _, args := range [][]string{{"--method", "ldap"}, {"--name", "Not A Name"}, {"--base-url", "http://scim.example.com/scim/v2"},
		{"--kind", "oin"}, {"--version", "1.1", "--method", "header"}, {"--kind", "custom", "--version", "1.1"}, {"--sign-on", "oidc"}} {
		out := filepath.Join(dir, "x.yaml")
		r := cli(t, nil, append([]string{"init", "--out", out}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "--"+strings.TrimPrefix(args[len(args)-2], "--")) {
			t.Errorf("init %v: exit %d, want 2 naming the flag\n%s", args, r.code, r.allOutput)
		}
		if r := cliTTY(t, nil, &typist{answers: []string{"", "", "", "", "", ""}}, append([]string{"init", "--out", out}, args...)...); r.code != 2 {
			t.Errorf("init %v on a terminal: exit %d, want 2", args, r.code)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("init %v wrote a file", args)
		}
	}
	// --out - writes the file to stdout.
	r = cli(t, nil, "init", "--out", "-", "--name", "hr")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "# yaml-language-server") || !strings.Contains(r.stdout, "name: hr") || strings.Contains(r.stdout, "set HR_") {
		t.Fatalf("init --out -: exit %d\n%s", r.code, r.allOutput)
	}
	if _, err := os.Stat("-"); err == nil {
		t.Fatal("init --out - wrote a file named -")
	}
}

// TestInitEveryCombinationValidates: every combination init offers (kind × SCIM
// version × auth method × sign-on) writes a file that passes validate once its
// variables are set.
func TestInitEveryCombinationValidates(t *testing.T) {
	n := 0
	for _, kind := range []string{"template", "custom"} {
		for _, version := range []string{"2.0", "1.1"} {
			o := initOptions{kind: kind, version: version}
			versions := initFields(&o)[2].allowed(o)
			if !contains(versions, version) {
				continue
			}
			for _, method := range initMethods(o) {
				for _, signOn := range []string{"saml", "swa"} {
					n++
					path := filepath.Join(t.TempDir(), "oktascim.yaml")
					args := []string{"init", "--out", path, "--name", "app-1", "--kind", kind, "--version", version, "--method", method, "--sign-on", signOn}
					if kind == "custom" {
						args = append(args[:7], args[9:]...) // no --version
					}
					if r := cli(t, nil, args...); r.code != 0 {
						t.Fatalf("init %v: exit %d\n%s", args, r.code, r.allOutput)
					}
					vars := map[string]string{"APP_1_SCIM_TOKEN": "t", "APP_1_SCIM_USERNAME": "u", "APP_1_SCIM_PASSWORD": "p", "APP_1_OAUTH_CLIENT_SECRET": "s",
						"OKTA_CLIENT_TOKEN": "x"}
					if r := cli(t, vars, "validate", "-f", path); r.code != 0 {
						b, _ := os.ReadFile(path)
						t.Fatalf("init %v wrote a file validate refuses: exit %d\n%s\n%s", args, r.code, r.allOutput, b)
					}
				}
			}
		}
	}
	if n != 14 { // template: 2.0 × 3 methods + 1.1 × oauth, custom: 2.0 × 3; each × 2 sign-ons
		t.Fatalf("%d combinations, want 14", n)
	}
}

// TestCompletion: the shells' scripts, and --name completing from the file's integrations.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if r := cli(t, nil, "completion", shell); r.code != 0 || !strings.Contains(r.stdout, "oktascim") {
			t.Fatalf("completion %s: exit %d", shell, r.code)
		}
	}
	path := writeFile(t, "version: 1\nintegrations:\n  - name: acme\n  - name: alpha\n  - name: beta\n")
	for _, args := range [][]string{{"__complete", "plan", "-o", ""}, {"__complete", "status", "--output", ""}} {
		if r := cli(t, nil, args...); r.code != 0 || !strings.HasPrefix(r.stdout, "text\njson\nyaml\n:4\n") {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stdout)
		}
	}
	r := cli(t, nil, "__complete", "plan", "-f", path, "--name", "a")
	if r.code != 0 || !strings.Contains(r.stdout, "acme\nalpha\n") || strings.Contains(r.stdout, "beta") {
		t.Fatalf("completing --name: exit %d\n%s", r.code, r.stdout)
	}
}
