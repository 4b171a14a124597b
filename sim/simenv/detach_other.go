//go:build !unix

package simenv

import "syscall"

// newSession: elsewhere the child only loses the console streams.
func newSession() *syscall.SysProcAttr { return nil }
