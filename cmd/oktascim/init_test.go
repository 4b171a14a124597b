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
	ttyOut := filepath.Join(dir, "tty.yaml")
	r = cliTTY(t, nil, &typist{answers: []string{"wiki", "", "1.1", "basic", "swa", "https://wiki.example/scim/v1"}}, "init", "--out", ttyOut)
	if r.code != 0 || !strings.Contains(r.stderr, "Integration name") {
		t.Fatalf("init on a terminal: exit %d\n%s", r.code, r.allOutput)
	}
	f, err = config.Load(ttyOut, config.LoadOptions{LookupEnv: lookup})
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	if in := f.Integrations[0]; in.Name != "wiki" || in.Kind != "template" || in.SCIM.Version != "1.1" || in.SignOn.Mode != "swa" || in.SCIM.Auth.Method != "basic" {
		t.Fatalf("integration %+v", in)
	}
	before, _ := os.ReadFile(ttyOut)
	if r := cli(t, nil, "init", "--out", ttyOut); r.code != 2 {
		t.Fatalf("init over an existing file: exit %d", r.code)
	}
	if after, _ := os.ReadFile(ttyOut); string(after) != string(before) {
		t.Fatal("init changed an existing file")
	}
	if r := cli(t, nil, "init", "--out", filepath.Join(dir, "x.yaml"), "--method", "ldap"); r.code != 2 {
		t.Fatalf("init --method ldap: exit %d", r.code)
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
	r := cli(t, nil, "__complete", "plan", "-f", path, "--name", "a")
	if r.code != 0 || !strings.Contains(r.stdout, "acme\nalpha\n") || strings.Contains(r.stdout, "beta") {
		t.Fatalf("completing --name: exit %d\n%s", r.code, r.stdout)
	}
}
