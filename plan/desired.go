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
		// Only what the file declares is managed (and compared); recipient and
		// destination follow the ACS URL, as the wizard's "use this for Recipient URL
		// and Destination URL" does.
		spec.SignOnSettings = map[string]any{
			"ssoAcsUrl": s.ACSURL, "recipient": s.ACSURL, "destination": s.ACSURL, "audience": s.Audience,
		}
		set := func(k, v string) {
			if v != "" {
				spec.SignOnSettings[k] = v
			}
		}
		set("subjectNameIdTemplate", s.NameID)
		set("subjectNameIdFormat", s.NameIDFormat)
		set("signatureAlgorithm", s.SignatureAlgorithm)
		set("digestAlgorithm", s.DigestAlgorithm)
		if s.SignResponse != nil {
			spec.SignOnSettings["responseSigned"] = *s.SignResponse
		}
		if s.SignAssertion != nil {
			spec.SignOnSettings["assertionSigned"] = *s.SignAssertion
		}
		if s.AttributesDeclared {
			attrs := make([]any, 0, len(s.Attributes))
			for _, a := range s.Attributes {
				values := make([]any, len(a.Values))
				for i, v := range a.Values {
					values[i] = v
				}
				attrs = append(attrs, map[string]any{"type": "EXPRESSION", "name": a.Name, "namespace": a.NameFormat, "values": values})
			}
			spec.SignOnSettings["attributeStatements"] = attrs
		}
		// Okta's spec requires these on create (SamlApplicationSettingsSignOn); where
		// the file is silent they get the App Integration Wizard's defaults, once.
		spec.CreateSignOn = map[string]any{"responseSigned": true, "assertionSigned": true, "honorForceAuthn": true,
			"requestCompressed": false, "allowMultipleAcsEndpoints": false}
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

// WantUserProvisioning is the "To App" feature the integration declares, over what the
// app has: an action the file does not declare keeps the app's value.
func WantUserProvisioning(p config.Provisioning, have okta.UserProvisioning) okta.UserProvisioning {
	want := have
	want.Create, want.UpdateProfile, want.Deactivate = p.CreateUsers, p.UpdateUsers, p.DeactivateUsers
	if p.SyncPassword != nil {
		want.SyncPassword = *p.SyncPassword
	}
	return want
}

// DeclaredAction is one provisioning action the file manages, as the plan and the
// manual steps show it.
type DeclaredAction struct {
	Name      string // createUsers, updateUsers, deactivateUsers, syncPassword, pushGroups, importUsers, importGroups
	On        bool
	Defaulted bool // a documented default the file left out
}

// DeclaredActions lists the actions the file manages, in the file format's order:
// the three defaults always, every other action only when declared.
func DeclaredActions(p config.Provisioning) []DeclaredAction {
	out := []DeclaredAction{
		{"createUsers", p.CreateUsers, p.DefaultedAction("createUsers")},
		{"updateUsers", p.UpdateUsers, p.DefaultedAction("updateUsers")},
		{"deactivateUsers", p.DeactivateUsers, p.DefaultedAction("deactivateUsers")},
	}
	for _, o := range []struct {
		name string
		v    *bool
	}{{"syncPassword", p.SyncPassword}, {"pushGroups", p.PushGroups}, {"importUsers", p.ImportUsers}, {"importGroups", p.ImportGroups}} {
		if o.v != nil {
			out = append(out, DeclaredAction{Name: o.name, On: *o.v})
		}
	}
	return out
}

// Value prints the action's value, "(default)" marking a documented default.
func (a DeclaredAction) Value() string {
	if a.Defaulted {
		return onOff(a.On) + " (default)"
	}
	return onOff(a.On)
}
