package openapicheck

import (
	"context"
	"errors"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// filterInput prepares kin-openapi's check of everything but the body, which is
// checked on its own so that known exceptions can only ever touch the body.
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
