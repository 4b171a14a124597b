//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func otherOwner(st os.FileInfo) os.FileInfo {
	sys := *st.Sys().(*syscall.Stat_t)
	sys.Uid = uint32(os.Geteuid() + 1)
	return fakeInfo{st, &sys}
}

// fakeInfo is a file's stat with another owner.
type fakeInfo struct {
	os.FileInfo
	sys any
}

func (f fakeInfo) Sys() any { return f.sys }

func TestSecretFileOwnedByAnotherUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tok")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := sharedProblem(st); p != "" {
		t.Fatalf("the user's own 0600 file: %s", p)
	}
	if p := sharedProblem(otherOwner(st)); !strings.Contains(p, "not by you") {
		t.Fatalf("a file of another user: %q", p)
	}
}

// TestFIFOIsRefused: a FIFO (or a device) as the file or as a secret file would
// block the run or never end: both are refused at once.
func TestFIFOIsRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(fifo, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), fifo+": cannot read the file: is not a regular file (a FIFO)") {
		t.Fatalf("Load(fifo) = %v", err)
	}
	if _, err := Load("/dev/zero", LoadOptions{}); err == nil || !strings.Contains(err.Error(), "is not a regular file (a device)") {
		t.Fatalf("Load(/dev/zero) = %v", err)
	}
	cfg := filepath.Join(dir, "f.yaml")
	yaml := "version: 1\nintegrations:\n  - name: acme\n    scim:\n      baseUrl: https://scim.example.com/scim/v2\n      auth: { method: basic, username: okta, password: { file: fifo } }\n    signOn: { mode: swa, swa: { loginUrl: https://a.example/login } }\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(cfg, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "password.file: "+fifo+" is not a regular file (a FIFO)") {
		t.Fatalf("a FIFO secret = %v", err)
	}
}
