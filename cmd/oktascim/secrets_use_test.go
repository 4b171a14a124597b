package main

import (
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestCommandsThatDoNotSendSCIMSecretsDoNotNeedThem: plan, status, logs and destroy
// work while the SCIM token's variable is unset; apply and test, which send it, refuse
// up front (exit 2, naming the variable) before any write.
func TestCommandsThatDoNotSendSCIMSecretsDoNotNeedThem(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "oauth", "saml")))
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); r.code != exitcode.OK {
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	vars := envVars(env, nil)
	delete(vars, "OKTASCIM_SIM_SCIM_TOKEN")
	for _, args := range [][]string{{"plan", "--detailed-exitcode"}, {"status"}, {"logs"}} {
		if r := cli(t, vars, append(args, "-f", path)...); r.code != exitcode.OK {
			t.Errorf("%s without the SCIM token: exit %d\n%s", args[0], r.code, r.allOutput)
		}
	}
	before := len(writes(env))
	for _, cmd := range []string{"apply", "test"} {
		r := cli(t, vars, cmd, "-f", path, "--yes")
		if cmd == "test" {
			r = cli(t, vars, cmd, "-f", path)
		}
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "OKTASCIM_SIM_SCIM_TOKEN") {
			t.Errorf("%s without the SCIM token: exit %d, want 2 naming the variable\n%s", cmd, r.code, r.allOutput)
		}
	}
	if w := writes(env); len(w) != before {
		t.Fatalf("a refused command wrote: %v", w[before:])
	}
	if r := cli(t, vars, "destroy", "-f", path, "--yes"); r.code != exitcode.OK || len(env.Org.Apps()) != 0 {
		t.Fatalf("destroy without the SCIM token: exit %d, %d app(s) left\n%s", r.code, len(env.Org.Apps()), r.allOutput)
	}
}
