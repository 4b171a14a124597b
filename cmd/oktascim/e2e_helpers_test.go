package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// result is what one CLI run produced.
type result struct {
	code        int
	stdout      string
	stderr      string
	allOutput   string
	requestsLen int
}

// cli runs the cobra root in-process with the given environment.
func cli(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return cliTTY(t, env, nil, args...)
}

// cliTTY runs the cobra root as if on a terminal whose user types what in gives;
// a nil in is a pipe with nothing to read.
func cliTTY(t *testing.T, env map[string]string, in io.Reader, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	lookup := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	tty := in != nil
	streams := &IOStreams{In: in, Out: &out, ErrOut: &errOut, InTTY: tty, OutTTY: tty, ErrTTY: tty}
	if in == nil {
		streams.In = strings.NewReader("")
	}
	code := run(ctx, args, streams, lookup)
	return result{code: code, stdout: out.String(), stderr: errOut.String(), allOutput: out.String() + errOut.String()}
}

// startEnv starts the stand-ins for one test.
func startEnv(t *testing.T, o simenv.Options) *simenv.Env {
	t.Helper()
	if o.Org.RateLimitPerMinute == 0 {
		// Many commands against one org within a minute: a budget that the governor's
		// share (it leaves half to others) does not make tests wait for.
		o.Org.RateLimitPerMinute = 10000
	}
	env, err := simenv.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	return env
}

// envVars are the environment a CLI run in a test sees: the org and SCIM stand-ins.
func envVars(env *simenv.Env, extra map[string]string) map[string]string {
	vars := env.Vars()
	for k, v := range extra {
		vars[k] = v
	}
	return vars
}

// writeFile writes a config file into a temp dir and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "oktascim.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// adminDoesManualSteps plays the admin: it watches the org for apps stamped by
// oktascim whose provisioning is off and enables it with the given values, as a person
// would after reading the manual step. It stops when ctx ends.
func adminDoesManualSteps(t *testing.T, env *simenv.Env, settings func(app map[string]any) (oktaorg.ProvisioningSettings, bool)) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tried := map[string]bool{}
		for ctx.Err() == nil {
			for _, app := range env.Org.Apps() {
				id, _ := app["id"].(string)
				if tried[id] {
					continue
				}
				if st, ok := env.Org.Provisioning(id); ok && st.Enabled {
					continue
				}
				// A person acts after reading the manual step: once the tool waits for
				// it (it polls the System Log for the app's configuration updates).
				if !waitingOn(env, id) {
					continue
				}
				s, ok := settings(app)
				if !ok {
					continue
				}
				tried[id] = true
				_ = env.Org.EnableProvisioning(ctx, id, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
}

func assertNoSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Fatalf("a secret value appears in the output:\n%s", out)
		}
	}
}

// waitingOn reports whether the tool polls for a manual step on the app: it reads the
// System Log for the app's configuration updates only while waiting.
func waitingOn(env *simenv.Env, appID string) bool {
	for _, r := range env.Org.Requests() {
		if r.Method == "GET" && r.Path == "/api/v1/logs" && strings.Contains(r.RawQuery, appID) && strings.Contains(r.RawQuery, "application.configuration.update") {
			return true
		}
	}
	return false
}

// unwrapped is text output with its 80-column line breaks undone (every run of
// whitespace one space), for looking up a sentence.
func unwrapped(s string) string { return strings.Join(strings.Fields(s), " ") }

func requested(env *simenv.Env, method, path string) bool {
	for _, r := range env.Org.Requests() {
		if r.Method == method && r.Path == path {
			return true
		}
	}
	return false
}
