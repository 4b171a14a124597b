package okta

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// APIError is an error answer from Okta, in the tool's words.
type APIError struct {
	Op      string // what the tool was doing, e.g. "create app"
	Status  int    // HTTP status, 0 when unknown
	Code    string // errorCode, e.g. E0000011
	Summary string // errorSummary
	Causes  []string
	ID      string // errorId, for Okta support
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: Okta answered", e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, " %q", e.Summary)
	}
	if len(e.Causes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Causes, "; "))
	}
	if hint := e.Hint(); hint != "" {
		fmt.Fprintf(&b, ": %s", hint)
	}
	return b.String()
}

// Hint says what to do about the common answers.
func (e *APIError) Hint() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "the API token is invalid, expired or revoked; create one in Security > API > Tokens and set OKTA_CLIENT_TOKEN"
	case e.Status == http.StatusForbidden && e.Code == "E0000006":
		return "the token's admin lacks a permission the tool needs (creating apps needs the Super Administrator or Application Administrator role)"
	case e.Status == http.StatusTooManyRequests:
		return "rate limit still exceeded after waiting for the reset; another client may be using the org's budget — retry later"
	}
	return ""
}

// ExitCode makes a refusal of the credentials or the permission exit 4 (AuthRefused);
// any other answer is a failure.
func (e *APIError) ExitCode() int {
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		return exitcode.AuthRefused
	}
	return exitcode.Failure
}

// IsAuth reports whether Okta refused the credentials or the permission (401/403),
// or refused a service app's token request.
func IsAuth(err error) bool {
	var c exitcode.Coder
	return errors.As(err, &c) && c.ExitCode() == exitcode.AuthRefused
}

// IsFeatureOff reports Okta's answer for an API the org does not have (a feature that
// is not enabled): E0000015, or a 404 for the endpoint.
func IsFeatureOff(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && (ae.Code == "E0000015" || ae.Status == http.StatusNotFound)
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

// apiError converts what the SDK returned into an *APIError (or returns err unchanged
// when it is not an HTTP answer, e.g. a connection failure).
func apiError(op string, resp *sdk.Response, err error) error {
	if err == nil {
		return nil
	}
	out := &APIError{Op: op}
	if resp != nil && resp.Response != nil {
		out.Status = resp.StatusCode
	}
	var se *sdk.Error
	if errors.As(err, &se) {
		out.Code, out.Summary, out.ID = se.ErrorCode, se.ErrorSummary, se.ErrorId
		if out.Summary == "" {
			out.Summary = se.ErrorDescription
		}
		for _, c := range se.ErrorCauses {
			if s, ok := c["errorSummary"].(string); ok {
				out.Causes = append(out.Causes, s)
			}
		}
		if out.Status == 0 && strings.HasPrefix(out.Code, "E0000011") {
			out.Status = http.StatusUnauthorized
		}
		return out
	}
	if out.Status >= 400 {
		out.Summary = err.Error()
		return out
	}
	if strings.Contains(err.Error(), "too many requests") {
		out.Status = http.StatusTooManyRequests
		out.Summary = "too many requests"
		return out
	}
	return fmt.Errorf("%s: %w", op, err)
}
