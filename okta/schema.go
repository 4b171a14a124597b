package okta

import (
	"context"
	"net/http"
	"net/url"
)

// AppSchemaProperty is one app user property.
type AppSchemaProperty struct {
	Title string `json:"title,omitempty"`
	Type  string `json:"type"`
	Scope string `json:"scope,omitempty"`
}

// AppSchema is an app's user schema: its base and custom properties.
type AppSchema struct {
	Base, Custom map[string]AppSchemaProperty
}

// Has reports whether the app user has the property.
func (s AppSchema) Has(name string) bool {
	_, base := s.Base[name]
	_, custom := s.Custom[name]
	return base || custom
}

type appSchemaJSON struct {
	Definitions struct {
		Base struct {
			Properties map[string]AppSchemaProperty `json:"properties"`
		} `json:"base"`
		Custom struct {
			Properties map[string]AppSchemaProperty `json:"properties"`
		} `json:"custom"`
	} `json:"definitions"`
}

func (s appSchemaJSON) schema() AppSchema {
	return AppSchema{Base: s.Definitions.Base.Properties, Custom: s.Definitions.Custom.Properties}
}

// GetAppSchema reads the app's user schema.
func (c *Client) GetAppSchema(ctx context.Context, appID string) (AppSchema, error) {
	var s appSchemaJSON
	err := c.raw(ctx, "read the user schema of app "+appID, http.MethodGet, "/api/v1/meta/schemas/apps/"+url.PathEscape(appID)+"/default", nil, &s)
	return s.schema(), err
}

// AddAppSchemaProperties adds custom properties to the app's user schema (a partial
// update: the others stay).
func (c *Client) AddAppSchemaProperties(ctx context.Context, appID string, props map[string]AppSchemaProperty) (AppSchema, error) {
	body := map[string]any{"definitions": map[string]any{"custom": map[string]any{
		"id": "#custom", "type": "object", "properties": props}}}
	var s appSchemaJSON
	err := c.raw(ctx, "add properties to the user schema of app "+appID, http.MethodPost, "/api/v1/meta/schemas/apps/"+url.PathEscape(appID)+"/default", body, &s)
	return s.schema(), err
}
