package okta

import (
	"context"
	"net/http"
	"net/url"
)

// Mapping is a profile mapping between an Okta user type and an app.
type Mapping struct {
	ID                   string
	SourceID, SourceType string // SourceType: user or appuser
	TargetID, TargetType string
	Properties           map[string]MappingProperty
}

// MappingProperty maps one target property.
type MappingProperty struct {
	Expression string `json:"expression"`
	PushStatus string `json:"pushStatus"` // PUSH | DONT_PUSH
}

type mappingJSON struct {
	ID     string `json:"id"`
	Source struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"source"`
	Target struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"target"`
	Properties map[string]MappingProperty `json:"properties"`
}

func (m mappingJSON) mapping() Mapping {
	return Mapping{ID: m.ID, SourceID: m.Source.ID, SourceType: m.Source.Type, TargetID: m.Target.ID, TargetType: m.Target.Type, Properties: m.Properties}
}

// AppMappings returns an app's two profile mappings: Okta user → app user (toApp)
// and app user → Okta user (toOkta). Either may be missing (ok false).
func (c *Client) AppMappings(ctx context.Context, appID string) (toApp, toOkta Mapping, err error) {
	var list []mappingJSON
	if err = c.raw(ctx, "list profile mappings to app "+appID, http.MethodGet, "/api/v1/mappings?targetId="+url.QueryEscape(appID), nil, &list); err != nil {
		return
	}
	for _, m := range list {
		if m.Target.ID == appID {
			toApp = m.mapping()
		}
	}
	list = nil
	if err = c.raw(ctx, "list profile mappings from app "+appID, http.MethodGet, "/api/v1/mappings?sourceId="+url.QueryEscape(appID), nil, &list); err != nil {
		return
	}
	for _, m := range list {
		if m.Source.ID == appID {
			toOkta = m.mapping()
		}
	}
	// The list may abbreviate properties: read each mapping whole.
	for _, m := range []*Mapping{&toApp, &toOkta} {
		if m.ID == "" {
			continue
		}
		if *m, err = c.GetMapping(ctx, m.ID); err != nil {
			return
		}
	}
	return
}

// GetMapping reads one profile mapping with all its properties.
func (c *Client) GetMapping(ctx context.Context, id string) (Mapping, error) {
	var m mappingJSON
	err := c.raw(ctx, "read profile mapping "+id, http.MethodGet, "/api/v1/mappings/"+url.PathEscape(id), nil, &m)
	return m.mapping(), err
}

// UpdateMapping sets the named properties; the others stay as they are.
func (c *Client) UpdateMapping(ctx context.Context, id string, props map[string]MappingProperty) (Mapping, error) {
	var m mappingJSON
	err := c.raw(ctx, "update profile mapping "+id, http.MethodPost, "/api/v1/mappings/"+url.PathEscape(id), map[string]any{"properties": props}, &m)
	return m.mapping(), err
}
