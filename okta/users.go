package okta

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
	"github.com/okta/okta-sdk-golang/v2/okta/query"
)

// User is an Okta user, reduced to what the round trip needs.
type User struct {
	ID        string
	Status    string // STAGED, PROVISIONED, ACTIVE, DEPROVISIONED, …
	Login     string
	FirstName string
	LastName  string
	Email     string
	Created   time.Time
}

// AppUser is a user's assignment to an app, with Okta's view of its provisioning.
type AppUser struct {
	ID         string // the user's id
	Status     string // STAGED, PROVISIONED, ACTIVE, DEPROVISIONED, …
	SyncState  string // DISABLED, PENDING, SYNCHRONIZED, OUT_OF_SYNC, ERROR
	ExternalID string // the SCIM server's id for the user, once provisioned
	UserName   string
}

func userOf(u *sdk.User) User {
	if u == nil {
		return User{}
	}
	out := User{ID: u.Id, Status: u.Status}
	if u.Created != nil {
		out.Created = *u.Created
	}
	if u.Profile != nil {
		p := *u.Profile
		str := func(k string) string { s, _ := p[k].(string); return s }
		out.Login, out.FirstName, out.LastName, out.Email = str("login"), str("firstName"), str("lastName"), str("email")
	}
	return out
}

// CreateStagedUser creates a user without credentials and without activating it
// (activate=false): Okta sends no email, and the user is STAGED.
func (c *Client) CreateStagedUser(ctx context.Context, login, firstName, lastName string) (User, error) {
	body := sdk.CreateUserRequest{Profile: &sdk.UserProfile{"login": login, "email": login, "firstName": firstName, "lastName": lastName}}
	u, resp, err := c.sdk.User.CreateUser(ctx, body, query.NewQueryParams(query.WithActivate(false)))
	if err != nil {
		return User{}, apiError("create user "+login, resp, err)
	}
	return userOf(u), nil
}

// ActivateUserSilently activates a STAGED user with sendEmail=false: Okta sends no
// activation email (the activation link it returns is dropped). A user without a
// password becomes PROVISIONED.
func (c *Client) ActivateUserSilently(ctx context.Context, id string) error {
	_, resp, err := c.sdk.User.ActivateUser(ctx, url.PathEscape(id), query.NewQueryParams(query.WithSendEmail(false)))
	return apiError("activate user "+id, resp, err)
}

// GetUser reads a user by id.
func (c *Client) GetUser(ctx context.Context, id string) (User, error) {
	u, resp, err := c.sdk.User.GetUser(ctx, url.PathEscape(id))
	if err != nil {
		return User{}, apiError("get user "+id, resp, err)
	}
	return userOf(u), nil
}

// SetUserProfile changes the named profile attributes and leaves the others as they
// are (POST /api/v1/users/{id}: a partial update), returning the user as Okta kept it.
func (c *Client) SetUserProfile(ctx context.Context, id string, attrs map[string]string) (User, error) {
	p := sdk.UserProfile{}
	for k, v := range attrs {
		p[k] = v
	}
	u, resp, err := c.sdk.User.PartialUpdateUser(ctx, url.PathEscape(id), sdk.User{Profile: &p}, nil)
	if err != nil {
		return User{}, apiError("update user "+id, resp, err)
	}
	return userOf(u), nil
}

// DeleteUser deactivates the user if it is not deactivated yet, then deletes it, as
// Okta's DELETE does in two calls (recorded: the first DELETE deactivates, the
// second deletes). A user already gone is not an error.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	u, err := c.GetUser(ctx, id)
	switch {
	case IsNotFound(err):
		return nil
	case err != nil:
		return err
	}
	del := func(op string) error {
		resp, err := c.sdk.User.DeactivateOrDeleteUser(ctx, url.PathEscape(id), query.NewQueryParams(query.WithSendEmail(false)))
		if err := apiError(op+" user "+id, resp, err); err != nil && !IsNotFound(err) {
			return err
		}
		return nil
	}
	if u.Status != "DEPROVISIONED" {
		if err := del("deactivate"); err != nil {
			return err
		}
	}
	return del("delete")
}

// maxProbePages bounds the probe users listed (200 a page): far more than runs leave.
const maxProbePages = 50

// UsersWithLoginPrefix lists the users whose login starts with prefix (the Users
// API's search, profile.login sw "…"), every page.
func (c *Client) UsersWithLoginPrefix(ctx context.Context, prefix string) ([]User, error) {
	var out []User
	search := fmt.Sprintf("profile.login sw %q", prefix)
	l := listing{op: "search users " + prefix, what: "users", path: "/api/v1/users?" + url.Values{"search": {search}, "limit": {"200"}}.Encode(), maxPages: maxProbePages}
	err := readList(ctx, c, l, func(page []sdk.User) bool {
		for i := range page {
			out = append(out, userOf(&page[i]))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func appUserOf(a *sdk.AppUser) AppUser {
	if a == nil {
		return AppUser{}
	}
	out := AppUser{ID: a.Id, Status: a.Status, SyncState: a.SyncState, ExternalID: a.ExternalId}
	if a.Credentials != nil {
		out.UserName = a.Credentials.UserName
	}
	return out
}

// AssignUser assigns a user to an app directly (scope USER) with the app username.
func (c *Client) AssignUser(ctx context.Context, appID, userID, userName string) (AppUser, error) {
	body := sdk.AppUser{Id: userID, Scope: "USER", Credentials: &sdk.AppUserCredentials{UserName: userName}}
	a, resp, err := c.sdk.Application.AssignUserToApplication(ctx, url.PathEscape(appID), body)
	if err != nil {
		return AppUser{}, apiError("assign user "+userID+" to app "+appID, resp, err)
	}
	return appUserOf(a), nil
}

// GetAppUser reads a user's assignment to an app.
func (c *Client) GetAppUser(ctx context.Context, appID, userID string) (AppUser, error) {
	a, resp, err := c.sdk.Application.GetApplicationUser(ctx, url.PathEscape(appID), url.PathEscape(userID), nil)
	if err != nil {
		return AppUser{}, apiError("get user "+userID+" of app "+appID, resp, err)
	}
	return appUserOf(a), nil
}

// UnassignUser removes a user's direct assignment to an app; one already gone is not
// an error.
func (c *Client) UnassignUser(ctx context.Context, appID, userID string) error {
	resp, err := c.sdk.Application.DeleteApplicationUser(ctx, url.PathEscape(appID), url.PathEscape(userID), nil)
	if err := apiError("remove user "+userID+" from app "+appID, resp, err); err != nil && !IsNotFound(err) {
		return err
	}
	return nil
}

// CreateGroup creates an Okta group.
func (c *Client) CreateGroup(ctx context.Context, name, description string) (Group, error) {
	g, resp, err := c.sdk.Group.CreateGroup(ctx, sdk.Group{Profile: &sdk.GroupProfile{Name: name, Description: description}})
	if err != nil {
		return Group{}, apiError("create group "+name, resp, err)
	}
	out := Group{ID: g.Id, Type: g.Type, Name: name}
	if g.Profile != nil {
		out.Name = g.Profile.Name
	}
	return out, nil
}

// DeleteGroup deletes an Okta group; one already gone is not an error.
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	resp, err := c.sdk.Group.DeleteGroup(ctx, url.PathEscape(id))
	if err := apiError("delete group "+id, resp, err); err != nil && !IsNotFound(err) {
		return err
	}
	return nil
}

// DeleteGroupPushAndTarget deletes a (deactivated) group push mapping and the group it
// pushed, on the app and on the SCIM server (deleteTargetGroup=true).
func (c *Client) DeleteGroupPushAndTarget(ctx context.Context, appID, id string) error {
	return c.raw(ctx, "delete group push mapping "+id, "DELETE", groupPushPath(appID)+"/"+url.PathEscape(id)+"?deleteTargetGroup=true", nil, nil)
}

// DatedGroup is a group with its creation time.
type DatedGroup struct {
	Group
	Created time.Time
}

// GroupsWithNamePrefix lists the Okta groups (type OKTA_GROUP) whose name starts with
// prefix (Okta's q), with their creation times.
func (c *Client) GroupsWithNamePrefix(ctx context.Context, prefix string) ([]DatedGroup, error) {
	var out []DatedGroup
	l := listing{op: "search groups " + prefix, what: "groups", path: "/api/v1/groups?" + url.Values{"q": {prefix}, "limit": {"200"}}.Encode(), maxPages: maxProbePages}
	err := readList(ctx, c, l, func(page []struct {
		groupJSON
		Created *time.Time `json:"created"`
	}) bool {
		for _, g := range page {
			if g.Profile == nil || g.Type != "OKTA_GROUP" || !strings.HasPrefix(g.Profile.Name, prefix) {
				continue
			}
			d := DatedGroup{Group: Group{ID: g.ID, Name: g.Profile.Name, Type: g.Type}}
			if g.Created != nil {
				d.Created = *g.Created
			}
			out = append(out, d)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
