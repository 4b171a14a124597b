package oktatest

// Variants: every behaviour of the simulator that the reference material (Okta's
// OpenAPI spec and the recorded traffic in ../shared/reference) does not confirm is a
// named variant with two or more values, so that a client can be tested under each
// plausible answer instead of under the one the simulator happens to give. The first
// value of each is the default. docs/variants.md is the table of them (a test keeps it
// in step with this list).

import (
	"fmt"
	"sort"
	"strings"
)

// Variant is one unconfirmed behaviour and the values it can take.
type Variant struct {
	Name   string
	Doc    string   // what the behaviour is
	Values []string // Values[0] is the default
	Known  string   // what is known about real Okta
	Source string   // where that comes from
}

// Variant names.
const (
	// VariantActionsAfterEnable: which actions an app has right after an admin enables
	// a template app's API integration in the console.
	VariantActionsAfterEnable = "actions-after-enable"
	// VariantGroupPush: whether a group push reaches the SCIM server before the API
	// answers, or some time later.
	VariantGroupPush = "group-push"
	// VariantConnectionAPI: whether the Provisioning Connection API works for the SCIM
	// template and App Integration Wizard apps.
	VariantConnectionAPI = "connection-api"
)

var variantList = []Variant{
	{Name: VariantActionsAfterEnable,
		Doc: "The provisioning actions a SCIM template app has right after an admin enables its API integration: " +
			"`entered` keeps the checkboxes the admin's step entered (To App create/update, Push Groups, Import); " +
			"`all-off` every action off; `all-on` create, update, deactivate, Push Groups and Import on (password sync off); " +
			"`to-app` create, update and deactivate on, Push Groups and Import off.",
		Values: []string{"entered", "all-off", "all-on", "to-app"},
		Known: "Not recorded. Okta's SCIM test-app guides have the admin enable the API integration, then turn on the " +
			"To App actions on a separate page (so `all-off`); whether the template's Integration page offers Push " +
			"Groups / Import checkboxes at all is not documented.",
		Source: "developer.okta.com SCIM guides (console steps only); no cassette has a SCIM template app"},
	{Name: VariantGroupPush,
		Doc: "When a group push reaches the app's SCIM server: `sync` before the API (or the Push Groups tab) answers; " +
			"`async` some time later (Options.GroupPushDelay, default 300ms): the mapping answers ACTIVE without lastPush " +
			"and the SCIM group appears after the delay.",
		Values: []string{"sync", "async"},
		Known:  "Okta pushes groups asynchronously (the spec: \"Okta performs an initial push\"); the delay is not documented.",
		Source: "okta-openapi GroupPushMapping; not recorded"},
	{Name: VariantConnectionAPI,
		Doc: "Whether the Provisioning Connection API works for SCIM template apps and App Integration Wizard apps: " +
			"`unknown` answers 200 with status UNKNOWN and changes nothing; `accepted` stores and tests the connection " +
			"(the same as Options.AcceptConnectionAPI).",
		Values: []string{"unknown", "accepted"},
		Known: "The spec lists the apps the API supports (okta_org2org, zscalerbyz, google, office365, slack, zoomus); " +
			"an unsupported app answers UNKNOWN. Whether the SCIM test apps are supported in a given org is not known.",
		Source: "okta-openapi tag ApplicationConnections; TestAccResourceOktaAppConnection_cru (a zscalerbyz app)"},
}

// Variants lists the simulator's variants, sorted by name.
func Variants() []Variant {
	out := make([]Variant, len(variantList))
	for i, v := range variantList {
		v.Values = append([]string(nil), v.Values...)
		out[i] = v
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func findVariant(name string) (Variant, bool) {
	for _, v := range variantList {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

func variantNames() string {
	names := make([]string, len(variantList))
	for i, v := range variantList {
		names[i] = v.Name
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// CheckVariants says what is wrong with a set of variant values (nil: nothing).
func CheckVariants(set map[string]string) error {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v, ok := findVariant(n)
		if !ok {
			return fmt.Errorf("unknown simulator variant %q (known: %s)", n, variantNames())
		}
		if !contains(v.Values, set[n]) {
			return fmt.Errorf("simulator variant %s: %q is not one of %s", n, set[n], strings.Join(v.Values, ", "))
		}
	}
	return nil
}

// ParseVariants reads NAME=VALUE settings (as `oktascim sim --variant` takes them).
func ParseVariants(specs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range specs {
		name, value, ok := strings.Cut(s, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("simulator variant %q: want NAME=VALUE (known names: %s)", s, variantNames())
		}
		if prev, dup := out[name]; dup && prev != value {
			return nil, fmt.Errorf("simulator variant %s is set twice (%s, %s)", name, prev, value)
		}
		out[name] = value
	}
	if err := CheckVariants(out); err != nil {
		return nil, err
	}
	return out, nil
}

// Flipped sets every variant to its first value other than the default.
func Flipped() map[string]string {
	out := map[string]string{}
	for _, v := range variantList {
		out[v.Name] = v.Values[1]
	}
	return out
}

// variant is the org's value of a variant.
func (o *Org) variant(name string) string {
	if v, ok := o.opts.Variants[name]; ok {
		return v
	}
	v, ok := findVariant(name)
	if !ok {
		panic("oktatest: no variant " + name)
	}
	return v.Values[0]
}

// Variant is the org's value of the named variant (its default when not set).
func (o *Org) Variant(name string) string { return o.variant(name) }
