package doctor

import (
	"context"

	"github.com/oktascim/oktascim/okta"
)

// usersCheckName is the check of what `oktascim test --round-trip` needs beyond the
// rest: creating, changing and deleting a disposable user. Only the round trip needs
// it, so a lack of it is a warning, not a failure.
const usersCheckName = "may manage users (test --round-trip)"

const usersRoleFix = "test --round-trip creates, changes and deletes a disposable user: the token's admin needs the Super Administrator or Organization Administrator role (OAuth: scope okta.users.manage)"

// userRoles are the standard admin roles that may create and delete any user.
var userRoles = map[string]string{"SUPER_ADMIN": "Super Administrator", "ORG_ADMIN": "Organization Administrator"}

func usersRoleCheck(me okta.Admin, roles []string) Check {
	for _, r := range roles {
		if label, ok := userRoles[r]; ok {
			return Check{Name: usersCheckName, Status: Pass, Detail: me.Login + " is " + label}
		}
	}
	return Check{Name: usersCheckName, Status: Warn, Detail: me.Login + " has " + rolesText(roles) + ": 'test --round-trip' would be refused", Fix: usersRoleFix}
}

// serviceAppUsersCheck: a service app manages users with the scope okta.users.manage
// (and an admin role that allows it).
func serviceAppUsersCheck(ctx context.Context, c *okta.Client) Check {
	app, err := c.ServiceApp(ctx)
	if err != nil {
		return Check{Name: usersCheckName, Status: Skip, Detail: "no access token"}
	}
	for _, s := range app.Granted {
		if s == "okta.users.manage" {
			return Check{Name: usersCheckName, Status: Pass, Detail: "the access token has okta.users.manage (the app also needs an admin role that may manage users)"}
		}
	}
	return Check{Name: usersCheckName, Status: Warn, Detail: "the access token lacks okta.users.manage: 'test --round-trip' would be refused (exit 4)",
		Fix: "grant okta.users.manage on the service app's Okta API Scopes tab and add it to the requested scopes (OKTA_CLIENT_SCOPES or org.auth.scopes); only the round trip needs it"}
}
