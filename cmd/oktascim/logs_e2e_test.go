package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// syncBuffer is a buffer a running command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cliBackground runs the cobra root until ctx ends (Ctrl-C); done receives the exit code.
func cliBackground(ctx context.Context, vars map[string]string, args ...string) (out, errOut *syncBuffer, done chan int) {
	out, errOut, done = &syncBuffer{}, &syncBuffer{}, make(chan int, 1)
	go func() {
		lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
		done <- run(ctx, args, &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut}, lookup)
	}()
	return out, errOut, done
}

// TestLogsPagesNewestFirstWithHints: more events than one page, newest first, only the
// app's own, a hint under each known failure; --failures and -o json.
func TestLogsPagesNewestFirstWithHints(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "saml")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "oauth"}})
	acme := appByLabel(t, env, "acme app")["id"].(string)
	beta := appByLabel(t, env, "beta app")["id"].(string)
	for i := 0; i < 230; i++ {
		_ = env.Org.LogEvent(acme, "application.provision.user.push", "SUCCESS", "")
	}
	_ = env.Org.LogEvent(beta, "application.provision.user.push", "FAILURE", "beta's own failure")
	_ = env.Org.LogEvent(acme, "application.provision.user.push", "FAILURE", "Error while creating user: 409 Conflict")
	_ = env.Org.LogEvent(acme, "application.provision.user.deactivate", "FAILURE", "")
	vars := envVars(env, nil)
	env.Org.ResetRequests()

	r := cli(t, vars, "logs", "-f", path, "--name", "acme", "--since", "1h", "--limit", "500")
	if r.code != exitcode.OK {
		t.Fatalf("logs exit %d\n%s", r.code, r.allOutput)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var events []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "    hint:") {
			events = append(events, l)
		}
	}
	total := 0
	for _, e := range env.Org.Logs() {
		if strings.Contains(fmt.Sprint(e["target"]), acme) {
			total++
		}
	}
	if len(events) != total {
		t.Fatalf("%d event lines, want all %d of acme's events", len(events), total)
	}
	if !strings.Contains(events[0], "application.provision.user.deactivate") || !strings.Contains(events[1], "409 Conflict") {
		t.Fatalf("not newest first:\n%s\n%s", events[0], events[1])
	}
	if strings.Contains(r.stdout, "beta's own failure") {
		t.Fatal("logs shows another app's events")
	}
	for _, want := range []string{"hint: the SCIM server says the user exists", "hint: Okta could not deactivate the user"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q:\n%s", want, r.stdout[:min(len(r.stdout), 2000)])
		}
	}
	pages := 0
	for _, req := range env.Org.Requests() {
		if req.Path == "/api/v1/logs" {
			pages++
			if pages > 1 && !strings.Contains(req.RawQuery, "after=") {
				t.Errorf("page %d without the Link cursor: %s", pages, req.RawQuery)
			}
		}
	}
	if pages < 3 {
		t.Fatalf("%d System Log requests for %d events: Link pages were not followed", pages, total)
	}

	r = cli(t, vars, "logs", "-f", path, "--name", "acme", "--failures", "-o", "json")
	var doc struct {
		AppID  string `json:"appId"`
		Events []struct{ EventType, Outcome, Reason, Hint string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if doc.AppID != acme || len(doc.Events) != 2 || doc.Events[1].Hint == "" || doc.Events[0].Outcome != "FAILURE" {
		t.Fatalf("--failures JSON: %+v", doc)
	}
	if r := cli(t, vars, "logs", "-f", path); r.code != exitcode.Invalid || !strings.Contains(r.allOutput, "--name") {
		t.Fatalf("logs without --name on a two-integration file: exit %d\n%s", r.code, r.allOutput)
	}
	if r := cli(t, vars, "logs", "-f", path, "--name", "acme", "--since", "100d"); r.code != exitcode.Invalid {
		t.Fatalf("--since beyond the retention: exit %d", r.code)
	}
}

// TestLogsFollow: new events appear as they are logged, oldest first, each once, and
// Ctrl-C (context cancel) ends it cleanly.
func TestLogsFollow(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}})
	acme := appByLabel(t, env, "acme app")["id"].(string)
	vars := envVars(env, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut, done := cliBackground(ctx, vars, "logs", "-f", path, "--failures", "--follow", "--interval", "20ms")
	waitFor := func(s string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(out.String(), s) {
			if time.Now().After(deadline) {
				t.Fatalf("%q never appeared:\n%s\n%s", s, out.String(), errOut.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for i := 1; i <= 3; i++ {
		_ = env.Org.LogEvent(acme, "application.provision.user.push", "FAILURE", fmt.Sprintf("failure number %d", i))
		_ = env.Org.LogEvent(acme, "application.provision.user.push", "SUCCESS", "")
		waitFor(fmt.Sprintf("failure number %d", i))
	}
	time.Sleep(100 * time.Millisecond) // a few more polls: nothing may repeat
	cancel()
	if code := <-done; code != exitcode.OK {
		t.Fatalf("follow exit %d\n%s", code, errOut.String())
	}
	got := out.String()
	for i := 1; i <= 3; i++ {
		if n := strings.Count(got, fmt.Sprintf("failure number %d", i)); n != 1 {
			t.Errorf("failure %d printed %d times", i, n)
		}
	}
	if strings.Index(got, "failure number 1") > strings.Index(got, "failure number 3") || strings.Contains(got, "SUCCESS") {
		t.Fatalf("follow order or filter wrong:\n%s", got)
	}
}

// TestConnectionTestsReadTheSystemLogOnce: `test` on three apps makes one System Log
// read for all of them (target.id … or …), and a failure on one app fails that app's
// test only.
func TestConnectionTestsReadTheSystemLogOnce(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "oauth", "saml"),
		integrationYAML("gamma", "2.0", "oauth", "saml")))
	converge(t, env, path, map[string][2]string{"acme app": {"2.0", "header"}, "beta app": {"2.0", "oauth"}, "gamma app": {"2.0", "oauth"}})
	beta := appByLabel(t, env, "beta app")["id"].(string)
	_ = env.Org.LogEvent(beta, "application.provision.user.push", "FAILURE", "beta's own failure")
	env.Org.ResetRequests()
	r := cli(t, envVars(env, nil), "test", "-f", path)
	if r.code != exitcode.ConnectionFailed {
		t.Fatalf("exit %d, want 6\n%s", r.code, r.allOutput)
	}
	if o := outcomes(r.stdout); o["acme/test"] != "done" || o["beta/test"] != "failed" || o["gamma/test"] != "done" {
		t.Fatalf("outcomes %v\n%s", o, r.stdout)
	}
	var reads []string
	for _, q := range env.Org.Requests() {
		if q.Path == "/api/v1/logs" {
			reads = append(reads, q.RawQuery)
		}
	}
	if len(reads) != 1 || strings.Count(reads[0], "+or+") != 2 {
		t.Fatalf("System Log reads: %q, want one for the three apps", reads)
	}
}
