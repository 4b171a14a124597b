package main

import (
	"os"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestDefaultFile: without -f, oktascim.yaml is read, else oktascim.yml; with neither,
// the error suggests oktascim init or -f.
func TestDefaultFile(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	t.Chdir(t.TempDir())
	r := cli(t, envVars(env, nil), "plan")
	if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "oktascim init") || !strings.Contains(r.stderr, "-f") {
		t.Fatalf("plan without a file: exit %d\n%s", r.code, r.allOutput)
	}
	if err := os.WriteFile("oktascim.yml", []byte(fileOf(integrationYAML("yml", "2.0", "header", "saml"))), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"validate"}, {"plan"}, {"status"}} {
		if r := cli(t, envVars(env, nil), args...); r.code != exitcode.OK || !strings.Contains(r.stdout, "yml") {
			t.Fatalf("%v with oktascim.yml: exit %d\n%s", args, r.code, r.allOutput)
		}
	}
	if r := cli(t, nil, "__complete", "plan", "--name", ""); !strings.Contains(r.stdout, "yml\n") {
		t.Fatalf("--name does not complete from oktascim.yml:\n%s", r.stdout)
	}
	// oktascim.yaml wins when both exist.
	if err := os.WriteFile("oktascim.yaml", []byte(fileOf(integrationYAML("yaml", "2.0", "header", "saml"))), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := cli(t, envVars(env, nil), "validate"); r.code != exitcode.OK || !strings.Contains(r.stdout, "oktascim.yaml is valid") {
		t.Fatalf("validate with both: exit %d\n%s", r.code, r.allOutput)
	}
	// A file named with -f is read as named, or not at all.
	if r := cli(t, nil, "validate", "-f", "other.yml"); r.code != exitcode.Invalid || !strings.Contains(r.stderr, "other.yml") {
		t.Fatalf("validate -f other.yml: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestSSWSPrefixHint: a token pasted with its scheme gets a hint, before anything is
// sent, and the token never shows.
func TestSSWSPrefixHint(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	before := len(env.Org.Requests())
	for _, args := range [][]string{{"plan", "-f", path}, {"whoami"}} {
		r := cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "SSWS " + env.Token}), args...)
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, `starts with "SSWS "`) || !strings.Contains(r.stderr, "OKTA_CLIENT_TOKEN") {
			t.Fatalf("%v with an SSWS-prefixed token: exit %d\n%s", args, r.code, r.allOutput)
		}
		assertNoSecrets(t, r.allOutput, env.Token)
	}
	if n := len(env.Org.Requests()); n != before {
		t.Fatalf("%d request(s) sent with the prefixed token", n-before)
	}
}

// TestLogsNameIsOne: logs' help says one --name, and two are a usage error.
func TestLogsNameIsOne(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "header", "saml")))
	if r := cli(t, nil, "logs", "--help"); !strings.Contains(r.stdout, "events to show: one") || strings.Contains(r.stdout, "repeatable") {
		t.Fatalf("logs --help:\n%s", r.stdout)
	}
	if r := cli(t, envVars(env, nil), "logs", "-f", path, "--name", "acme", "--name", "beta"); r.code != exitcode.Invalid || !strings.Contains(r.stderr, "one --name") {
		t.Fatalf("logs with two --name: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestAdditionsReadAsAdditions: apply's step details name what it added without an
// arrow from nothing ("push.Engineering:  → pushed as Engineering" read as a change
// from an unnamed old value).
func TestAdditionsReadAsAdditions(t *testing.T) {
	r := cli(t, nil, "apply", "--sim", "-f", "../../examples/custom-saml-oauth2.yaml")
	if r.code != exitcode.OK {
		t.Fatalf("apply --sim: exit %d\n%s", r.code, r.allOutput)
	}
	for _, want := range []string{"push.Engineering: pushed as Engineering;", "mappings.toApp.userName: user.login (create and update);"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("apply's output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.allOutput, ":  → ") || strings.Contains(r.allOutput, " → ;") {
		t.Errorf("an addition or removal prints an arrow from or to nothing:\n%s", r.allOutput)
	}
}

// TestQuickstartUnderAllOnAfterEnable: where enabling a template app turns Push Groups
// and Import on (actions-after-enable=all-on), the quickstart's pushGroups: false and
// importUsers: false are the actions step, and the admin's Save of it keeps them off: a
// second Save is not a second enabling (it used to reapply the variant, and apply waited
// out --wait-timeout).
func TestQuickstartUnderAllOnAfterEnable(t *testing.T) {
	r := cli(t, nil, "apply", "--sim", "--sim-variant", "actions-after-enable=all-on", "--wait-timeout", "20s", "-f", "../../examples/quickstart.yaml")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "verified: the org now shows pushGroups: on → off; importUsers: on → off") {
		t.Fatalf("apply --sim under actions-after-enable=all-on: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestClearingActionsSaysHowItIsVerified: the actions step that clears Push Groups and
// Import (actions-after-enable=all-on, the quickstart declares both off) says what
// verifies a cleared checkbox, not the signs that would show it on.
func TestClearingActionsSaysHowItIsVerified(t *testing.T) {
	r := cli(t, nil, "apply", "--sim", "--sim-variant", "actions-after-enable=all-on", "--wait-timeout", "20s", "-f", "../../examples/quickstart.yaml")
	out := unwrapped(r.stdout)
	if r.code != exitcode.OK || !strings.Contains(out, "then: oktascim re-reads the app: for each checkbox cleared, the app's features list must no longer name it") {
		t.Fatalf("apply --sim under actions-after-enable=all-on: exit %d\n%s", r.code, r.allOutput)
	}
	if strings.Contains(out, "accepts any sign") {
		t.Errorf("the step to clear checkboxes says what would show them on:\n%s", r.stdout)
	}
}

// TestPruneHelpNamesGroupPushes: apply --prune removes the push mappings the file does
// not push too (TestGroupPushLinkDriftAndPrune), so its help says so.
func TestPruneHelpNamesGroupPushes(t *testing.T) {
	r := cli(t, nil, "apply", "--help")
	if !strings.Contains(unwrapped(r.stdout), "group assignments and group pushes of its apps") {
		t.Fatalf("apply --help does not say --prune removes group pushes:\n%s", r.stdout)
	}
}

// TestCustomAppIsNotCalledATemplate: a second apply of a custom app says its
// provisioning is unchanged without calling it a template app.
func TestCustomAppIsNotCalledATemplate(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(customYAML("wiki", "basic", "swa")))
	stop := adminEnablesSCIM(t, env, map[string]string{"wiki app": "basic"})
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("first apply: exit %d\n%s", r.code, r.allOutput)
	}
	r = cli(t, envVars(env, nil), "apply", "-f", path, "--yes")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "cannot read back the base URL or credentials of an App Integration Wizard app") || strings.Contains(r.stdout, "template app") {
		t.Fatalf("second apply of a custom app: exit %d\n%s", r.code, r.allOutput)
	}
}
