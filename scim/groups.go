package scim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// GroupByName looks a group up on the SCIM server by displayName, as Okta does before
// it pushes one: it returns the group's id, or "" when the server has none.
func GroupByName(ctx context.Context, hc *http.Client, t Target, name string) (string, error) {
	filter := fmt.Sprintf("displayName eq %q", name)
	var list struct {
		Resources []struct {
			ID          string `json:"id"`
			DisplayName string `json:"displayName"`
		} `json:"Resources"`
	}
	ans, err := do(ctx, hc, t, http.MethodGet, "/Groups?filter="+url.QueryEscape(filter), &list)
	if err != nil {
		return "", err
	}
	if ans.Status != http.StatusOK {
		return "", fmt.Errorf("GET /Groups?filter=%s → %d: %s", filter, ans.Status, ans.Detail)
	}
	for _, g := range list.Resources {
		if g.DisplayName == name {
			return g.ID, nil
		}
	}
	return "", nil
}
