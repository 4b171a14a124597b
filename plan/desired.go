// Package plan compares what the file declares with what the org holds and decides
// what to change. It does no I/O, so its tests are pure tables.
package plan

import (
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// Okta sign-on modes for the file's signOn.mode. SWA on an OIN app is the browser
// plugin mode (AUTO_LOGIN is the custom-app SWA of the App Integration Wizard).
const (
	SignOnSAML = "SAML_2_0"
	SignOnSWA  = "BROWSER_PLUGIN"
)

// SignOnMode maps the file's mode to Okta's signOnMode.
func SignOnMode(mode string) string {
	if mode == "swa" {
		return SignOnSWA
	}
	return SignOnSAML
}

// DesiredApp is the app the integration declares.
func DesiredApp(in config.Integration) okta.AppSpec {
	spec := okta.AppSpec{
		Name:              AppName(in),
		Label:             in.Label,
		SignOnMode:        SignOnMode(in.SignOn.Mode),
		AppSettings:       map[string]any{},
		AdminNote:         okta.Stamp(in.Name),
		HideWeb:           in.Visibility.HideWeb,
		HideMobile:        in.Visibility.HideMobile,
		AutoSubmitToolbar: in.Visibility.AutoLogin,
	}
	if spec.Label == "" {
		spec.Label = in.Name
	}
	switch {
	case in.SignOn.Mode == "saml" && in.SignOn.SAML != nil:
		spec.AppSettings["acsUrl"] = in.SignOn.SAML.ACSURL
		spec.AppSettings["audienceUri"] = in.SignOn.SAML.Audience
	case in.SignOn.Mode == "swa" && in.SignOn.SWA != nil:
		spec.AppSettings["url"] = in.SignOn.SWA.LoginURL
	}
	return spec
}

// AppName is the OIN template the integration uses.
func AppName(in config.Integration) string {
	if in.SCIM.AppName != "" {
		return in.SCIM.AppName
	}
	return config.DefaultAppName(in.SCIM.Version, in.SCIM.Auth.Method)
}

// WantUserProvisioning is the "To App" feature the integration declares.
func WantUserProvisioning(p config.Provisioning) okta.UserProvisioning {
	return okta.UserProvisioning{Create: p.CreateUsers, UpdateProfile: p.UpdateUsers, Deactivate: p.DeactivateUsers, SyncPassword: p.SyncPassword}
}
