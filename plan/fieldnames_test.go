package plan

import (
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// TestFileFieldNamesEveryAppChange: every field AppChanges can name for a template or
// custom app, SAML or SWA, reads as the file's field (or is a file name already).
func TestFileFieldNamesEveryAppChange(t *testing.T) {
	yes := true
	saml := config.Integration{Name: "a", Label: "A", SignOn: config.SignOn{Mode: "saml", SAML: &config.SAML{ACSURL: "https://a/acs", Audience: "https://a", NameID: "${user.userName}", SignResponse: &yes, SignAssertion: &yes, SignatureAlgorithm: "RSA_SHA256", DigestAlgorithm: "SHA256"}},
		Visibility: config.Visibility{HideWeb: &yes, HideMobile: &yes, AutoLogin: &yes}}
	swa := config.Integration{Name: "b", Label: "B", SignOn: config.SignOn{Mode: "swa", SWA: &config.SWA{LoginURL: "https://b/login", RedirectURL: "https://b/r"}}}
	fileNames := map[string]bool{"label": true, "settings.notes.admin (ownership stamp)": true}
	for _, in := range []config.Integration{saml, swa} {
		for _, kind := range []string{config.KindTemplate, config.KindCustom} {
			in.Kind = kind
			in.SCIM.Version = "2.0"
			for _, c := range AppChanges(DesiredApp(in), okta.App{}) {
				if f := FileField(c.Field); f == c.Field && !fileNames[f] {
					t.Errorf("%s %s app: %q has no file name", kind, in.SignOn.Mode, c.Field)
				}
			}
		}
	}
	if got := FileField("visibility.hide.iOS"); got != "visibility.hideMobile" {
		t.Fatalf("visibility.hide.iOS reads %q", got)
	}
}
