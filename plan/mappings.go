package plan

import (
	"sort"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// pushStatus is Okta's word for when a mapping applies.
func pushStatus(update bool) string {
	if update {
		return "PUSH" // on create and update
	}
	return "DONT_PUSH" // on create only
}

// MissingAppProperties are the app user properties the toApp mappings name that the
// app's schema lacks, with the type to add them as.
func MissingAppProperties(toApp []config.PropertyMapping, schema okta.AppSchema) map[string]okta.AppSchemaProperty {
	out := map[string]okta.AppSchemaProperty{}
	for _, m := range toApp {
		if !schema.Has(m.Property) {
			out[m.Property] = okta.AppSchemaProperty{Title: m.Property, Type: m.Type, Scope: "NONE"}
		}
	}
	return out
}

// MappingChanges compares the declared properties of one direction with the mapping,
// property by property; properties the file does not name are not compared.
func MappingChanges(direction string, declared []config.PropertyMapping, have okta.Mapping) []FieldChange {
	var out []FieldChange
	for _, m := range declared {
		want := okta.MappingProperty{Expression: m.Expression, PushStatus: pushStatus(m.Update)}
		got, ok := have.Properties[m.Property]
		field := "mappings." + direction + "." + m.Property
		switch {
		case !ok:
			out = append(out, FieldChange{field, "", describeMapping(want)})
		case got.Expression != want.Expression || (got.PushStatus != "" && got.PushStatus != want.PushStatus):
			out = append(out, FieldChange{field, describeMapping(got), describeMapping(want)})
		}
	}
	return out
}

// MappingUpdate is the partial update that sets the declared properties.
func MappingUpdate(declared []config.PropertyMapping, _ okta.Mapping) map[string]okta.MappingProperty {
	out := map[string]okta.MappingProperty{}
	for _, m := range declared {
		out[m.Property] = okta.MappingProperty{Expression: m.Expression, PushStatus: pushStatus(m.Update)}
	}
	return out
}

func describeMapping(p okta.MappingProperty) string {
	when := "create and update"
	if p.PushStatus == "DONT_PUSH" {
		when = "create only"
	}
	return p.Expression + " (" + when + ")"
}

// SortedKeys returns a map's keys in order.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
