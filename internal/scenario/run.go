package scenario

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// CLI runs one oktascim command line with exactly the given environment and returns its
// exit code and output: the cobra root in-process (simulator tests) or a built binary
// (acceptance).
type CLI func(ctx context.Context, args []string, env map[string]string) (code int, stdout, stderr string)

// Env is what the runner needs from one side.
type Env interface {
	// Prefix starts every integration name (and so every stamp) and label the scenario's
	// file declares; on a real org it is unique to the run, so cleanup finds what it made.
	Prefix() string
	// Vars is the environment a command sees: the org (OKTA_CLIENT_ORGURL and
	// OKTA_CLIENT_TOKEN) and the variables Refs names.
	Vars() map[string]string
	// Refs names the variables that hold the SCIM base URLs and credentials.
	Refs() Refs
	// Groups are existing groups every integration is assigned.
	Groups() []string
	// Secrets are values that must never appear in any output.
	Secrets() []string
	// Skip says why the scenario cannot run here ("" when it can): an admin is needed and
	// none is at hand, or a SCIM server or credential it needs is not configured.
	Skip(Scenario) string
	// Admin starts doing the scenario's manual steps as an admin would (the simulator's
	// stand-in; on a real org, the person reading the output) until stop is called.
	Admin(ctx context.Context, sc Scenario) (stop func())
	// Flags are extra flags for a command line (e.g. a short --poll-interval on the
	// simulator).
	Flags(args []string) []string
	// Run runs the CLI.
	Run(ctx context.Context, args []string, env map[string]string) (code int, stdout, stderr string)
}

// OrgWatcher is an Env that sees the requests the org receives (the simulator).
type OrgWatcher interface {
	// OrgWrites are the write requests the org received since the last call
	// ("METHOD /path" each).
	OrgWrites() []string
}

// Result is what one step produced.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs every step of sc in order against env, failing t at the first step that does not
// do what the scenario says (later steps depend on it).
func Run(ctx context.Context, t testing.TB, env Env, sc Scenario) {
	t.Helper()
	if reason := env.Skip(sc); reason != "" {
		t.Skip(reason)
	}
	prefix := env.Prefix()
	path := filepath.Join(t.TempDir(), "oktascim.yaml")
	if err := os.WriteFile(path, []byte(sc.File(prefix, env.Refs(), env.Groups())), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := env.Vars()
	watcher, _ := env.(OrgWatcher)
	for i, st := range sc.Steps {
		args := append(slices.Clone(st.Args), "-f", path)
		if st.NoWrites {
			args = append(args, "--debug")
		}
		args = append(args, env.Flags(args)...)
		if watcher != nil {
			watcher.OrgWrites() // only this step's requests count
		}
		var stop func()
		if st.Admin {
			stop = env.Admin(ctx, sc)
		}
		code, stdout, stderr := env.Run(ctx, args, vars)
		if stop != nil {
			stop()
		}
		r := Result{Code: code, Stdout: stdout, Stderr: stderr}
		var orgWrites []string
		if watcher != nil {
			orgWrites = watcher.OrgWrites()
		}
		if problems := Check(st, sc.Names(prefix), r, orgWrites, env.Secrets()); len(problems) > 0 {
			t.Fatalf("%s, step %d (oktascim %s):\n  %s\n--- stdout\n%s--- stderr\n%s", sc.Name, i+1, strings.Join(st.Args, " "),
				strings.Join(problems, "\n  "), stdout, stderr)
		}
		t.Logf("step %d: oktascim %s: exit %d as expected", i+1, strings.Join(st.Args, " "), code)
	}
}

var (
	// A step, or a numbered round-trip stage ("acme  2 create  done  …").
	outcomeLine = regexp.MustCompile(`(?m)^(\S+)\s+(?:\d )?([a-z-]+)\s+(done|unchanged|manual|failed|skipped|waiting)\s`)
	// A write in the client's --debug trace: "okta: PUT /api/v1/apps/0oa… → 200 in …".
	// Requests for an OAuth access token are not writes to the org.
	traceWrite = regexp.MustCompile(`(?m)^okta: (POST|PUT|PATCH|DELETE) (\S+) → `)
)

// Outcomes maps "integration/step" to the last outcome the text output shows for it.
func Outcomes(out string, names []string) map[string]string {
	m := map[string]string{}
	for _, g := range outcomeLine.FindAllStringSubmatch(out, -1) {
		if slices.Contains(names, g[1]) {
			m[g[1]+"/"+g[2]] = g[3]
		}
	}
	return m
}

// Check says how r falls short of st ("" problems: it does not).
func Check(st Step, names []string, r Result, orgWrites, secrets []string) []string {
	var problems []string
	if r.Code != st.Code {
		problems = append(problems, fmt.Sprintf("exit %d, want %d", r.Code, st.Code))
	}
	all := r.Stdout + r.Stderr
	for _, want := range st.Out {
		if !strings.Contains(all, want) {
			problems = append(problems, fmt.Sprintf("the output lacks %q", want))
		}
	}
	got := Outcomes(r.Stdout, names)
	steps := make([]string, 0, len(st.Outcomes))
	for step := range st.Outcomes {
		steps = append(steps, step)
	}
	slices.Sort(steps)
	for _, name := range names {
		for _, step := range steps {
			if want := st.Outcomes[step]; !slices.Contains(strings.Split(want, "|"), got[name+"/"+step]) {
				problems = append(problems, fmt.Sprintf("%s %s: %q, want %q", name, step, got[name+"/"+step], want))
			}
		}
	}
	if st.NoWrites {
		for _, m := range traceWrite.FindAllStringSubmatch(r.Stderr, -1) {
			if !strings.HasPrefix(m[2], "/oauth2/") {
				problems = append(problems, "sent a write: "+m[1]+" "+m[2])
			}
		}
		for _, w := range orgWrites {
			problems = append(problems, "the org received a write: "+w)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			problems = append(problems, "a secret value appears in the output")
			break
		}
	}
	return problems
}
