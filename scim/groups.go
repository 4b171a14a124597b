package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// GroupByName looks a group up on the SCIM server by displayName, as Okta does before
// it pushes one: it returns the group's id, or "" when the server has none.
func GroupByName(ctx context.Context, hc *http.Client, t Target, name string) (string, error) {
	authz, err := AuthorizationHeader(t.Credentials)
	if err != nil {
		return "", err
	}
	red := newRedactor(t.Credentials)
	filter := fmt.Sprintf("displayName eq %q", name)
	u := strings.TrimRight(t.BaseURL, "/") + "/Groups?filter=" + url.QueryEscape(filter)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", authz)
	req.Header.Set("Accept", "application/scim+json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s", red.String(err.Error()))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET /Groups?filter=%s → %d: %s", filter, resp.StatusCode, red.String(excerpt(string(body))))
	}
	var list struct {
		Resources []struct {
			ID          string `json:"id"`
			DisplayName string `json:"displayName"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return "", fmt.Errorf("GET /Groups: not a SCIM ListResponse: %v", err)
	}
	for _, g := range list.Resources {
		if g.DisplayName == name {
			return g.ID, nil
		}
	}
	return "", nil
}
