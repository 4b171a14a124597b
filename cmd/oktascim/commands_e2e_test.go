package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestSimCommandServesWhatItPrints: `oktascim sim` prints export lines; with exactly
// those, apply converges against it and test verifies, as a user in another shell would.
func TestSimCommandServesWhatItPrints(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--listen", "127.0.0.1:0", "--connection-api"}, &IOStreams{In: strings.NewReader(""), Out: pw, ErrOut: &errOut}, func(string) (string, bool) { return "", false })
		pw.Close()
	}()
	vars := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(vars) < 11 && sc.Scan() { // the 11 variables simenv.Env.Vars exports
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok && strings.HasPrefix(sc.Text(), "export ") {
			vars[k] = v
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	for _, k := range []string{"OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTASCIM_SIM_SCIM_URL", "OKTASCIM_SIM_SCIM_TOKEN"} {
		if vars[k] == "" {
			t.Fatalf("sim did not print %s; got %v", k, vars)
		}
	}
	path := writeFile(t, fileOf(integrationYAML("via-sim", "2.0", "header", "swa")))
	if r := cli(t, vars, "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply against `oktascim sim`: exit %d\n%s", r.code, r.allOutput)
	}
	r := cli(t, vars, "test", "-f", path)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "via-sim") || !strings.Contains(r.stdout, "200 SCIM ListResponse") {
		t.Fatalf("test: exit %d\n%s", r.code, r.allOutput)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitcode.OK || !strings.Contains(errOut.String(), "sim: stopped") {
			t.Fatalf("sim ended with %d: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop when its context ended")
	}
}

// TestTestCommandExplainsARefusedToken: `oktascim test` alone sends Okta's credential
// test with the file's credentials; a wrong token is exit 6 with a 401 explanation.
func TestTestCommandExplainsARefusedToken(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("probe", "2.0", "oauth", "saml")))
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.allOutput)
	}
	env.Org.ResetRequests()
	r := cli(t, envVars(env, map[string]string{"OKTASCIM_SIM_SCIM_TOKEN": "rotated-wrong-token"}), "test", "-f", path, "-o", "json")
	if r.code != exitcode.ConnectionFailed {
		t.Fatalf("exit %d, want %d\n%s", r.code, exitcode.ConnectionFailed, r.allOutput)
	}
	var doc struct {
		Events []struct{ Step, Outcome, Detail, Hint string } `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(doc.Events) != 1 || doc.Events[0].Step != "test" || doc.Events[0].Outcome != "failed" || !strings.Contains(doc.Events[0].Detail+doc.Events[0].Hint, "401") {
		t.Fatalf("events %+v", doc.Events)
	}
	for _, req := range env.Org.Requests() {
		if req.Method != "GET" {
			t.Errorf("test wrote to Okta: %s %s", req.Method, req.Path)
		}
	}
	assertNoSecrets(t, r.allOutput, env.Token, "rotated-wrong-token", env.SCIMToken)
}

func TestConfigSchemaCommand(t *testing.T) {
	r := cli(t, nil, "config", "schema")
	if r.code != exitcode.OK || r.stdout != string(config.Schema()) || !json.Valid([]byte(r.stdout)) {
		t.Fatalf("exit %d, %d bytes", r.code, len(r.stdout))
	}
}

// TestValidateValidFileSendsNothing: validate reads the file and the secrets only.
func TestValidateValidFileSendsNothing(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("one", "2.0", "basic", "saml"), integrationYAML("two", "1.1", "oauth", "swa")))
	r := cli(t, envVars(env, nil), "validate", "-f", path)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "is valid: 2 integration(s)") || !strings.Contains(r.stdout, "two: scim1testapp app, BROWSER_PLUGIN sign-on") {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if n := len(env.Org.Requests()); n != 0 {
		t.Fatalf("validate sent %d requests to Okta", n)
	}
	assertNoSecrets(t, r.allOutput, env.Secrets()...)
}

// TestValidateShowsDefaultsAndWhatIsLeftAlone: the three documented defaults show as
// "(default)"; the actions the file does not name are listed as left as the org has them.
func TestValidateShowsDefaultsAndWhatIsLeftAlone(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	in := strings.Replace(integrationYAML("one", "2.0", "header", "saml"),
		"provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true, syncPassword: false }", "provisioning: { updateUsers: false }", 1)
	path := writeFile(t, fileOf(in))
	r := cli(t, envVars(env, nil), "validate", "-f", path)
	want := "  provisioning: createUsers on (default), updateUsers off, deactivateUsers on (default); not in the file, left as the org has them: syncPassword, pushGroups, importUsers\n"
	if r.code != exitcode.OK || !strings.Contains(r.stdout, want) {
		t.Fatalf("exit %d, want %q in\n%s", r.code, want, r.allOutput)
	}
	r = cli(t, envVars(env, nil), "validate", "-f", path, "-o", "json")
	var doc struct {
		Integrations []struct {
			Provisioning []struct {
				Name        string
				On, Default bool
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitcode.OK || len(doc.Integrations) != 1 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.allOutput)
	}
	got := fmt.Sprint(doc.Integrations[0].Provisioning)
	if got != "[{createUsers true true} {updateUsers false false} {deactivateUsers true true}]" {
		t.Fatalf("provisioning %s", got)
	}
}

// TestValidateSCIM11HeaderOrBasicNeedsAppName: no SCIM 1.1 header or basic template name
// is known, so the file must name one; validate exits 2 saying why, and sends nothing.
func TestValidateSCIM11HeaderOrBasicNeedsAppName(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	for _, method := range []string{"header", "basic"} {
		path := writeFile(t, fileOf(integrationYAML("legacy", "1.1", method, "saml")))
		r := cli(t, envVars(env, nil), "validate", "-f", path)
		if r.code != exitcode.Invalid || !strings.Contains(r.allOutput, "integrations[0].scim.appName: is required for SCIM 1.1 with method "+method) ||
			!strings.Contains(r.allOutput, "scim1testapp") || !strings.Contains(r.allOutput, "names nobody has recorded") {
			t.Fatalf("%s: exit %d\n%s", method, r.code, r.allOutput)
		}
		if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); r.code != exitcode.Invalid {
			t.Fatalf("apply %s: exit %d", method, r.code)
		}
	}
	if n := len(env.Org.Requests()); n != 0 {
		t.Fatalf("%d requests sent to Okta", n)
	}
}
