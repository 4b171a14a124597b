package apply

import (
	"fmt"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/scim"
)

// credentials are an integration's SCIM credentials, resolved at the last moment.
type credentials struct {
	Method          string
	Username        string
	Token, Password config.Secret
	// Custom apps: header sends the token as a Bearer token; oauth is OAuth 2, whose
	// tokens Okta gets itself (ClientSecret is the client's).
	Custom       bool
	ClientSecret config.Secret
}

// scim is what the connection test sends; ok is false when the tool holds no
// credential Okta would send (a custom app's OAuth 2: Okta gets its own tokens).
func (c credentials) scim() (scim.Credentials, bool) {
	method := scim.AuthMethod(c.Method)
	if c.Custom {
		switch c.Method {
		case "header":
			method = scim.AuthOAuth // the wizard's HTTP Header mode: Authorization: Bearer <token>
		case "oauth":
			return scim.Credentials{}, false
		}
	}
	return scim.Credentials{Method: method, Token: c.Token.Value(), Username: c.Username, Password: c.Password.Value()}, true
}

func (r *runner) resolveCredentials(ir *integrationRun) bool {
	creds, err := resolveCredentials(ir.in)
	if err != nil {
		r.fail(ir, StepApp, err, "")
		return false
	}
	ir.creds = creds
	return true
}

// resolveCredentials resolves an integration's SCIM secrets.
func resolveCredentials(in config.Integration) (credentials, error) {
	a := in.SCIM.Auth
	c := credentials{Method: a.Method, Username: a.Username, Custom: in.Kind == config.KindCustom}
	var err error
	if a.OAuth2 != nil && a.OAuth2.ClientSecret != nil {
		if c.ClientSecret, err = a.OAuth2.ClientSecret.Resolve(); err != nil {
			return c, err
		}
	}
	if a.Token != nil {
		if c.Token, err = a.Token.Resolve(); err != nil {
			return c, err
		}
	}
	if a.Password != nil {
		if c.Password, err = a.Password.Resolve(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// target is the request Okta's Test API Credentials sends for in (ok as for scim).
func (c credentials) target(in config.Integration) (scim.Target, bool) {
	creds, ok := c.scim()
	return scim.Target{BaseURL: in.SCIM.BaseURL, Version: in.SCIM.Version, Credentials: creds}, ok
}

// NoProbe is why no Test API Credentials request can be sent when SCIMTarget says so.
const NoProbe = "cannot send Okta's Test API Credentials request: with OAuth 2, Okta obtains its own tokens from the SCIM server's authorization server"

// SCIMTarget is the Test API Credentials request Okta sends to the integration's SCIM
// server — its URL and the Authorization header Okta builds from the file's auth —
// with the secrets resolved now. apply's connection test, doctor, scim check and the
// round trip all use it, so that they send what Okta sends. ok is false when the tool
// holds no credential Okta would send (a custom app's OAuth 2: Okta gets its own
// tokens; NoProbe says so).
func SCIMTarget(in config.Integration) (t scim.Target, ok bool, err error) {
	c, err := resolveCredentials(in)
	if err != nil {
		return scim.Target{}, false, fmt.Errorf("integration %s: %w", in.Name, err)
	}
	t, ok = c.target(in)
	return t, ok, nil
}

// tokenAuth reports whether the connection uses a token the Provisioning Connection
// API could take (it has no Basic scheme, and a custom app's OAuth 2 is Okta's own).
func (c credentials) tokenAuth() bool {
	return c.Method == "header" || (c.Method == "oauth" && !c.Custom)
}
