package openapicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

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
	if body, ok := decodeJSON(r.Body); schema != nil && ok {
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
	v, _ := decodeJSON(b)
	return v
}

// decodeJSON parses a JSON body; false when there is none or it is not JSON.
func decodeJSON(b []byte) (any, bool) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
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
