//go:build unix

package simenv

import "syscall"

// newSession puts the detached simulator in a session of its own: no controlling
// terminal, and the shell's Ctrl-C or hang-up does not reach it.
func newSession() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
