package simenv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ReadyFD is the file descriptor a detached simulator reports its export lines on.
const ReadyFD = 3

// Detached is a simulator started in the background.
type Detached struct {
	PID     int
	Lines   []string // its export lines
	LogPath string   // where its own output goes
}

// Detach starts exe with args (an `oktascim sim` that reports on ReadyFD) in a new
// session of its own, with no terminal and its output to logPath, and returns once
// it reports being ready: the caller can exit and leave it serving. Nothing of the
// caller's stdout is held, so `eval "$(oktascim sim --background)"` returns.
func Detach(exe string, args, env []string, logPath string, timeout time.Duration) (*Detached, error) {
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr, cmd.ExtraFiles = env, log, log, []*os.File{w}
	cmd.SysProcAttr = newSession()
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	w.Close() // the child holds its own copy; EOF comes when it closes it or exits
	type read struct {
		b   []byte
		err error
	}
	got := make(chan read, 1)
	go func() {
		b, err := io.ReadAll(r)
		got <- read{b, err}
	}()
	var out read
	select {
	case out = <-got:
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("the simulator did not start within %s (its output: %s)", timeout, logPath)
	}
	lines := strings.Split(strings.TrimSpace(string(out.b)), "\n")
	if out.err != nil || len(bytes.TrimSpace(out.b)) == 0 {
		err := cmd.Wait() // it closed the pipe by exiting: say why
		tail, _ := os.ReadFile(logPath)
		msg := strings.TrimSpace(lastLines(string(tail), 5))
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &StartError{Code: ee.ExitCode(), Msg: msg}
		}
		return nil, &StartError{Code: 1, Msg: msg}
	}
	d := &Detached{PID: cmd.Process.Pid, Lines: lines, LogPath: logPath}
	_ = cmd.Process.Release()
	return d, nil
}

// StartError is a detached simulator that exited before it was ready.
type StartError struct {
	Code int
	Msg  string
}

func (e *StartError) Error() string {
	return fmt.Sprintf("the simulator exited (code %d) before it was ready: %s", e.Code, e.Msg)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ReportReady writes the lines to the ready descriptor a detached simulator was given
// and closes it; without one (a foreground run) it does nothing.
func ReportReady(lines []string) error {
	f := os.NewFile(ReadyFD, "ready")
	if f == nil {
		return errors.New("no ready descriptor")
	}
	defer f.Close()
	_, err := io.WriteString(f, strings.Join(lines, "\n")+"\n")
	return err
}
