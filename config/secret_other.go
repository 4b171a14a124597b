//go:build !unix

package config

import "os"

// openNonBlocking opens path for reading (no FIFOs to block on here).
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

// ownerProblem: file ownership is not checked where Unix permissions do not apply.
func ownerProblem(os.FileInfo) string { return "" }
