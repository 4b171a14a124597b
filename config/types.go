// Package config is the oktascim file format (version 1): loading, validation with
// file:line:column problems, secret references, ${NAME} expansion, the JSON Schema,
// and where the Okta org settings come from. It never talks to the network, knows
// nothing of Okta's API (that is package okta) and never writes a secret's value
// anywhere: a resolved secret is a config.Secret that prints masked.
package config

// File is a loaded, validated oktascim file with defaults applied.
type File struct {
	Path         string // as given
	Dir          string // directory {file:} references are relative to
	Version      int
	Org          *Org // nil when the file has no org block
	Integrations []Integration
	Warnings     []Problem
}

// Org is the optional org block; flags and env take precedence over it.
type Org struct {
	URL   string
	Token *SecretRef // an API token (SSWS)
	Auth  *OrgAuth   // or an OAuth service app
	Pos   Position
}

// Integration is one SCIM app to converge.
type Integration struct {
	Name string
	// Kind is template (an OIN SCIM template app, the default) or custom (an App
	// Integration Wizard SAML 2.0 or SWA app with SCIM provisioning).
	Kind         string
	Label        string
	SCIM         SCIM
	SignOn       SignOn
	Visibility   Visibility
	Provisioning Provisioning
	Groups       []string
	// Mappings are attribute mappings (Profile Mappings API); PushGroups the groups
	// pushed to the SCIM server (Group Push Mappings API).
	Mappings   Mappings
	PushGroups []PushGroup
	Pos        Position // of the list item
}

// Kinds of integration.
const (
	KindTemplate = "template"
	KindCustom   = "custom"
)

// SCIM is where and how Okta provisions to.
type SCIM struct {
	Version     string // "2.0" | "1.1"
	BaseURL     string // without a trailing slash
	Auth        Auth
	AppName     string // OIN template name; empty means DefaultAppName
	UserIDField string
}

// Auth is how Okta authenticates to the SCIM server.
type Auth struct {
	Method   string // basic | header | oauth
	Token    *SecretRef
	Username string
	Password *SecretRef
	// OAuth2 is a custom app's "OAuth 2" mode (method oauth with kind custom): Okta
	// gets tokens from the SCIM server's authorization server.
	OAuth2 *OAuth2
}

// OAuth2 are the custom app's OAuth 2 connection settings.
type OAuth2 struct {
	TokenEndpoint, AuthorizeEndpoint, ClientID string
	ClientSecret                               *SecretRef
}

// SignOn is the app's sign-on mode and its settings.
type SignOn struct {
	Mode string // saml | swa
	SAML *SAML
	SWA  *SWA
}

// SAML settings of a SAML 2.0 sign-on. Beyond ACSURL and Audience, the fields are a
// custom app's (template apps take no more). Each optional one is managed only when
// the file declares it: "" / nil means left as the org has it.
type SAML struct {
	ACSURL, Audience                    string
	NameIDFormat                        string // a urn:oasis:names:tc:SAML:… format
	NameID                              string // subjectNameIdTemplate, e.g. ${user.userName}
	SignResponse, SignAssertion         *bool
	SignatureAlgorithm, DigestAlgorithm string
	// Attributes are managed (as a whole list) only when AttributesDeclared.
	Attributes         []SAMLAttribute
	AttributesDeclared bool
}

// SAMLAttribute is an attribute statement of a custom SAML app.
type SAMLAttribute struct {
	Name, NameFormat string
	Values           []string
}

// SWA settings of a Secure Web Authentication sign-on. RedirectURL is a custom
// (App Integration Wizard, AUTO_LOGIN) SWA app's.
type SWA struct {
	LoginURL, RedirectURL string
}

// Visibility is the General tab's "Application visibility" and auto login; a nil key
// is not declared and left as the org has it.
type Visibility struct{ HideWeb, HideMobile, AutoLogin *bool }

// Provisioning is the To App / To Okta actions. CreateUsers, UpdateUsers and
// DeactivateUsers are the documented defaults (on unless the file says otherwise);
// every other action is managed only when declared (nil: left as the org has it).
type Provisioning struct {
	CreateUsers, UpdateUsers, DeactivateUsers bool
	// Defaulted names the three defaults the file left out (shown as "(default)").
	Defaulted                             []string
	SyncPassword, PushGroups, ImportUsers *bool
	ImportGroups                          *bool // custom apps only
}

// DefaultedAction reports whether the file left the action (createUsers,
// updateUsers, deactivateUsers) out, so that it is on by default.
func (p Provisioning) DefaultedAction(name string) bool {
	for _, d := range p.Defaulted {
		if d == name {
			return true
		}
	}
	return false
}

// On reports whether an optional action is declared on.
func On(b *bool) bool { return b != nil && *b }

// Bool is a declared value, for code that builds an Integration (import, tests).
func Bool(b bool) *bool { return &b }

// Mappings are attribute mappings in both directions; properties not named are left
// alone.
type Mappings struct {
	ToApp  []PropertyMapping // Okta user → app user
	ToOkta []PropertyMapping // app user → Okta user (import)
}

// PropertyMapping maps one target property from an expression.
type PropertyMapping struct {
	Property   string
	Expression string
	// Update: apply on create and update (Okta's pushStatus PUSH); false: on create only.
	Update bool
	// Type of the app user property when the tool must add it to the app's schema.
	Type string
	Pos  Position
}

// PushGroup is one Okta group, or every group whose name matches a pattern, pushed to
// the SCIM server.
type PushGroup struct {
	Group  string // exact Okta group name
	Match  string // or a pattern with * and ?
	Target string // name of the group on the SCIM server (linked if it exists); default the Okta name
	Pos    Position
}

// Integration returns the integration called name.
func (f *File) Integration(name string) (*Integration, bool) {
	for i := range f.Integrations {
		if f.Integrations[i].Name == name {
			return &f.Integrations[i], true
		}
	}
	return nil, false
}

// DefaultAppName is the OIN SCIM template app for a SCIM version and auth method.
// IsTemplateName reports whether name is a catalog app the tool knows as a SCIM template.
func IsTemplateName(name string) bool {
	for _, n := range DefaultAppNames() {
		if n == name {
			return true
		}
	}
	return false
}

// DefaultAppNames are the OIN SCIM template apps the tool uses unless a file names another.
func DefaultAppNames() []string {
	return []string{"scim1testapp", "scim2headerauth", "scim2testapp", "scim2testapp_basic"}
}

// For SCIM 1.1 only scim1testapp is known (taken as the OAuth bearer variant, by
// analogy with scim2testapp; unconfirmed): header and basic need an explicit appName,
// which validation demands, so "" is returned for them.
func DefaultAppName(version, method string) string {
	if version == "1.1" {
		if method == "header" || method == "basic" {
			return ""
		}
		return "scim1testapp"
	}
	switch method {
	case "header":
		return "scim2headerauth"
	case "basic":
		return "scim2testapp_basic"
	}
	return "scim2testapp"
}
