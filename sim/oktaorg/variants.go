package oktaorg

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
	// VariantFeaturesFrom: what puts PUSH_*, GROUP_PUSH and IMPORT_* into an app's
	// read-only features list.
	VariantFeaturesFrom = "features-from"
	// VariantConnectionLifecycle: what the connection's lifecycle endpoints answer on an
	// app the connection API does not support.
	VariantConnectionLifecycle = "connection-lifecycle-unsupported"
	// VariantConnectionBaseURL: what POST …/connections/default without baseUrl does to
	// the stored base URL.
	VariantConnectionBaseURL = "connection-without-baseurl"
	// VariantConnectionDeactivate: what deactivating the connection turns off.
	VariantConnectionDeactivate = "connection-deactivate"
	// VariantActionsAfterConnection: the actions an app has once the connection API
	// activated its connection.
	VariantActionsAfterConnection = "actions-after-connection"
	// VariantMappingsAt: when an app's profile mappings come into being.
	VariantMappingsAt = "mappings-at"
	// VariantSchemaBaseAt: when a SCIM template app's user schema gets the SCIM base
	// attributes.
	VariantSchemaBaseAt = "schema-base-at"
	// VariantUnknownPushSource: the answer to a group push mapping whose source group
	// does not exist.
	VariantUnknownPushSource = "unknown-push-source"
	// VariantTemplateSWA: how a SCIM template app takes an SWA sign-on mode.
	VariantTemplateSWA = "template-swa"
	// VariantCredentialTestType: the Content-Type "Test API Credentials" accepts.
	VariantCredentialTestType = "credential-test-content-type"
	// VariantSCIM1Auth: the authentication scim1testapp offers.
	VariantSCIM1Auth = "scim1-auth"
	// VariantGroupApps: whether the org serves GET /api/v1/groups/{groupId}/apps.
	VariantGroupApps = "group-apps"
	// VariantGroupAppsInactive: whether GET /api/v1/groups/{groupId}/apps lists apps
	// that are not ACTIVE.
	VariantGroupAppsInactive = "group-apps-inactive"
	// VariantAssignmentExpand: whether expand=group embeds the group in an app's group
	// assignments.
	VariantAssignmentExpand = "assignment-expand"
	// VariantWriteAnswers: how much of the written object a write's answer carries
	// where the reference does not confirm it.
	VariantWriteAnswers = "write-answers"
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
	{Name: VariantFeaturesFrom,
		Doc: "What puts PUSH_*, GROUP_PUSH and IMPORT_* into an app's read-only `features` list once provisioning is on: " +
			"`checkboxes` the Integration page's checkboxes (Push New Users, Push Profile Updates, Push Groups, Import; " +
			"deactivation and password sync from USER_PROVISIONING); `settings` the USER_PROVISIONING settings for every " +
			"PUSH_* (GROUP_PUSH and IMPORT_* from Push Groups and Import); `capabilities` every feature the app supports, " +
			"whatever is switched on.",
		Values: []string{"checkboxes", "settings", "capabilities"},
		Known: "The spec calls `features` read-only and names the values; what sets each one is not documented, and " +
			"every recorded app has `features: []`.",
		Source: "okta-openapi Application.features; all cassettes (features always [])"},
	{Name: VariantConnectionLifecycle,
		Doc: "`POST …/connections/default/lifecycle/activate|deactivate` on an app the connection API does not support: " +
			"`refused` 400 E0000001 \"Provisioning isn't supported by the app\"; `no-op` 204 and nothing changes.",
		Values: []string{"refused", "no-op"},
		Known:  "The spec documents only 204 (and 401/403/404/429); an unsupported app's answer is not recorded.",
		Source: "okta-openapi activateDefaultProvisioningConnectionForApplication; not recorded"},
	{Name: VariantConnectionBaseURL,
		Doc: "`POST …/connections/default` without `baseUrl` on an app whose connection has one: `erases` the stored base " +
			"URL; `keeps` it.",
		Values: []string{"erases", "keeps"},
		Known:  "The spec: baseUrl is \"only used for the Zscaler 2.0 app\"; the recorded Zscaler traffic always sends it.",
		Source: "okta-openapi ProvisioningConnectionTokenRequest; TestAccResourceOktaAppConnection_cru"},
	{Name: VariantConnectionDeactivate,
		Doc: "What `POST …/connections/default/lifecycle/deactivate` turns off: `provisioning-off` the connection and " +
			"provisioning (features answer \"Provisioning is not enabled\"); `status-only` only the connection's status " +
			"(DISABLED), provisioning stays on.",
		Values: []string{"provisioning-off", "status-only"},
		Known:  "Not documented beyond \"deactivates the default provisioning connection\"; not recorded.",
		Source: "okta-openapi deactivateDefaultProvisioningConnectionForApplication"},
	{Name: VariantActionsAfterConnection,
		Doc: "The provisioning actions an app has once the connection API activated its connection: `push` the Push " +
			"New Users and Push Profile Updates checkboxes on, USER_PROVISIONING untouched; `all-off`, `all-on` and " +
			"`to-app` as for actions-after-enable.",
		Values: []string{"push", "all-off", "all-on", "to-app"},
		Known:  "Not documented or recorded (the recorded connection is a Zscaler app's, whose features are not read).",
		Source: "TestAccResourceOktaAppConnection_cru (no features read)"},
	{Name: VariantMappingsAt,
		Doc: "When an app's two profile mappings (Okta user → app user, app user → Okta user) exist: `creation` from the " +
			"app's creation (a custom app's SCIM defaults added when SCIM goes on); `provisioning` only once provisioning " +
			"is on (GET /api/v1/mappings lists none for the app before).",
		Values: []string{"creation", "provisioning"},
		Known: "Recorded only for an identity provider, whose mapping is listed right after the IdP is created; for " +
			"apps nothing is recorded.",
		Source: "TestAccResourceOktaProfileMapping_crud (an IdP)"},
	{Name: VariantSchemaBaseAt,
		Doc: "When a SCIM template app's user schema gets the SCIM base attributes (givenName, familyName, email, …): " +
			"`creation` from the start; `provisioning` once provisioning is on (userName only before).",
		Values: []string{"creation", "provisioning"},
		Known:  "Recorded: base schemas of non-SCIM apps only; the SCIM attribute set is from Okta's integration guides.",
		Source: "TestAccResourceOktaAppUserSchemas_crud, …AppUserBaseSchema_change"},
	{Name: VariantUnknownPushSource,
		Doc:    "A group push mapping whose sourceGroupId names no group: `400` E0000001 on sourceGroupId; `404` E0000007.",
		Values: []string{"400", "404"},
		Known:  "The spec lists 400 and 404 for createGroupPushMapping without saying which this is.",
		Source: "okta-openapi createGroupPushMapping"},
	{Name: VariantTemplateSWA,
		Doc: "How a SCIM template app takes SWA sign-on: `browser-plugin` BROWSER_PLUGIN only, kept as sent; " +
			"`auto-login` AUTO_LOGIN accepted too, each kept; `rewritten` both accepted and stored (and answered) as AUTO_LOGIN.",
		Values: []string{"browser-plugin", "auto-login", "rewritten"},
		Known:  "Which SWA mode the SCIM templates accept is not documented; catalog SWA apps are recorded as BROWSER_PLUGIN.",
		Source: "TestAccResourceOktaAppSwaApplication_preconfig; okta-openapi BrowserPluginApplication"},
	{Name: VariantCredentialTestType,
		Doc: "The Content-Type \"Test API Credentials\" (and a connection's activation) accepts from the SCIM server: " +
			"`scim-or-json` application/scim+json or application/json only; `any-json` any, if the body is a ListResponse.",
		Values: []string{"scim-or-json", "any-json"},
		Known:  "Okta's SCIM guide asks for application/scim+json; what the test refuses is not documented.",
		Source: "okta-scim-runscope suites (Accept: application/scim+json)"},
	{Name: VariantSCIM1Auth,
		Doc: "The authentication scim1testapp offers, whatever the admin picks: `header` the API token sent verbatim as " +
			"Authorization; `bearer` OAuth bearer (\"Bearer <token>\"), by analogy with scim2testapp.",
		Values: []string{"header", "bearer"},
		Known:  "Neither is recorded; the name scim1testapp itself is weakly attested.",
		Source: "shared/design/okta-api.md §2; issue 11"},
	{Name: VariantGroupApps,
		Doc: "`GET /api/v1/groups/{groupId}/apps`: `served` lists the group's apps (Application objects as " +
			"`GET /api/v1/apps` returns them, Link paging); `missing` the org answers 404 as for any unknown path.",
		Values: []string{"served", "missing"},
		Known:  "In the spec (listAssignedApplicationsForGroup, GA) but never recorded; older or restricted orgs may not serve it.",
		Source: "okta-openapi listAssignedApplicationsForGroup; not recorded"},
	{Name: VariantGroupAppsInactive,
		Doc: "Whether `GET /api/v1/groups/{groupId}/apps` lists an assigned app that is not ACTIVE: `listed` every " +
			"assigned app; `omitted` ACTIVE apps only.",
		Values: []string{"listed", "omitted"},
		Known:  "The spec says \"Lists all apps that are assigned to a group\" and does not mention status.",
		Source: "okta-openapi listAssignedApplicationsForGroup; not recorded"},
	{Name: VariantAssignmentExpand,
		Doc: "`expand=group` on `GET /api/v1/apps/{appId}/groups` (and `…/groups/{groupId}`): `embedded` each " +
			"assignment carries the group object in `_embedded.group`; `ignored` no `_embedded`.",
		Values: []string{"embedded", "ignored"},
		Known:  "The spec documents expand=group and an example with `_embedded.group`; no recorded request uses it.",
		Source: "okta-openapi listApplicationGroupAssignments, EmbeddedGroupAssignmentSampleResponse; not recorded"},
	{Name: VariantWriteAnswers,
		Doc: "How much a write's answer carries where the spec does not require it and no cassette records it: `full` " +
			"the whole object, as a read returns it; `minimal` `POST …/connections/default` answers without `baseUrl` and " +
			"the top-level `authScheme` (only `status` and `profile.authScheme`, which the spec requires), and a group push " +
			"mapping's create (POST) and status change (PATCH) answer only its `id` and `_links`; `bare` as minimal, but " +
			"the push mapping answers are an empty object. The writes whose answers are recorded (app create/replace, " +
			"features PUT, group assignment PUT, app user schema POST, mapping POST) answer in full whatever the value.",
		Values: []string{"full", "minimal", "bare"},
		Known: "ProvisioningConnectionResponse requires only `profile` and `status`; the recorded answers carry `baseUrl` " +
			"for a Zscaler app, the one app the spec says uses it. GroupPushMapping requires nothing, and no push is recorded.",
		Source: "okta-openapi updateDefaultProvisioningConnectionForApplication, createGroupPushMapping, updateGroupPushMapping; " +
			"TestAccResourceOktaAppConnection_cru; docs/performance.md (write answers)"},
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

// VariantsTable is the Markdown table of the variants (docs/variants.md holds it).
func VariantsTable() string {
	var b strings.Builder
	b.WriteString("| Variant | Values | Default | What it decides | What is known | Source |\n|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	for _, v := range Variants() {
		vals := make([]string, len(v.Values))
		for i, x := range v.Values {
			vals[i] = "`" + x + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %s | %s |\n", v.Name, strings.Join(vals, ", "), v.Values[0], cell(v.Doc), cell(v.Known), cell(v.Source))
	}
	return b.String()
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
		panic("oktaorg: no variant " + name)
	}
	return v.Values[0]
}

// Variant is the org's value of the named variant (its default when not set).
func (o *Org) Variant(name string) string { return o.variant(name) }
