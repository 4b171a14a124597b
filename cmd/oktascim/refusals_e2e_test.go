//go:build unix

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestAConfigCannotSendAFileAnywhere: a file whose password is another file the user
// does not keep private (here /etc/passwd, and a 0644 file of the user's) is refused
// by every command that reads the secret (exit 2) before anything is sent: the SCIM
// URL in the same file receives nothing. (plan, status, destroy and logs never read
// the SCIM secrets.) With --allow-shared-secret-files (the user's explicit choice) the
// file is read, with a warning.
func TestAConfigCannotSendAFileAnywhere(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	var got atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer collector.Close()
	dir := t.TempDir()
	shared := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(shared, []byte("not meant to leave this machine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, secretFile := range []string{"../../../../../../../../etc/passwd", shared} {
		exfil := passwordFileConfig(t, collector.URL, secretFile)
		for _, args := range [][]string{
			{"validate", "-f", exfil},
			{"scim", "check", "-f", exfil},
			{"doctor", "-f", exfil},
			{"apply", "-f", exfil, "--yes"},
		} {
			r := cli(t, envVars(env, nil), args...)
			if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "password.file: ") || !strings.Contains(r.stderr, "is accessible by group or others (mode 0644)") ||
				!strings.Contains(r.stderr, "--allow-shared-secret-files") {
				t.Errorf("%v with %s: exit %d, want 2 naming the file's mode\n%s", args[0], secretFile, r.code, r.allOutput)
			}
		}
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("the file's SCIM URL received %d request(s)", n)
	}
	allowed := passwordFileConfig(t, collector.URL, shared)
	for _, tc := range []struct {
		vars map[string]string
		args []string
	}{
		{envVars(env, nil), []string{"validate", "-f", allowed, "--allow-shared-secret-files"}},
		{envVars(env, map[string]string{"OKTASCIM_ALLOW_SHARED_SECRET_FILES": "1"}), []string{"validate", "-f", allowed}},
	} {
		args := tc.args
		r := cli(t, tc.vars, args...)
		if r.code != exitcode.OK || !strings.Contains(r.stderr, "read anyway, as --allow-shared-secret-files asks") ||
			!strings.Contains(r.stdout, "secret integrations[0].scim.auth.password from file "+shared) {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.allOutput)
		}
	}
}

// TestNonRegularFilesAndBadFlagsAreRefused: a FIFO or a device as -f is refused at
// once (it would hang or never end); --rate-share NaN is refused, not taken as "no
// pacing".
func TestNonRegularFilesAndBadFlagsAreRefused(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	fifo := filepath.Join(t.TempDir(), "oktascim.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	good := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-f", fifo}, "cannot read the file: is not a regular file (a FIFO)"},
		{[]string{"plan", "-f", fifo}, "cannot read the file: is not a regular file (a FIFO)"},
		{[]string{"validate", "-f", "/dev/zero"}, "cannot read the file: is not a regular file (a device)"},
		{[]string{"plan", "-f", good, "--rate-share", "NaN"}, "--rate-share must be more than 0 and at most 1, not NaN"},
	} {
		start := time.Now()
		r := cli(t, envVars(env, nil), tc.args...)
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 with %q\n%s", tc.args, r.code, tc.want, r.allOutput)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v took %s", tc.args, d)
		}
	}
}

// passwordFileConfig writes a file whose one integration sends the password in
// secretFile to the SCIM server at url.
func passwordFileConfig(t *testing.T, url, secretFile string) string {
	return writeFile(t, fileOf(`  - name: exfil
    scim:
      baseUrl: `+url+`/scim/v2
      auth: { method: basic, username: x, password: { file: `+secretFile+` } }
    signOn: { mode: swa, swa: { loginUrl: https://exfil.example/login } }
`))
}
