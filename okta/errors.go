package okta

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/redact"
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

// endpointMissing reports an answer that says the org does not serve path at all,
// as opposed to a resource on it being missing: 405 (the method refused), a 404 with
// E0000022 ("The endpoint does not support the provided HTTP method"), a 404 without
// an Okta error code (an HTML page or an empty body from a gateway), or a 404 E0000007
// whose summary names the path itself ("Resource not found: /api/v1/…") rather than an
// object ("Resource not found: 00g… (UserGroup)").
func endpointMissing(err error, path string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch {
	case ae.Status == http.StatusMethodNotAllowed:
		return true
	case ae.Status != http.StatusNotFound:
		return false
	case ae.Code == "" || ae.Code == "E0000022":
		return true
	}
	return ae.Code == "E0000007" && strings.Contains(ae.Summary, path)
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
	var shape *ShapeError
	var late *AnswerTimeoutError
	switch {
	case errors.As(err, &shape):
		if shape.Op == "" {
			shape.Op = op
		}
		return shape
	case errors.As(err, &late):
		// Its words name the request and the timeout; the URL error around it
		// would only repeat them.
		return fmt.Errorf("%s: %w", op, late)
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syntax) || errors.As(err, &typ) {
		// The SDK's decoder met an answer that is not JSON of the documented shape.
		se := &ShapeError{Op: op, Problem: decodeProblem(err)}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			se.Problem = "the answer ended before its JSON did (cut off by the network or a proxy?)"
		}
		return se
	}
	if msg := err.Error(); strings.HasPrefix(msg, "could not build a response for type:") {
		// The SDK's words for an answer that is not JSON.
		se := &ShapeError{Op: op, ContentType: strings.TrimSpace(strings.TrimPrefix(msg, "could not build a response for type:")), Problem: "not JSON"}
		if resp != nil && resp.Response != nil {
			se.Status = resp.StatusCode
			if resp.Request != nil {
				se.Request = resp.Request.Method + " " + resp.Request.URL.Path
			}
		}
		return se
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

// ShapeError is an answer that is not the shape Okta's API documents: HTML from a
// proxy or a login page, null where a list is documented, a field of the wrong type.
// It says what came back, so the user can tell what answered instead of Okta.
type ShapeError struct {
	Op          string // what the tool was doing, e.g. "list apps"
	Request     string // method and path, e.g. "GET /api/v1/apps"
	Status      int
	ContentType string
	Excerpt     string // the first bytes of the body (masked; printed escaped)
	Problem     string // what is wrong with it
}

func (e *ShapeError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	if e.Request != "" {
		b.WriteString(e.Request + ": ")
	}
	b.WriteString("Okta answered")
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d", e.Status)
	}
	switch {
	case e.ContentType != "":
		fmt.Fprintf(&b, " (%s)", e.ContentType)
	case e.Status != 0:
		b.WriteString(" (no content type)")
	}
	switch {
	case e.Excerpt != "":
		fmt.Fprintf(&b, " %q", e.Excerpt)
	case e.Status != 0:
		b.WriteString(" with an empty body")
	}
	fmt.Fprintf(&b, ": %s, which is not Okta's API shape (is the org URL an Okta org, or is a proxy or login page in the way?)", e.Problem)
	return b.String()
}

// summary says the same without the request, for an error status's description.
func (e *ShapeError) summary() string {
	return fmt.Sprintf("not Okta's API shape: %s, starting %q", cmp.Or(e.ContentType, "no content type"), e.Excerpt)
}

// excerptLen bounds the body quoted in a ShapeError.
const excerptLen = 120

// newShapeError describes resp and the start of its body.
func newShapeError(red *redact.Set, req *http.Request, resp *http.Response, body []byte, problem string) *ShapeError {
	e := &ShapeError{Request: req.Method + " " + req.URL.Path, Status: resp.StatusCode, ContentType: red.String(resp.Header.Get("Content-Type")), Problem: problem}
	s := strings.ToValidUTF8(string(body[:min(len(body), 4*excerptLen)]), "\uFFFD")
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > excerptLen {
		s = string(r[:excerptLen]) + "…"
	}
	e.Excerpt = red.String(s)
	return e
}

// listTarget asks rawResp for a JSON list: anything else (null included) is a
// ShapeError, never an empty result.
type listTarget struct {
	into any
	what string
}

func listOf[T any](items *[]T, what string) any { return &listTarget{into: items, what: what} }

// decodeAnswer decodes body into out (a *listTarget, or any pointer), or says how the
// answer is not the documented shape.
func decodeAnswer(red *redact.Set, req *http.Request, resp *http.Response, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	if lt, ok := out.(*listTarget); ok {
		switch {
		case len(trimmed) == 0:
			return newShapeError(red, req, resp, body, "an empty body where a list of "+lt.what+" is documented")
		case bytes.Equal(trimmed, []byte("null")):
			return newShapeError(red, req, resp, body, "null where a list of "+lt.what+" is documented")
		case trimmed[0] != '[':
			return newShapeError(red, req, resp, body, "not a list of "+lt.what)
		}
		out = lt.into
	} else {
		switch {
		case len(trimmed) == 0 && (req.Method != http.MethodGet || resp.StatusCode == http.StatusNoContent):
			return nil // a write Okta answers without a body
		case len(trimmed) == 0:
			return newShapeError(red, req, resp, body, "an empty body where an object is documented")
		case bytes.Equal(trimmed, []byte("null")):
			return newShapeError(red, req, resp, body, "null where an object is documented")
		}
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return newShapeError(red, req, resp, body, decodeProblem(err))
	}
	return nil
}

// decodeProblem says what the JSON decoder found, in terms of the answer.
func decodeProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return fmt.Sprintf("field %s is a %s where Okta's API has %s", te.Field, te.Value, kindOf(te.Type.Kind().String()))
	case errors.As(err, &te):
		return fmt.Sprintf("a %s where Okta's API has %s", te.Value, kindOf(te.Type.Kind().String()))
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON (at byte %d)", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON"):
		return "JSON cut off before its end"
	}
	return "not valid JSON"
}

func kindOf(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "float64", "uint", "uint64":
		return "a number"
	}
	return "another type"
}
