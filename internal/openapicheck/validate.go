package openapicheck

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// Error says how one request departs from the spec.
type Error struct {
	Method, Path string
	// Operation is the spec's operationId, "" when no operation matched.
	Operation string
	Err       error
}

// Error puts each problem on its own indented line after the first.
func (e *Error) Error() string {
	problems := strings.ReplaceAll(e.Err.Error(), "\n", "\n    ")
	if e.Operation == "" {
		return fmt.Sprintf("%s %s: %s", e.Method, e.Path, problems)
	}
	return fmt.Sprintf("%s %s (%s): %s", e.Method, e.Path, e.Operation, problems)
}

func (e *Error) Unwrap() error { return e.Err }

// Validate returns nil when r is a request the spec documents, or an *Error naming
// the operation and every problem found. Messages never quote header values or body
// values, which may be secrets.
func (v *Validator) Validate(r Request) error {
	route, params, err := v.route(r)
	if err != nil {
		return &Error{Method: r.Method, Path: r.Path, Err: err}
	}
	// Known exceptions concern bodies only: security and parameters are always
	// checked as the spec says, and the app-body findings are never excused.
	problems := []error{v.checkEnvelope(route, params, r), v.checkBody(route, params, r)}
	if isAppWrite(route.Method, route.Path) {
		problems = append(problems, appBodyFindings(decodeBody(r.Body))...)
	}
	if err := errors.Join(problems...); err != nil {
		return &Error{Method: r.Method, Path: r.Path, Operation: route.Operation.OperationID, Err: err}
	}
	return nil
}

// ValidateAll validates each request and returns the errors, in order; nil if all pass.
func (v *Validator) ValidateAll(rs []Request) []error {
	var out []error
	for _, r := range rs {
		if err := v.Validate(r); err != nil {
			out = append(out, err)
		}
	}
	return out
}

// route finds the spec operation for r, or says why there is none.
func (v *Validator) route(r Request) (*routers.Route, map[string]string, error) {
	req, err := r.httpRequest()
	if err != nil {
		return nil, nil, err
	}
	route, params, err := v.router.FindRoute(req)
	switch {
	case err == nil:
		return route, params, nil
	case errors.Is(err, routers.ErrMethodNotAllowed):
		pattern, allowed := v.allowedMethods(req)
		return nil, nil, fmt.Errorf("the spec has no %s on %s (it documents %s)", r.Method, pattern, strings.Join(allowed, ", "))
	case errors.Is(err, routers.ErrPathNotFound):
		return nil, nil, errors.New("no such path in the Okta API spec")
	}
	return nil, nil, fmt.Errorf("route request: %w", err)
}

func (v *Validator) allowedMethods(req *http.Request) (string, []string) {
	var pattern string
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		probe := req.Clone(req.Context())
		probe.Method = m
		if route, _, err := v.router.FindRoute(probe); err == nil {
			pattern = route.Path
			allowed = append(allowed, m)
		}
	}
	sort.Strings(allowed)
	return pattern, allowed
}
