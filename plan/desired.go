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
	// SignOnCustomSWA is the App Integration Wizard's SWA app.
	SignOnCustomSWA = "AUTO_LOGIN"
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
	if in.Kind == config.KindCustom {
		customApp(in, &spec)
		return spec
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

// customApp fills in an App Integration Wizard app, which Okta names itself: SAML 2.0
// or SWA (AUTO_LOGIN), both with settings.signOn.
func customApp(in config.Integration, spec *okta.AppSpec) {
	spec.SignOnSettings = map[string]any{}
	switch {
	case in.SignOn.SAML != nil:
		s := in.SignOn.SAML
		attrs := make([]any, 0, len(s.Attributes))
		for _, a := range s.Attributes {
			values := make([]any, len(a.Values))
			for i, v := range a.Values {
				values[i] = v
			}
			attrs = append(attrs, map[string]any{"type": "EXPRESSION", "name": a.Name, "namespace": a.NameFormat, "values": values})
		}
		spec.SignOnSettings = map[string]any{
			"ssoAcsUrl": s.ACSURL, "recipient": s.ACSURL, "destination": s.ACSURL, "audience": s.Audience,
			"subjectNameIdTemplate": s.NameID, "subjectNameIdFormat": s.NameIDFormat,
			"responseSigned": s.SignResponse, "assertionSigned": s.SignAssertion,
			"signatureAlgorithm": s.SignatureAlgorithm, "digestAlgorithm": s.DigestAlgorithm,
			"honorForceAuthn": true, "authnContextClassRef": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
			"allowMultipleAcsEndpoints": false, "requestCompressed": false,
			"attributeStatements": attrs,
		}
	case in.SignOn.SWA != nil:
		// The wizard's SWA app: AUTO_LOGIN, named by Okta.
		spec.SignOnMode = SignOnCustomSWA
		spec.SignOnSettings = map[string]any{"loginUrl": in.SignOn.SWA.LoginURL}
		if in.SignOn.SWA.RedirectURL != "" {
			spec.SignOnSettings["redirectUrl"] = in.SignOn.SWA.RedirectURL
		}
	}
}

// AppName is the catalog app the integration uses: an OIN template, or "" for a custom
// app (Okta names it).
func AppName(in config.Integration) string {
	if in.Kind == config.KindCustom {
		return ""
	}
	if in.SCIM.AppName != "" {
		return in.SCIM.AppName
	}
	return config.DefaultAppName(in.SCIM.Version, in.SCIM.Auth.Method)
}

// WantUserProvisioning is the "To App" feature the integration declares.
func WantUserProvisioning(p config.Provisioning) okta.UserProvisioning {
	return okta.UserProvisioning{Create: p.CreateUsers, UpdateProfile: p.UpdateUsers, Deactivate: p.DeactivateUsers, SyncPassword: p.SyncPassword}
}
