package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/sim/simenv"
)

var (
	timestampPattern = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?Z?`)
	clockPattern     = regexp.MustCompile(`\b\d\d:\d\d:\d\d\b`)
	userIDPattern    = regexp.MustCompile(`00u[A-Za-z0-9]{17}`)
	groupIDPattern   = regexp.MustCompile(`00g[A-Za-z0-9]{17}`)
)

// TestCommandOutputsGolden pins the human and JSON output of the reporting commands
// (plan has its own goldens) against the simulator, with ids, ports and times replaced.
func TestCommandOutputsGolden(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("beta", "2.0", "basic", "swa")))
	vars := envVars(env, nil)
	stop := adminDoesManualSteps(t, env, declaredSettings(env, map[string][2]string{"beta app": {"2.0", "basic"}}))
	if r := cli(t, vars, "apply", "-f", path, "--yes", "--wait", "--poll-interval", "20ms"); r.code != 0 {
		stop()
		t.Fatalf("apply exit %d\n%s", r.code, r.allOutput)
	}
	stop()
	norm := func(s string) string {
		s = strings.NewReplacer(path, "FILE", env.SCIM20.URL, "SCIM_URL").Replace(s)
		s = timestampPattern.ReplaceAllString(s, "TIME")
		s = clockPattern.ReplaceAllString(s, "CLOCK")
		s = userIDPattern.ReplaceAllString(s, "00uUSER")
		return groupIDPattern.ReplaceAllString(s, "00gGROUP")
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"validate.txt", []string{"validate", "-f", path}},
		{"validate.json", []string{"validate", "-f", path, "-o", "json"}},
		{"status.txt", []string{"status", "-f", path}},
		{"status.json", []string{"status", "-f", path, "-o", "json"}},
		{"test.txt", []string{"test", "-f", path}},
		{"doctor.txt", []string{"doctor", "-f", path}},
		{"whoami.txt", []string{"whoami"}},
		{"whoami.json", []string{"whoami", "-o", "json"}},
		{"apply-unchanged.txt", []string{"apply", "-f", path, "--yes"}},
		{"apply-unchanged.yaml", []string{"apply", "-f", path, "--yes", "-o", "yaml"}},
		{"logs.txt", []string{"logs", "-f", path, "--name", "beta", "--limit", "5"}},
		{"logs.json", []string{"logs", "-f", path, "--name", "beta", "--limit", "5", "-o", "json"}},
		{"import.yaml", []string{"import", "--label", "beta app"}},
		{"destroy.txt", []string{"destroy", "-f", path, "--yes"}}, // last: it deletes the apps
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One integration at a time: lines come in the file's order.
			r := cli(t, vars, append(tc.args, "--parallelism", "1")...)
			golden(t, "outputs/"+tc.name, norm(r.stdout))
		})
	}
}
