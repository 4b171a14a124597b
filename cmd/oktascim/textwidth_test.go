package main

import (
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/simenv"
)

// TestTextFitsEightyColumns: on a terminal (of unknown width: 80 columns), apply, plan
// and test for people fit (only a word longer than a line, such as a URL, runs past
// it); in a pipe each line stays whole (grep, scripts); either way each warning is
// printed once per run, not once per URL or per integration.
func TestTextFitsEightyColumns(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta-with-a-long-name", "2.0", "basic", "swa")))
	stop := adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{"acme app": {"2.0", "header"}, "beta-with-a-long-name app": {"2.0", "basic"}}))
	defer stop()
	vars := envVars(env, nil)
	for _, args := range [][]string{{"plan", "-f", path}, {"apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms"}, {"test", "-f", path}} {
		r := cliTTY(t, vars, &typist{}, args...)
		for _, line := range strings.FieldsFunc(r.allOutput, func(c rune) bool { return c == '\n' || c == '\r' }) {
			if visibleLen(line) <= textWidth {
				continue
			}
			long := false
			for _, w := range strings.Fields(line) {
				long = long || visibleLen(w) > textWidth/2
			}
			if !long {
				t.Errorf("%s: a line of %d columns that could wrap:\n%s", args[0], visibleLen(line), line)
			}
		}
		for _, w := range []string{"without TLS is accepted only because 127.0.0.1", "Okta's cloud cannot reach 127.0.0.1"} {
			if n := strings.Count(unwrapped(r.allOutput), w); n > 1 {
				t.Errorf("%s: warning %q printed %d times\n%s", args[0], w, n, r.allOutput)
			}
		}
		piped := cli(t, vars, args...)
		for _, w := range []string{"without TLS is accepted only because 127.0.0.1", "Okta's cloud cannot reach 127.0.0.1"} {
			if n := strings.Count(piped.allOutput, w); n > 1 {
				t.Errorf("%s in a pipe: warning %q printed %d times\n%s", args[0], w, n, piped.allOutput)
			}
		}
		if args[0] == "test" && !strings.Contains(piped.stdout, "verified: GET http://") {
			t.Errorf("in a pipe a step's line is wrapped:\n%s", piped.stdout)
		}
	}
}

// TestWrapText: colour (as paint marks it) takes no columns; words wrap under the
// text's first column; a word longer than the line stays whole; width 0 never wraps.
func TestWrapText(t *testing.T) {
	if n := visibleLen(paint(true, red, "abc") + "→"); n != 4 {
		t.Fatalf("visibleLen of a painted word: %d", n)
	}
	got := wrapText("ab: ", "one two three "+strings.Repeat("x", 30)+" four", 4, 20)
	want := "ab: one two three\n    " + strings.Repeat("x", 30) + "\n    four"
	if got != want {
		t.Fatalf("wrapText:\n%s\nwant:\n%s", got, want)
	}
	var b strings.Builder
	writeWrapped(&b, 0, "ab: ", "one  two "+strings.Repeat("x", 90))
	if b.String() != "ab: one  two "+strings.Repeat("x", 90)+"\n" {
		t.Fatalf("width 0 changed the line: %q", b.String())
	}
}
