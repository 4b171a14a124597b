package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// oktascimOnPath returns a directory holding an `oktascim` that is this test binary
// acting as main (see TestMain), for scripts that run commands as a person types them.
func oktascimOnPath(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := "#!/bin/sh\nOKTASCIM_TEST_BE_MAIN=1 exec '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "oktascim"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shell runs a bash script with oktascim first on PATH, in dir, bounded.
func shell(t *testing.T, dir, script string, env ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "PATH="+oktascimOnPath(t)+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("the script did not return within 60s:\n%s\n%s", script, out.String())
	}
	return out.String(), err
}

// readmeLine is the README line that starts with prefix (the documented command).
func readmeLine(t *testing.T, prefix string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("README has no line starting with %s", prefix)
	return ""
}

var exportLine = regexp.MustCompile(`(?m)^export ([A-Z0-9_]+)=(\S*)$`)

func exports(out string) map[string]string {
	vars := map[string]string{}
	for _, m := range exportLine.FindAllStringSubmatch(out, -1) {
		vars[m[1]] = m[2]
	}
	return vars
}

func stopProcess(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Signal(syscall.SIGTERM)
	}
}

// TestSimBackgroundEvalReturns runs the README's eval line as written: it returns with
// the simulator serving in the background; after a kill, the same line with the same
// env file brings back the same ports and credentials, so what the first run exported
// still works.
func TestSimBackgroundEvalReturns(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("--background needs a Unix system")
	}
	line := readmeLine(t, `eval "$(oktascim sim --background`)
	dir := t.TempDir()
	script := line + "\n" + `printf 'export %s=%s\n' OKTA_CLIENT_ORGURL "$OKTA_CLIENT_ORGURL" OKTA_CLIENT_TOKEN "$OKTA_CLIENT_TOKEN" OKTASCIM_SIM_PID "$OKTASCIM_SIM_PID" OKTASCIM_SIM_SCIM_URL "$OKTASCIM_SIM_SCIM_URL"` + "\n" +
		"oktascim whoami >/dev/null 2>&1 && echo whoami-ok\n"
	start := func() map[string]string {
		t.Helper()
		out, err := shell(t, dir, script)
		vars := exports(out)
		if pid, _ := strconv.Atoi(vars["OKTASCIM_SIM_PID"]); pid > 0 {
			t.Cleanup(func() { stopProcess(pid) })
		}
		if err != nil || !strings.Contains(out, "whoami-ok") || vars["OKTA_CLIENT_ORGURL"] == "" {
			t.Fatalf("%s\n→ %v\n%s", line, err, out)
		}
		return vars
	}
	first := start()
	if resp, err := http.Get(first["OKTA_CLIENT_ORGURL"] + "/admin/apps/active"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the console does not answer: %v", err)
	} else {
		resp.Body.Close()
	}
	pid, _ := strconv.Atoi(first["OKTASCIM_SIM_PID"])
	stopProcess(pid)
	waitDown(t, first["OKTA_CLIENT_ORGURL"])
	second := start()
	for _, k := range []string{"OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTASCIM_SIM_SCIM_URL"} {
		if first[k] != second[k] {
			t.Errorf("%s changed across a restart with the same env file: %q → %q", k, first[k], second[k])
		}
	}
	// What the first run exported works against the second.
	if r := cli(t, first, "whoami"); r.code != exitcode.OK {
		t.Fatalf("whoami with the first run's variables: exit %d\n%s", r.code, r.allOutput)
	}
}

func waitDown(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url + "/admin/apps/active")
		if err != nil {
			return
		}
		resp.Body.Close()
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the simulator at %s did not stop", url)
}

// TestSimEnvFileAndChosenCredentials: in the foreground the lines are flushed at once
// and written to --env-file (0600); credentials come from flags, else from the
// environment; a restart with the file keeps ports and credentials.
func TestSimEnvFileAndChosenCredentials(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "dev.env")
	env := map[string]string{"OKTASCIM_SIM_SCIM_PASSWORD": "from-the-env-123", "OKTA_CLIENT_TOKEN": "a-real-orgs-token"}
	serve := func(args ...string) (map[string]string, func() (int, string)) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errOut bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, append([]string{"sim", "--env-file", envFile}, args...), &IOStreams{In: strings.NewReader(""), Out: pw, ErrOut: &errOut}, func(k string) (string, bool) {
				v, ok := env[k]
				return v, ok
			})
			pw.Close()
		}()
		// The lines arrive while the simulator serves (flushed, not held until exit).
		var got bytes.Buffer
		buf := make([]byte, 4096)
		for !strings.Contains(got.String(), "# Admin Console:") {
			n, err := pr.Read(buf)
			got.Write(buf[:n])
			if err != nil {
				t.Fatalf("sim output ended early: %v\n%s%s", err, got.String(), errOut.String())
			}
		}
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		return exports(got.String()), func() (int, string) {
			cancel()
			select {
			case code := <-done:
				return code, errOut.String()
			case <-time.After(10 * time.Second):
				t.Fatal("sim did not stop")
				return 0, ""
			}
		}
	}
	printed, stop := serve("--scim-token", "chosen-by-flag-42")
	fromFile, err := simenv.ReadEnvFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(envFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("env file mode: %v %v", fi, err)
	}
	for k, v := range printed {
		if fromFile[k] != v {
			t.Errorf("env file %s = %q, printed %q", k, fromFile[k], v)
		}
	}
	if printed[simenv.VarSCIMToken] != "chosen-by-flag-42" || printed[simenv.VarSCIMPassword] != "from-the-env-123" {
		t.Errorf("chosen credentials not used: token %q password %q", printed[simenv.VarSCIMToken], printed[simenv.VarSCIMPassword])
	}
	if printed[simenv.VarOrgToken] == "a-real-orgs-token" {
		t.Error("the simulator took OKTA_CLIENT_TOKEN (maybe a real org's) as its own token")
	}
	if code, errOut := stop(); code != exitcode.OK {
		t.Fatalf("sim: exit %d %s", code, errOut)
	}
	again, stop := serve()
	defer stop()
	for _, k := range []string{simenv.VarOrgURL, simenv.VarOrgToken, simenv.VarSCIMURL, simenv.VarSCIMToken, simenv.VarSCIMPassword, simenv.VarOAuthClientSecret} {
		if again[k] != printed[k] {
			t.Errorf("restart with the env file: %s %q → %q", k, printed[k], again[k])
		}
	}
	if r := cli(t, printed, "whoami"); r.code != exitcode.OK {
		t.Fatalf("whoami with the first run's lines: exit %d\n%s", r.code, r.allOutput)
	}
}

// TestSimRefusesWhatItCannotDo: the simulator is loopback only, and a chosen
// credential must print as a plain shell word: usage errors, exit 2, nothing served.
func TestSimRefusesWhatItCannotDo(t *testing.T) {
	for _, args := range [][]string{
		{"--listen", "0.0.0.0:8089"}, {"--scim-listen", "192.0.2.1:8090"}, {"--listen", "example.com:80"}, {"--listen", "127.0.0.1"},
		{"--scim-token", "has space"}, {"--token", "short"},
	} {
		r := cli(t, nil, append([]string{"sim"}, args...)...)
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, args[0]) && !strings.Contains(r.stderr, "simulator's") {
			t.Errorf("sim %v: exit %d, want 2 naming the flag\n%s", args, r.code, r.allOutput)
		}
		if strings.Contains(r.stdout, "export ") {
			t.Errorf("sim %v printed export lines", args)
		}
	}
}
