package openapicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Error says how one request departs from the spec.
type Error struct {
	Method, Path string
	// Operation is the spec's operationId, "" when no operation matched.
	Operation string
	Err       error
}

func (e *Error) Error() string {
	if e.Operation == "" {
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("%s %s (%s): %v", e.Method, e.Path, e.Operation, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Validate returns nil when r is a request the spec documents, or an *Error naming
// the operation and every problem found. Messages never quote header values or body
// values, which may be secrets.
func (v *Validator) Validate(r Request) error {
	route, _, err := v.route(r)
	if err != nil {
		return &Error{Method: r.Method, Path: r.Path, Err: err}
	}
	var problems []error
	if err := v.conform(r); err != nil {
		problems = append(problems, err)
	}
	if isAppWrite(route.Method, route.Path) {
		problems = append(problems, appBodyFindings(decodeBody(r.Body))...)
	}
	if len(problems) == 0 {
		return nil
	}
	return &Error{Method: r.Method, Path: r.Path, Operation: route.Operation.OperationID, Err: errors.Join(problems...)}
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

// conform checks r against the spec. Known exceptions concern bodies only, so the
// rest of the request (security, parameters) is always checked as the spec says.
func (v *Validator) conform(r Request) error {
	route, params, err := v.route(r)
	if err != nil {
		return err
	}
	return errors.Join(v.checkEnvelope(route, params, r), v.checkBody(route, params, r))
}

// checkBody checks r's body against the spec, then lets a matching known exception
// excuse or replace the verdict.
func (v *Validator) checkBody(route *routers.Route, params map[string]string, r Request) error {
	specErr := v.specBody(route, params, r)
	if specErr == nil {
		return nil
	}
	for _, ex := range KnownExceptions {
		if !ex.appliesTo(route.Method, route.Path) || !ex.Match(r, specErr) {
			continue
		}
		if ex.Instead == nil {
			return nil
		}
		return ex.Instead(v, r)
	}
	return specErr
}

// bodyProblems routes r and checks its body, exceptions included: what an
// exception's Instead uses after changing the body.
func (v *Validator) bodyProblems(r Request) error {
	route, params, err := v.route(r)
	if err != nil {
		return err
	}
	return v.checkBody(route, params, r)
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

func (v *Validator) filterInput(route *routers.Route, params map[string]string, r Request) (*openapi3filter.RequestValidationInput, error) {
	req, err := r.httpRequest()
	if err != nil {
		return nil, err
	}
	return &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  authenticate,
			MultiError:          true,
			ExcludeRequestBody:  true,
			SkipSettingDefaults: true, // validate what was sent, not what defaults would make of it
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.DisableSchemaErrorDetails(), // values may be secrets
			},
		},
	}, nil
}

// checkEnvelope checks all but the body: security, path, query and header parameters,
// and undocumented query parameters.
func (v *Validator) checkEnvelope(route *routers.Route, params map[string]string, r Request) error {
	input, err := v.filterInput(route, params, r)
	if err != nil {
		return err
	}
	var problems []error
	if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
		problems = append(problems, schemaErrors(err))
	}
	problems = append(problems, undocumentedQuery(route.Operation, route.PathItem, r.RawQuery)...)
	return errors.Join(problems...)
}

// specBody checks the body as the spec alone says, plus undocumented properties and,
// for a feature update, the schema of the feature named in the path.
func (v *Validator) specBody(route *routers.Route, params map[string]string, r Request) error {
	hasBody := len(bytes.TrimSpace(r.Body)) > 0
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		if hasBody {
			return errors.New("the spec documents no request body here")
		}
		return nil
	}
	input, err := v.filterInput(route, params, r)
	if err != nil {
		return err
	}
	var problems []error
	if err := openapi3filter.ValidateRequestBody(context.Background(), input, rb.Value); err != nil {
		problems = append(problems, err)
	}
	schema, narrowed := bodySchema(route, params)
	if schema != nil && hasBody {
		body := decodeBody(r.Body)
		if narrowed {
			if err := schema.Value.VisitJSON(body, visitOptions...); err != nil {
				problems = append(problems, fmt.Errorf("body is not a valid %s body: %w", schema.Value.Title, schemaErrors(err)))
			}
		}
		problems = append(problems, undocumentedProperties(schema, body)...)
	}
	return errors.Join(problems...)
}

// visitOptions check a body as a request, reporting every problem without values.
var visitOptions = []openapi3.SchemaValidationOption{
	openapi3.MultiErrors(), openapi3.VisitAsRequest(), openapi3.DisableSchemaErrorDetails(),
}

// checkAgainst validates r's body against one named component schema, as a stand-in
// for the operation's body schema.
func (v *Validator) checkAgainst(component string, r Request) error {
	ref := v.doc.Components.Schemas[component]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("openapicheck: the spec has no schema %q", component)
	}
	body := decodeBody(r.Body)
	var problems []error
	if err := ref.Value.VisitJSON(body, visitOptions...); err != nil {
		problems = append(problems, fmt.Errorf("body does not match %s: %w", component, schemaErrors(err)))
	}
	problems = append(problems, undocumentedProperties(ref, body)...)
	return errors.Join(problems...)
}

// bodySchema is the operation's JSON body schema. A feature update's body is a oneOf
// whose branches are titled after the feature names; the branch for the feature in
// the path is the one that documents the body, so a USER_PROVISIONING body sent to
// INBOUND_PROVISIONING (or the reverse) is reported.
func bodySchema(route *routers.Route, params map[string]string) (schema *openapi3.SchemaRef, narrowed bool) {
	op := route.Operation
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, false
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil, false
	}
	if feature := params["featureName"]; feature != "" {
		for _, branch := range mt.Schema.Value.OneOf {
			if branch.Value != nil && branch.Value.Title == feature {
				return branch, true
			}
		}
	}
	return mt.Schema, false
}

// decodeBody parses a JSON body, keeping numbers exact; nil when absent or not JSON
// (the spec check reports the latter).
func decodeBody(b []byte) any {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

// schemaErrors flattens a MultiError into one line per problem.
func schemaErrors(err error) error {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs := make([]error, len(me))
		copy(errs, me)
		return errors.Join(errs...)
	}
	return err
}
