package reftest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMissingFailsUnderCI runs a test that calls Missing in a child process, with and
// without CI set: a skip without, a failure with.
func TestMissingFailsUnderCI(t *testing.T) {
	if os.Getenv("REFTEST_CHILD") == "1" {
		Missing(t, "the spec is not there")
		return
	}
	for ci, want := range map[string]string{"": "--- SKIP", "true": "--- FAIL"} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestMissingFailsUnderCI$", "-test.v")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "CI=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "REFTEST_CHILD=1", "CI="+ci)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), want) || !strings.Contains(string(out), "the spec is not there") {
			t.Errorf("CI=%q: want %s:\n%s", ci, want, out)
		}
	}
}
