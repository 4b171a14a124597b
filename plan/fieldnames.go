package plan

import "strings"

// fileFields maps the Okta API paths a FieldChange names to the file's own field
// names, so a person reads a plan in the words of the file they wrote. It is the one
// place for that mapping; anything not here is already a file name (label, groups,
// createUsers, mappings, push.…) or has no field in the file (the ownership stamp).
var fileFields = map[string]string{
	"signOnMode":                            "signOn.mode",
	"settings.app.acsUrl":                   "signOn.saml.acsUrl",
	"settings.app.audienceUri":              "signOn.saml.audience",
	"settings.app.url":                      "signOn.swa.loginUrl",
	"settings.signOn.ssoAcsUrl":             "signOn.saml.acsUrl",
	"settings.signOn.recipient":             "signOn.saml.acsUrl (recipient)",
	"settings.signOn.destination":           "signOn.saml.acsUrl (destination)",
	"settings.signOn.audience":              "signOn.saml.audience",
	"settings.signOn.subjectNameIdTemplate": "signOn.saml.nameId",
	"settings.signOn.subjectNameIdFormat":   "signOn.saml.nameIdFormat",
	"settings.signOn.responseSigned":        "signOn.saml.signResponse",
	"settings.signOn.assertionSigned":       "signOn.saml.signAssertion",
	"settings.signOn.signatureAlgorithm":    "signOn.saml.signatureAlgorithm",
	"settings.signOn.digestAlgorithm":       "signOn.saml.digestAlgorithm",
	"settings.signOn.attributeStatements":   "signOn.saml.attributes",
	// Set by oktascim for every custom SAML app; the file has no key for them.
	"settings.signOn.honorForceAuthn":           "signOn.saml (honorForceAuthn, set by oktascim)",
	"settings.signOn.authnContextClassRef":      "signOn.saml (authnContextClassRef, set by oktascim)",
	"settings.signOn.allowMultipleAcsEndpoints": "signOn.saml (allowMultipleAcsEndpoints, set by oktascim)",
	"settings.signOn.requestCompressed":         "signOn.saml (requestCompressed, set by oktascim)",
	"settings.signOn.loginUrl":                  "signOn.swa.loginUrl",
	"settings.signOn.redirectUrl":               "signOn.swa.redirectUrl",
	"visibility.hide.web":                       "visibility.hideWeb",
	"visibility.hide.iOS":                       "visibility.hideMobile",
	"visibility.autoSubmitToolbar":              "visibility.autoLogin",
}

// FileField is the file's name for a FieldChange's field (see fileFields). A settings
// key the file sets but this table does not know keeps its API path.
func FileField(field string) string {
	if f, ok := fileFields[field]; ok {
		return f
	}
	if f, ok := fileFields[strings.TrimSuffix(field, " (ownership stamp)")]; ok {
		return f
	}
	return field
}
