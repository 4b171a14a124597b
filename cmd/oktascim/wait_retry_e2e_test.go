package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// adminMistypesThenFixes plays a person at the console: once the tool waits, they save
// a wrong token (Okta's credential test fails and logs it), and — when fix is set —
// save the right one after the tool has had time to see the refusal.
func adminMistypesThenFixes(t *testing.T, env *simenv.Env, label string, fix bool) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	settings := declaredSettings(env, map[string][2]string{label: {"2.0", "header"}})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			for _, app := range env.Org.Apps() {
				id, _ := app["id"].(string)
				s, ok := settings(app)
				if !ok || !waitingOn(env, id) {
					continue
				}
				good := s
				s.Token = "mistyped-" + s.Token
				_ = env.Org.EnableProvisioning(ctx, id, s)
				if !fix {
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(400 * time.Millisecond):
				}
				_ = env.Org.EnableProvisioning(ctx, id, good)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
}

// TestWaitOutlivesAMistypedSave: with --wait a person can correct a refused save; the
// refusal is reported once and the wait goes on, so the run converges (exit 0).
func TestWaitOutlivesAMistypedSave(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	stop := adminMistypesThenFixes(t, env, "acme app", true)
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--wait-timeout", "20s", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.OK {
		t.Fatalf("apply exit %d, want 0 after the admin saved the right token\n%s", r.code, r.allOutput)
	}
	if n := strings.Count(r.stdout, "save again (still waiting)"); n != 1 {
		t.Errorf("the refusal is reported %d times, want once:\n%s", n, r.stdout)
	}
	if got := outcomes(r.stdout)["acme/provisioning"]; got != "done" {
		t.Errorf("provisioning outcome %q, want done:\n%s", got, r.stdout)
	}
}

// TestWaitEndsWithTheRefusal: a refusal that is still the newest word when the wait
// runs out is a failed step (exit 6, Okta's reason), not a pending one.
func TestWaitEndsWithTheRefusal(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	stop := adminMistypesThenFixes(t, env, "acme app", false)
	r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--wait-timeout", "1s", "--poll-interval", "20ms")
	stop()
	if r.code != exitcode.ConnectionFailed {
		t.Fatalf("apply exit %d, want 6\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.stdout, "Okta refused the provisioning settings") || outcomes(r.stdout)["acme/provisioning"] != "failed" {
		t.Errorf("the run does not end with Okta's refusal:\n%s", r.stdout)
	}
}
