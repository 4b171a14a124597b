package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestInterruptThenRerunConverges: Ctrl-C (the context ends) while apply works on the
// first integrations: it starts nothing new, says what is done and what is not,
// exits 130; a re-run converges to exactly the declared apps, no duplicates.
func TestInterruptThenRerunConverges(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{Latency: 15 * time.Millisecond}})
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

// An integration's last step before the run's connection tests (whose System Log
// check waits for the run's one read).
var regexpTestDone = regexp.MustCompile(`(?m)^app-\d+\s+groups\s+done`)

// TestProgressOnATerminal: on a terminal, a progress line (stderr) counts finished
// integrations and is cleared before each result line and at the end.
func TestProgressOnATerminal(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("one", "2.0", "oauth", "saml"), integrationYAML("two", "2.0", "oauth", "saml"), integrationYAML("three", "2.0", "oauth", "saml")))
	r := cliTTY(t, envVars(env, nil), &typist{}, "apply", "-f", path, "--yes")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if !strings.Contains(r.stderr, "] 3/3 integrations") || !strings.Contains(r.stderr, "] 1/3 integrations") {
		t.Fatalf("no progress line:\n%q", r.stderr)
	}
	if !strings.HasSuffix(r.stderr, "\r\033[K") {
		t.Fatalf("progress line not cleared at the end: %q", r.stderr[max(0, len(r.stderr)-40):])
	}
	if strings.Contains(r.stdout, "\r") {
		t.Fatal("progress drawn into the results (stdout)")
	}
	// In a pipe there is none.
	if r := cli(t, envVars(env, nil), "apply", "-f", path, "--yes"); strings.Contains(r.stderr, "integrations\r") || strings.Contains(r.stderr, "/3 integrations") {
		t.Fatalf("progress in a pipe:\n%q", r.stderr)
	}
}

// TestInterruptDuringWait: Ctrl-C while apply --wait waits for a manual step: that
// step is "interrupted", the steps after it "not started", exit 130; nothing "failed"
// and no "context canceled", in text and in JSON.
func TestInterruptDuringWait(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			env := startEnv(t, simenv.Options{})
			path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out, errOut, done := cliBackground(ctx, envVars(env, nil), "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms", "-o", format)
			deadline := time.Now().Add(20 * time.Second)
			for !requested(env, "GET", "/api/v1/logs") {
				if time.Now().After(deadline) {
					t.Fatalf("apply never waited:\n%s", out.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			code := <-done
			got := out.String()
			if code != exitcode.Interrupted {
				t.Fatalf("exit %d, want 130\n%s\n%s", code, got, errOut.String())
			}
			if strings.Contains(got, "failed") || strings.Contains(got+errOut.String(), "context canceled") {
				t.Fatalf("an interruption reads as a failure:\n%s\n%s", got, errOut.String())
			}
			outcome := map[string]string{}
			if format == "json" {
				var doc struct {
					Events []struct{ Step, Outcome string } `json:"events"`
				}
				if err := json.Unmarshal([]byte(got), &doc); err != nil {
					t.Fatalf("%v\n%s", err, got)
				}
				for _, e := range doc.Events {
					outcome[e.Step] = e.Outcome
				}
			} else {
				for _, line := range strings.Split(got, "\n") {
					if f := strings.Fields(line); len(f) >= 3 && f[0] == "acme" {
						outcome[f[1]] = strings.Join(f[2:min(4, len(f))], " ")
					}
				}
			}
			if outcome["provisioning"] != "interrupted" && !strings.HasPrefix(outcome["provisioning"], "interrupted") {
				t.Fatalf("provisioning: %q, want interrupted\n%s", outcome["provisioning"], got)
			}
			for _, step := range []string{"actions", "groups", "test"} {
				if !strings.HasPrefix(outcome[step], "not started") {
					t.Errorf("%s: %q, want not started\n%s", step, outcome[step], got)
				}
			}
		})
	}
}
