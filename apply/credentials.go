package apply

import (
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/scim"
)

// credentials are an integration's SCIM credentials, resolved at the last moment.
type credentials struct {
	Method          string
	Username        string
	Token, Password config.Secret
}

func (c credentials) scim() scim.Credentials {
	return scim.Credentials{Method: scim.AuthMethod(c.Method), Token: c.Token.Value(), Username: c.Username, Password: c.Password.Value()}
}

func (r *runner) resolveCredentials(ir *integrationRun) bool {
	a := ir.in.SCIM.Auth
	ir.creds = credentials{Method: a.Method, Username: a.Username}
	var err error
	if a.Token != nil {
		if ir.creds.Token, err = a.Token.Resolve(); err != nil {
			r.fail(ir, StepApp, err, "")
			return false
		}
	}
	if a.Password != nil {
		if ir.creds.Password, err = a.Password.Resolve(); err != nil {
			r.fail(ir, StepApp, err, "")
			return false
		}
	}
	return true
}
