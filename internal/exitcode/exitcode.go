// Package exitcode names the process exit codes, documented in one table in the README.
package exitcode

import (
	"context"
	"errors"
	"strconv"
)

// The exit codes.
const (
	OK               = 0   // everything verified
	Failure          = 1   // a step failed
	Invalid          = 2   // invalid input (file, flags); nothing was sent to Okta
	Changes          = 3   // plan --detailed-exitcode: changes pending
	AuthRefused      = 4   // Okta refused the credentials or the permission
	ManualPending    = 5   // manual steps pending in the Admin Console
	ConnectionFailed = 6   // the SCIM connection test failed
	Interrupted      = 130 // stopped by Ctrl-C
)

// Error carries an exit code with the error that decided it.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "exit code " + strconv.Itoa(e.Code)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// With wraps err with code.
func With(code int, err error) error { return &Error{Code: code, Err: err} }

// Coder is an error that knows which exit code it means, such as Okta refusing the
// credentials (AuthRefused); Of asks it wherever it is wrapped.
type Coder interface{ ExitCode() int }

// Of is the one error → exit code mapping: nil is OK; Ctrl-C is Interrupted whatever
// it interrupted; an explicit code (With) wins, then the code the error itself knows
// (Coder); any other error is Failure.
func Of(err error) int {
	if err == nil {
		return OK
	}
	if errors.Is(err, context.Canceled) {
		return Interrupted
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var c Coder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return Failure
}

// Worst combines the outcome codes of several integrations: an auth refusal outranks a
// failure, which outranks a failed connection test, which outranks a pending manual step.
func Worst(codes ...int) int {
	rank := map[int]int{OK: 0, ManualPending: 1, ConnectionFailed: 2, Failure: 3, AuthRefused: 4, Interrupted: 5}
	worst := OK
	for _, c := range codes {
		if rank[c] > rank[worst] {
			worst = c
		}
	}
	return worst
}
