package okta

import (
	"context"
	"net/url"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
	"github.com/okta/okta-sdk-golang/v2/okta/query"
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

// SearchGroups lists the groups whose name starts with prefix (Okta's q), every page.
func (c *Client) SearchGroups(ctx context.Context, prefix string) ([]Group, error) {
	groups, resp, err := c.sdk.Group.ListGroups(ctx, query.NewQueryParams(query.WithQ(prefix), query.WithLimit(200)))
	if err != nil {
		return nil, apiError("search groups "+prefix, resp, err)
	}
	var out []Group
	pages := c.pager()
	for {
		for _, g := range groups {
			if g.Profile != nil {
				out = append(out, Group{ID: g.Id, Name: g.Profile.Name, Type: g.Type})
			}
		}
		if more, err := pages.more(resp); err != nil || !more {
			return out, apiError("search groups "+prefix, nil, err)
		}
		groups = nil
		if resp, err = resp.Next(ctx, &groups); err != nil {
			return nil, apiError("search groups "+prefix, resp, err)
		}
	}
}

// AppGroupIDs lists the ids of the groups assigned to an app.
func (c *Client) AppGroupIDs(ctx context.Context, appID string) ([]string, error) {
	list, resp, err := c.sdk.Application.ListApplicationGroupAssignments(ctx, url.PathEscape(appID), query.NewQueryParams(query.WithLimit(200)))
	if err != nil {
		return nil, apiError("list groups of app "+appID, resp, err)
	}
	var ids []string
	pages := c.pager()
	for {
		for _, a := range list {
			ids = append(ids, a.Id)
		}
		if more, err := pages.more(resp); err != nil || !more {
			return ids, apiError("list groups of app "+appID, nil, err)
		}
		list = nil
		if resp, err = resp.Next(ctx, &list); err != nil {
			return nil, apiError("list groups of app "+appID, resp, err)
		}
	}
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
	g, resp, err := c.sdk.Group.GetGroup(ctx, url.PathEscape(id))
	if err != nil {
		return Group{}, apiError("get group "+id, resp, err)
	}
	name := ""
	if g.Profile != nil {
		name = g.Profile.Name
	}
	return Group{ID: g.Id, Name: name}, nil
}
