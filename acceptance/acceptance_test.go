//go:build acceptance

package acceptance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/scenario"
	"github.com/oktascim/oktascim/okta"
)

// TestScenarios runs every scenario of internal/scenario against the real org, in order,
// one at a time, with the oktascim binary. Scenarios that need a person in the Admin Console
// are skipped unless OKTASCIM_ACCEPTANCE_ADMIN=1, in which case the output of apply --wait
// (the manual step with its values and link) streams to the test's stderr for that person.
func TestScenarios(t *testing.T) {
	s, err := FromEnv(os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	client, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: s.Org, Token: config.NewSecret(s.Token)})
	if err != nil {
		t.Fatal(err)
	}
	prefix := NewRunPrefix()
	began := time.Now().Add(-time.Minute) // the org's clock may differ a little
	t.Logf("org %s, run prefix %s (every app this run makes carries it)", s.Org, prefix)
	sweepOrReport(t, client, s.Sweep)
	// Registered before any scenario starts, so it runs however they end.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		deleted, err := Cleanup(ctx, client, prefix)
		for _, d := range deleted {
			t.Logf("cleanup: deactivated and deleted %s", d)
		}
		if err != nil {
			t.Errorf("%v\n(delete what is left by hand, or run again with %s=1)", err, VarSweep)
		}
		// The round trip removes its own probe users; this catches one it could not.
		probes, err := CleanupProbes(ctx, client, began)
		for _, p := range probes {
			t.Logf("cleanup: deleted probe user %s left by a round trip", p)
		}
		if err != nil {
			t.Errorf("%v\n(a later 'oktascim test --round-trip' removes leftover probe users too)", err)
		}
	})
	env := &orgEnv{s: s, prefix: prefix, binary: binary(t, s)}
	for _, sc := range scenario.All() {
		t.Run(sc.Name, func(t *testing.T) {
			limit := 5 * time.Minute
			if sc.NeedsAdmin {
				limit = 45 * time.Minute // a person does each manual step
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			scenario.Run(ctx, t, env, sc)
		})
	}
}

// sweepOrReport deletes (with OKTASCIM_ACCEPTANCE_SWEEP=1) or lists apps that earlier,
// interrupted runs left behind.
func sweepOrReport(t *testing.T, c *okta.Client, sweep bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if sweep {
		deleted, err := Cleanup(ctx, c, "")
		t.Logf("sweep: deleted %d app(s) of earlier runs: %v", len(deleted), deleted)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	apps, err := c.ListApps(ctx)
	if err != nil {
		t.Fatalf("list apps: %v", err)
	}
	for _, a := range apps {
		if Made(a, "") {
			t.Logf("left by an earlier run: %s %q (%s=1 deletes these)", a.ID, a.Label, VarSweep)
		}
	}
}

var buildOnce struct {
	sync.Once
	path string
	err  error
}

// binary is OKTASCIM_ACCEPTANCE_BINARY, or oktascim built from this module.
func binary(t *testing.T, s Settings) string {
	if s.Binary != "" {
		return s.Binary
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "oktascim-acceptance-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "oktascim")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, "github.com/oktascim/oktascim/cmd/oktascim").CombinedOutput()
		if err != nil {
			buildOnce.err = errors.New(string(out) + err.Error())
		}
	})
	if buildOnce.err != nil {
		t.Fatalf("build oktascim: %v", buildOnce.err)
	}
	return buildOnce.path
}

// orgEnv is the real org's side of the scenarios.
type orgEnv struct {
	s      Settings
	prefix string
	binary string
}

func (e *orgEnv) Prefix() string { return e.prefix }

func (e *orgEnv) Vars() map[string]string {
	v := map[string]string{"OKTA_CLIENT_ORGURL": e.s.Org, "OKTA_CLIENT_TOKEN": e.s.Token, VarSCIMURL: e.s.SCIM20URL}
	for k, val := range map[string]string{VarSCIM11URL: e.s.SCIM11URL, VarSCIMToken: e.s.SCIMToken, VarSCIMUser: e.s.SCIMUser, VarSCIMPassword: e.s.SCIMPasswd} {
		if val != "" {
			v[k] = val
		}
	}
	return v
}

func (e *orgEnv) Refs() scenario.Refs {
	return scenario.Refs{SCIM20URL: VarSCIMURL, SCIM11URL: VarSCIM11URL, Token: VarSCIMToken, Username: VarSCIMUser, Password: VarSCIMPassword}
}

func (e *orgEnv) Groups() []string  { return e.s.Groups }
func (e *orgEnv) Secrets() []string { return []string{e.s.Token, e.s.SCIMToken, e.s.SCIMPasswd} }

func (e *orgEnv) Skip(sc scenario.Scenario) string {
	if sc.NeedsAdmin && !e.s.Admin {
		return "needs a person in the Admin Console: Okta has no API to enable provisioning on a template app. " +
			"Set " + VarAdmin + "=1 and do what apply --wait prints (it streams to stderr; run with -v -timeout 3h)"
	}
	for _, in := range sc.Integrations {
		switch {
		case in.SCIM == "1.1" && e.s.SCIM11URL == "":
			return "needs a SCIM 1.1 server: set " + VarSCIM11URL
		case in.Auth == "basic" && (e.s.SCIMUser == "" || e.s.SCIMPasswd == ""):
			return "needs basic auth credentials of the SCIM server: set " + VarSCIMUser + " and " + VarSCIMPassword
		case in.Auth != "basic" && e.s.SCIMToken == "":
			return "needs a token of the SCIM server: set " + VarSCIMToken
		case in.Push && (len(e.s.Groups) == 0 || e.s.Groups[0] == "Everyone"):
			return "pushes the first of " + VarGroups + ", and Okta cannot push Everyone: name a group of your own first"
		}
	}
	return ""
}

// Admin: the person at hand reads the manual step in the streamed output; nothing to start.
func (e *orgEnv) Admin(context.Context, scenario.Scenario) func() {
	os.Stderr.WriteString("\n>>> ADMIN: oktascim apply --wait is running; do the manual step(s) it prints below in the Admin Console.\n\n")
	return func() {}
}

func (e *orgEnv) Flags(args []string) []string {
	if slices.Contains(args, "--wait") {
		return []string{"--wait-timeout", "30m"}
	}
	return nil
}

// Run runs the binary with exactly the scenario's environment (plus PATH and HOME): nothing
// else of this process's environment, such as another org's OKTA_CLIENT_*, reaches it.
func (e *orgEnv) Run(ctx context.Context, args []string, env map[string]string) (int, string, string) {
	cmd := exec.CommandContext(ctx, e.binary, args...)
	// At the deadline, stop it as Ctrl-C would: it says what it did and exits 130.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if slices.Contains(args, "--wait") && e.s.Admin {
		// oktascim masks secrets in what it prints, so streaming is safe.
		cmd.Stdout = io.MultiWriter(&out, os.Stderr)
	}
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String(), errOut.String()
	default:
		return -1, out.String(), errOut.String() + "\n" + strings.TrimSpace(err.Error())
	}
}
