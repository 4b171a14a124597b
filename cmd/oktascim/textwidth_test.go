package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oktascim/oktascim/internal/simenv"
)

// TestTextFitsEightyColumns: apply, plan and test for people fit an 80-column
// terminal (only a word longer than a line, such as a URL, runs past it), and each
// warning is printed once per run, not once per URL or per integration.
func TestTextFitsEightyColumns(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta-with-a-long-name", "2.0", "basic", "swa")))
	stop := adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{"acme app": {"2.0", "header"}, "beta-with-a-long-name app": {"2.0", "basic"}}))
	defer stop()
	vars := envVars(env, nil)
	for _, args := range [][]string{{"plan", "-f", path}, {"apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms"}, {"test", "-f", path}} {
		r := cli(t, vars, args...)
		for _, line := range strings.Split(r.allOutput, "\n") {
			if utf8.RuneCountInString(line) <= textWidth {
				continue
			}
			long := false
			for _, w := range strings.Fields(line) {
				long = long || utf8.RuneCountInString(w) > textWidth/2
			}
			if !long {
				t.Errorf("%s: a line of %d columns that could wrap:\n%s", args[0], utf8.RuneCountInString(line), line)
			}
		}
		for _, w := range []string{"without TLS is accepted only because 127.0.0.1", "Okta's cloud cannot reach 127.0.0.1"} {
			if n := strings.Count(unwrapped(r.allOutput), w); n > 1 {
				t.Errorf("%s: warning %q printed %d times\n%s", args[0], w, n, r.allOutput)
			}
		}
	}
}
