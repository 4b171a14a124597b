package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/fixtures"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestMain lets the test binary be the oktascim binary (OKTASCIM_TEST_BE_MAIN=1), so
// the tests below run the real main with real terminals, pipes and /dev/null.
func TestMain(m *testing.M) {
	if os.Getenv("OKTASCIM_TEST_BE_MAIN") == "1" {
		main()
		return
	}
	if err := fixtures.SetSecretModes("../.."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// A stream of the child: a pseudo-terminal (the person's), a pipe, or /dev/null.
const (
	onTerminal = "terminal"
	inPipe     = "pipe"
	devNull    = "/dev/null"
)

// procResult is what one run of the binary produced.
type procResult struct {
	code     int
	stdout   string // what went to stdout when it was a pipe
	terminal string // everything the person saw on the terminal (stdout when it is one, stderr)
	stderr   string // stderr when stdin is not a terminal (then it is a pipe)
	asked    int    // questions answered
}

// runProcess runs the oktascim binary with stdin and stdout as given; stderr is the
// terminal whenever stdin is one (a person at a terminal), else a pipe. answer is typed
// after each question.
func runProcess(t *testing.T, env map[string]string, stdin, stdout, answer string, args ...string) procResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"OKTASCIM_TEST_BE_MAIN=1", "HOME=" + t.TempDir(), "NO_COLOR=1", "OKTASCIM_CONFIG=" + filepath.Join(t.TempDir(), "none.yaml")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var res procResult
	var ptmx, tty *os.File
	if stdin == onTerminal || stdout == onTerminal {
		var err error
		if ptmx, tty, err = pty.Open(); err != nil {
			t.Fatal(err)
		}
		defer ptmx.Close()
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var outBuf, errBuf bytes.Buffer
	switch stdin {
	case onTerminal:
		cmd.Stdin, cmd.Stderr = tty, tty
	case inPipe:
		cmd.Stdin, cmd.Stderr = strings.NewReader(""), &errBuf
	default:
		cmd.Stdin, cmd.Stderr = null, &errBuf
	}
	switch stdout {
	case onTerminal:
		cmd.Stdout = tty
	case inPipe:
		cmd.Stdout = &outBuf
	default:
		cmd.Stdout = null
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	var wg sync.WaitGroup
	if tty != nil {
		tty.Close() // the child holds it now; reads end when the child exits
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 4096)
			for {
				n, err := ptmx.Read(buf)
				screen.Write(buf[:n])
				if n > 0 && strings.Count(screen.String(), "Only 'yes' goes ahead: ") > res.asked {
					res.asked++
					_, _ = ptmx.Write([]byte(answer + "\n"))
				}
				if err != nil {
					return
				}
			}
		}()
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the binary did not finish in 60s")
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	res.code = cmd.ProcessState.ExitCode()
	wg.Wait()
	res.terminal = strings.ReplaceAll(screen.String(), "\r", "")
	res.stdout, res.stderr = outBuf.String(), errBuf.String()
	return res
}

// TestConsentMatrix: apply --prune and destroy ask if and only if stdin is a terminal,
// whatever stdout is (a terminal, a pipe, /dev/null; text or JSON); the plan with every
// deletion is on the terminal before the question; without a terminal they need --yes
// (exit 2 naming it) and send nothing but reads.
func TestConsentMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary 30 times")
	}
	content := fileOf(integrationYAML("acme", "2.0", "header", "saml"))
	setup := func(t *testing.T) (*simenv.Env, map[string]string, string, string) {
		env := startEnv(t, simenv.Options{})
		orphan := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "gone app", "signOnMode": "SAML_2_0",
			"settings": map[string]any{"notes": map[string]any{"admin": "[oktascim:gone] managed by oktascim"}}})
		return env, envVars(env, nil), writeFile(t, content), orphan
	}
	for _, stdin := range []string{onTerminal, inPipe, devNull} {
		for _, stdout := range []string{onTerminal, inPipe, devNull} {
			for _, format := range []string{"text", "json"} {
				answers := []string{""}
				if stdin == onTerminal {
					answers = []string{"no", "yes"}
				}
				for _, answer := range answers {
					name := "stdin=" + stdin + "/stdout=" + stdout + "/" + format + "/" + answer
					t.Run(strings.ReplaceAll(name, "/dev/null", "null"), func(t *testing.T) {
						env, vars, path, orphan := setup(t)
						r := runProcess(t, vars, stdin, stdout, answer, "apply", "-f", path, "--prune", "-o", format, "--parallelism", "1")
						checkConsent(t, env, r, stdin, stdout, format, answer, orphan, "Apply these changes?")
					})
				}
			}
		}
	}
	// destroy: the apps it deletes are listed before the question.
	for _, stdin := range []string{onTerminal, inPipe, devNull} {
		answers := []string{""}
		if stdin == onTerminal {
			answers = []string{"no", "yes"}
		}
		for _, answer := range answers {
			t.Run("destroy/stdin="+strings.ReplaceAll(stdin, "/dev/null", "null")+"/"+answer, func(t *testing.T) {
				env := startEnv(t, simenv.Options{})
				id := env.Org.AddApp(map[string]any{"name": "scim2headerauth", "label": "acme app", "signOnMode": "SAML_2_0",
					"settings": map[string]any{"notes": map[string]any{"admin": "[oktascim:acme] managed by oktascim"}}})
				before := len(env.Org.Requests())
				r := runProcess(t, envVars(env, nil), stdin, inPipe, answer, "destroy", "-f", writeFile(t, content))
				seen := r.terminal + r.stdout + r.stderr
				_, exists := env.Org.App(id)
				switch {
				case stdin != onTerminal:
					if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "--yes") || !exists {
						t.Fatalf("destroy without a terminal: exit %d, app kept %v\n%s", r.code, exists, seen)
					}
				case answer == "no":
					if r.code != exitcode.Failure || !exists || !strings.Contains(r.terminal, "Delete these 1 app(s)?") {
						t.Fatalf("destroy answered no: exit %d, app kept %v\n%s", r.code, exists, seen)
					}
					if i, j := strings.Index(r.terminal, id), strings.Index(r.terminal, "Delete these"); i < 0 || i > j {
						t.Fatalf("the app to delete is not on the terminal before the question:\n%s", r.terminal)
					}
				default:
					if r.code != exitcode.OK || exists {
						t.Fatalf("destroy answered yes: exit %d, app kept %v\n%s", r.code, exists, seen)
					}
				}
				if stdin != onTerminal || answer == "no" {
					for _, q := range env.Org.Requests()[before:] {
						if q.Method != "GET" {
							t.Fatalf("sent %s %s without consent", q.Method, q.Path)
						}
					}
				}
			})
		}
	}
}

func checkConsent(t *testing.T, env *simenv.Env, r procResult, stdin, stdout, format, answer, orphan, question string) {
	t.Helper()
	seen := "terminal:\n" + r.terminal + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
	_, orphanKept := env.Org.App(orphan)
	if stdin != onTerminal {
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "--yes") || strings.Contains(r.stderr, question) || !orphanKept {
			t.Fatalf("without a terminal: exit %d (want 2 naming --yes, no question), orphan kept %v\n%s", r.code, orphanKept, seen)
		}
		if w := writes(env); len(w) > 0 {
			t.Fatalf("sent writes without consent: %v", w)
		}
		if format == "json" && stdout == inPipe {
			checkOneDocument(t, r.stdout, "apply", exitcode.Invalid)
		}
		return
	}
	if r.asked != 1 {
		t.Fatalf("asked %d time(s), want 1\n%s", r.asked, seen)
	}
	// The plan and every deletion are on the terminal before the question.
	q := strings.Index(r.terminal, question)
	for _, want := range []string{"+ create  acme", "- delete  gone  " + orphan} {
		if i := strings.Index(r.terminal, want); i < 0 || i > q {
			t.Fatalf("%q is not on the terminal before the question\n%s", want, seen)
		}
	}
	if answer == "no" {
		if r.code != exitcode.Failure || !orphanKept || !strings.Contains(r.terminal, "nothing was changed") {
			t.Fatalf("answered no: exit %d, orphan kept %v\n%s", r.code, orphanKept, seen)
		}
		if w := writes(env); len(w) > 0 {
			t.Fatalf("sent writes after no: %v", w)
		}
		return
	}
	if r.code != exitcode.ManualPending || orphanKept {
		t.Fatalf("answered yes: exit %d (want 5, the template app's manual step), orphan kept %v\n%s", r.code, orphanKept, seen)
	}
	if format == "json" && stdout == inPipe {
		checkOneDocument(t, r.stdout, "apply", exitcode.ManualPending)
	}
	if format == "json" && stdout == onTerminal && !strings.Contains(r.terminal, `"command": "apply"`) {
		t.Fatalf("no JSON document on the terminal\n%s", seen)
	}
}

// checkOneDocument: stdout is exactly one JSON document with the envelope.
func checkOneDocument(t *testing.T, out, command string, code int) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not a JSON document: %v\n%s", err, out)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		t.Fatalf("more than one document on stdout:\n%s", out)
	}
	if doc["version"] != float64(reportVersion) || doc["command"] != command || doc["exitCode"] != float64(code) {
		t.Fatalf("document version %v command %v exitCode %v, want %d %s %d\n%s", doc["version"], doc["command"], doc["exitCode"], reportVersion, command, code, out)
	}
	return doc
}
