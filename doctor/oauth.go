package doctor

import (
	"context"
	"strings"

	"github.com/oktascim/oktascim/okta"
)

// serviceAppCheck is the token check of a client in PrivateKey mode (an OAuth 2.0
// service app): getting an access token is what proves the client id and key. The
// second check is whether the token may create and change apps, which the scope
// okta.apps.manage decides (and the app's admin roles, which reading would take
// okta.roles.read, a scope the tool does not otherwise need).
func serviceAppCheck(ctx context.Context, c *okta.Client, tokenName, appsName string) (token, apps Check) {
	app, err := c.ServiceApp(ctx)
	if err != nil {
		return Check{Name: tokenName, Status: Fail, Detail: "PrivateKey: " + err.Error(), Err: err,
				Fix: "on the API Services app (Applications > Applications): Client authentication Public key / Private key with the key's public half (and its key id if there are several), DPoP off, the scopes granted on the Okta API Scopes tab; then set the client id, private key and scopes (OKTA_CLIENT_CLIENTID, OKTA_CLIENT_PRIVATEKEY, OKTA_CLIENT_SCOPES, org.auth in the file, or a profile)"},
			Check{Name: appsName, Status: Skip, Detail: "no access token"}
	}
	detail := "PrivateKey: service app " + app.ClientID + " got an access token with " + strings.Join(app.Granted, " ")
	if lack := app.NotGranted(); len(lack) > 0 {
		detail += " (not granted: " + strings.Join(lack, " ") + ")"
	}
	token = Check{Name: tokenName, Status: Pass, Detail: detail}
	for _, s := range app.Granted {
		if s == "okta.apps.manage" {
			return token, Check{Name: appsName, Status: Pass, Detail: "the access token has okta.apps.manage (the app also needs an admin role that may manage apps, such as Application Administrator, on its Admin roles tab)"}
		}
	}
	return token, Check{Name: appsName, Status: Fail, Detail: "the access token lacks okta.apps.manage",
		Fix: "grant okta.apps.manage on the service app's Okta API Scopes tab, and request it (scopes)"}
}
