package okta

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// GroupPush is a group push mapping: an Okta group pushed to the app.
type GroupPush struct {
	ID            string
	SourceGroupID string
	TargetGroupID string
	Status        string // ACTIVE | INACTIVE | ERROR
	ErrorSummary  string
	LastPush      *time.Time
}

type groupPushJSON struct {
	ID            string     `json:"id"`
	SourceGroupID string     `json:"sourceGroupId"`
	TargetGroupID string     `json:"targetGroupId"`
	Status        string     `json:"status"`
	ErrorSummary  string     `json:"errorSummary"`
	LastPush      *time.Time `json:"lastPush"`
}

func (g groupPushJSON) push() GroupPush {
	return GroupPush{ID: g.ID, SourceGroupID: g.SourceGroupID, TargetGroupID: g.TargetGroupID, Status: g.Status, ErrorSummary: g.ErrorSummary, LastPush: g.LastPush}
}

func groupPushPath(appID string) string {
	return "/api/v1/apps/" + url.PathEscape(appID) + "/group-push/mappings"
}

// GroupPushes lists the app's group push mappings.
func (c *Client) GroupPushes(ctx context.Context, appID string) ([]GroupPush, error) {
	var out []GroupPush
	l := listing{op: "list group push mappings of app " + appID, what: "group push mappings", path: groupPushPath(appID) + "?limit=1000", maxPages: maxPushPages}
	err := readList(ctx, c, l, func(page []groupPushJSON) bool {
		for _, g := range page {
			out = append(out, g.push())
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateGroupPush pushes an Okta group to the app under targetName; Okta links it to
// an existing group of that name on the app, or creates one.
func (c *Client) CreateGroupPush(ctx context.Context, appID, sourceGroupID, targetName string) (GroupPush, error) {
	var g groupPushJSON
	body := map[string]any{"sourceGroupId": sourceGroupID, "targetGroupName": targetName, "status": "ACTIVE"}
	err := c.raw(ctx, "push group "+sourceGroupID+" to app "+appID, http.MethodPost, groupPushPath(appID), body, &g)
	return g.push(), err
}

// GetGroupPush reads one group push mapping.
func (c *Client) GetGroupPush(ctx context.Context, appID, id string) (GroupPush, error) {
	var g groupPushJSON
	err := c.raw(ctx, "read group push mapping "+id, http.MethodGet, groupPushPath(appID)+"/"+url.PathEscape(id), nil, &g)
	return g.push(), err
}

// SetGroupPushStatus activates or deactivates a group push mapping.
func (c *Client) SetGroupPushStatus(ctx context.Context, appID, id, status string) (GroupPush, error) {
	var g groupPushJSON
	err := c.raw(ctx, "set group push mapping "+id+" "+status, http.MethodPatch, groupPushPath(appID)+"/"+url.PathEscape(id), map[string]any{"status": status}, &g)
	return g.push(), err
}

// DeleteGroupPush deletes a (deactivated) group push mapping, keeping the group on the app.
func (c *Client) DeleteGroupPush(ctx context.Context, appID, id string) error {
	return c.raw(ctx, "delete group push mapping "+id, http.MethodDelete, groupPushPath(appID)+"/"+url.PathEscape(id)+"?deleteTargetGroup=false", nil, nil)
}
