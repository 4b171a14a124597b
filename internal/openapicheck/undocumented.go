package openapicheck

import (
	"fmt"
	"net/url"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// Okta ignores what it does not know: a query parameter or body property the spec does
// not name is silently dropped (e.g. "features" on POST /api/v1/apps,
// okta-developer-docs#5130), so the caller would believe it set something it did not.
// These checks report such names; the spec's schemas leave most objects open.

// undocumentedQuery reports query parameters the operation does not declare.
func undocumentedQuery(op *openapi3.Operation, item *openapi3.PathItem, rawQuery string) []error {
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return []error{fmt.Errorf("query string is not valid: %w", err)}
	}
	known := map[string]bool{}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				known[p.Value.Name] = true
			}
		}
	}
	var names []string
	for name := range values {
		if !known[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []error
	for _, name := range names {
		out = append(out, fmt.Errorf("query parameter %q is not documented for this operation", name))
	}
	return out
}

// undocumentedProperties reports object keys that no schema at their place names.
// A key is documented when any allOf/oneOf/anyOf branch there lists it, or the place
// allows additional properties, or no branch lists properties at all (a free-form
// object such as settings.app).
func undocumentedProperties(schema *openapi3.SchemaRef, body any) []error {
	var out []error
	walkDocumented([]*openapi3.Schema{deref(schema)}, body, "", &out)
	return out
}

func walkDocumented(at []*openapi3.Schema, v any, path string, out *[]error) {
	branches := expand(at)
	switch v := v.(type) {
	case map[string]any:
		var listed bool
		var extra []*openapi3.Schema
		open := false
		for _, s := range branches {
			listed = listed || len(s.Properties) > 0
			ap := s.AdditionalProperties
			if ap.Schema != nil {
				extra = append(extra, deref(ap.Schema))
			} else if ap.Has != nil && *ap.Has {
				open = true
			}
		}
		if !listed && len(extra) == 0 {
			return // free-form object
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var next []*openapi3.Schema
			for _, s := range branches {
				if p := s.Properties[k]; p != nil {
					next = append(next, deref(p))
				}
			}
			if len(next) == 0 {
				next = extra
			}
			switch {
			case len(next) > 0:
				walkDocumented(next, v[k], path+"/"+k, out)
			case !open:
				*out = append(*out, fmt.Errorf("body property %q is not in the spec's schema for this request; Okta ignores fields it does not know", path+"/"+k))
			}
		}
	case []any:
		var items []*openapi3.Schema
		for _, s := range branches {
			if s.Items != nil {
				items = append(items, deref(s.Items))
			}
		}
		if len(items) == 0 {
			return
		}
		for i, e := range v {
			walkDocumented(items, e, fmt.Sprintf("%s/%d", path, i), out)
		}
	}
}

// expand lists the schemas and, recursively, their allOf/oneOf/anyOf branches.
func expand(schemas []*openapi3.Schema) []*openapi3.Schema {
	var out []*openapi3.Schema
	seen := map[*openapi3.Schema]bool{}
	var visit func(s *openapi3.Schema)
	visit = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, r := range group {
				visit(deref(r))
			}
		}
	}
	for _, s := range schemas {
		visit(s)
	}
	return out
}

func deref(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil {
		return nil
	}
	return r.Value
}
