package okta

import (
	"context"
	"net/http"
	"net/url"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
)

// Group is an Okta group.
type Group struct {
	ID, Name string
	Type     string // OKTA_GROUP, APP_GROUP (imported, or the target of a group push), BUILT_IN
}

// FindGroup finds a group by exact name. Okta's q is a prefix match, so the exact
// comparison happens here; more than one exact match is reported as ambiguous.
func (c *Client) FindGroup(ctx context.Context, name string) (Group, []Group, error) {
	found, err := c.SearchGroups(ctx, name)
	if err != nil {
		return Group{}, nil, err
	}
	var exact, oktaGroups []Group
	for _, g := range found {
		if g.Name == name {
			exact = append(exact, g)
			if g.Type == "OKTA_GROUP" {
				oktaGroups = append(oktaGroups, g)
			}
		}
	}
	// A pushed group comes back as an APP_GROUP of the same name; the Okta group wins.
	if len(exact) > 1 && len(oktaGroups) == 1 {
		exact = oktaGroups
	}
	if len(exact) == 1 {
		return exact[0], exact, nil
	}
	return Group{}, exact, nil
}

// groupJSON is a group as Okta's API returns it.
type groupJSON struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Profile *struct {
		Name string `json:"name"`
	} `json:"profile"`
}

// SearchGroups lists the groups whose name starts with prefix (Okta's q), every page.
func (c *Client) SearchGroups(ctx context.Context, prefix string) ([]Group, error) {
	var out []Group
	l := listing{op: "search groups " + prefix, what: "groups", path: "/api/v1/groups?" + url.Values{"q": {prefix}, "limit": {"200"}}.Encode(), maxPages: maxGroupPages}
	err := readList(ctx, c, l, func(page []groupJSON) bool {
		for _, g := range page {
			if g.Profile != nil {
				out = append(out, Group{ID: g.ID, Name: g.Profile.Name, Type: g.Type})
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AppGroupIDs lists the ids of the groups assigned to an app.
func (c *Client) AppGroupIDs(ctx context.Context, appID string) ([]string, error) {
	var ids []string
	l := listing{op: "list groups of app " + appID, what: "group assignments", path: "/api/v1/apps/" + url.PathEscape(appID) + "/groups?limit=200", maxPages: maxAssignmentPages}
	err := readList(ctx, c, l, func(page []struct {
		ID string `json:"id"`
	}) bool {
		for _, a := range page {
			ids = append(ids, a.ID)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// AssignGroup assigns a group to an app.
func (c *Client) AssignGroup(ctx context.Context, appID, groupID string) error {
	_, resp, err := c.sdk.Application.CreateApplicationGroupAssignment(ctx, url.PathEscape(appID), url.PathEscape(groupID), sdk.ApplicationGroupAssignment{})
	return apiError("assign group "+groupID+" to app "+appID, resp, err)
}

// UnassignGroup removes a group assignment.
func (c *Client) UnassignGroup(ctx context.Context, appID, groupID string) error {
	resp, err := c.sdk.Application.DeleteApplicationGroupAssignment(ctx, url.PathEscape(appID), url.PathEscape(groupID))
	return apiError("remove group "+groupID+" from app "+appID, resp, err)
}

// GetGroup reads a group by id (to name an assignment the file does not declare).
func (c *Client) GetGroup(ctx context.Context, id string) (Group, error) {
	var g groupJSON
	if err := c.raw(ctx, "get group "+id, http.MethodGet, "/api/v1/groups/"+url.PathEscape(id), nil, &g); err != nil {
		return Group{}, err
	}
	name := ""
	if g.Profile != nil {
		name = g.Profile.Name
	}
	return Group{ID: g.ID, Name: name, Type: g.Type}, nil
}
