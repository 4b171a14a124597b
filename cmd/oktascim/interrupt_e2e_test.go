package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/simenv"
	"github.com/oktascim/oktascim/okta/oktatest"
)

// TestInterruptThenRerunConverges: Ctrl-C (the context ends) while apply works on the
// first integrations: it starts nothing new, says what is done and what is not,
// exits 130; a re-run converges to exactly the declared apps, no duplicates.
func TestInterruptThenRerunConverges(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktatest.Options{Latency: 15 * time.Millisecond}})
	var ins []string
	for i := 0; i < 8; i++ {
		ins = append(ins, integrationYAML(fmt.Sprintf("app-%d", i), "2.0", "oauth", "saml"))
	}
	path := writeFile(t, fileOf(ins...))
	vars := envVars(env, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut, done := cliBackground(ctx, vars, "apply", "-f", path, "--yes", "--parallelism", "2")
	deadline := time.Now().Add(20 * time.Second)
	for !regexpTestDone.MatchString(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no integration finished:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	code := <-done
	got := out.String()
	if code != exitcode.Interrupted {
		t.Fatalf("exit %d, want 130\n%s\n%s", code, got, errOut.String())
	}
	if !strings.Contains(got, "interrupted: done: ") || !strings.Contains(got, "not started: app-") {
		t.Fatalf("no account of what is done and what is not:\n%s", got)
	}
	if n := len(env.Org.Apps()); n >= 8 {
		t.Fatalf("%d apps exist: the interruption did not stop new work", n)
	}
	r := cli(t, vars, "apply", "-f", path, "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("re-run exit %d\n%s", r.code, r.allOutput)
	}
	labels := map[string]int{}
	for _, a := range env.Org.Apps() {
		labels[a["label"].(string)]++
	}
	if len(labels) != 8 {
		t.Fatalf("after the re-run the org holds %v", labels)
	}
	for l, n := range labels {
		if n != 1 {
			t.Fatalf("%d apps labelled %q", n, l)
		}
	}
	if r := cli(t, vars, "plan", "-f", path, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after the re-run: exit %d\n%s", r.code, r.stdout)
	}
}

var regexpTestDone = regexp.MustCompile(`(?m)^app-\d+\s+test\s+done`)
