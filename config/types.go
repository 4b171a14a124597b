// Package config is the oktascim file format (version 1): loading, validation with
// file:line:column problems, secret references, ${NAME} expansion, the JSON Schema,
// and where the Okta org settings come from. It never talks to the network.
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
	Token *SecretRef
	Pos   Position
}

// Integration is one SCIM app to converge.
type Integration struct {
	Name         string
	Label        string
	SCIM         SCIM
	SignOn       SignOn
	Visibility   Visibility
	Provisioning Provisioning
	Groups       []string
	Pos          Position // of the list item
}

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
}

// SignOn is the app's sign-on mode and its settings.
type SignOn struct {
	Mode string // saml | swa
	SAML *SAML
	SWA  *SWA
}

// SAML settings of a SAML 2.0 sign-on.
type SAML struct{ ACSURL, Audience string }

// SWA settings of a Secure Web Authentication sign-on.
type SWA struct{ LoginURL string }

// Visibility is the General tab's "Application visibility" and auto login.
type Visibility struct{ HideWeb, HideMobile, AutoLogin bool }

// Provisioning is the To App / To Okta actions.
type Provisioning struct {
	CreateUsers, UpdateUsers, DeactivateUsers, SyncPassword, PushGroups, ImportUsers bool
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
// DefaultAppNames are the OIN SCIM template apps the tool uses unless a file names another.
func DefaultAppNames() []string {
	return []string{"scim1testapp", "scim2headerauth", "scim2testapp", "scim2testapp_basic"}
}

func DefaultAppName(version, method string) string {
	if version == "1.1" {
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
