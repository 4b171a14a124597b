//go:build unix

package config

import (
	"fmt"
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without blocking on a FIFO (a FIFO is
// refused after the open, by its mode).
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// ownerProblem says why a file's owner is not the user running the tool, or "".
func ownerProblem(st os.FileInfo) string {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	if uid := os.Geteuid(); int(sys.Uid) != uid {
		return fmt.Sprintf("is owned by uid %d, not by you (uid %d)", sys.Uid, uid)
	}
	return ""
}
