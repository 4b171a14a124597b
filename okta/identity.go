package okta

import (
	"context"
	"net/http"
	"net/url"
)

// OrgMetadata is what /.well-known/okta-organization says about the org.
type OrgMetadata struct {
	ID       string
	Pipeline string // idx (Identity Engine) or v1 (Classic)
}

// Metadata reads the org's public metadata: only an Okta org answers it.
func (c *Client) Metadata(ctx context.Context) (OrgMetadata, error) {
	var out struct {
		ID       string `json:"id"`
		Pipeline string `json:"pipeline"`
	}
	err := c.raw(ctx, "read the org metadata", http.MethodGet, "/.well-known/okta-organization", nil, &out)
	return OrgMetadata{ID: out.ID, Pipeline: out.Pipeline}, err
}

// Admin is the user the API token belongs to.
type Admin struct{ ID, Login string }

// Me reads the token's user.
func (c *Client) Me(ctx context.Context) (Admin, error) {
	var out struct {
		ID      string `json:"id"`
		Profile struct {
			Login string `json:"login"`
		} `json:"profile"`
	}
	err := c.raw(ctx, "read the token's user", http.MethodGet, "/api/v1/users/me", nil, &out)
	return Admin{ID: out.ID, Login: out.Profile.Login}, err
}

// AdminRoles lists the types of the admin roles assigned to a user (SUPER_ADMIN, …).
func (c *Client) AdminRoles(ctx context.Context, userID string) ([]string, error) {
	var out []struct {
		Type string `json:"type"`
	}
	if err := c.raw(ctx, "list the admin roles of "+userID, http.MethodGet, "/api/v1/users/"+url.PathEscape(userID)+"/roles", nil, &out); err != nil {
		return nil, err
	}
	types := make([]string, len(out))
	for i, r := range out {
		types[i] = r.Type
	}
	return types, nil
}

// TryRead sends a harmless GET (e.g. "/api/v1/apps?limit=1") to learn whether the
// token may read there.
func (c *Client) TryRead(ctx context.Context, op, pathAndQuery string) error {
	var out any
	return c.raw(ctx, op, http.MethodGet, pathAndQuery, nil, &out)
}
