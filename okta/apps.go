package okta

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// App is an app instance as the tool sees it.
type App struct {
	ID, Name, Label string
	Status          string // ACTIVE | INACTIVE
	SignOnMode      string // SAML_2_0, BROWSER_PLUGIN, …
	// AppSettings is settings.app: template-specific fields such as acsUrl.
	AppSettings map[string]any
	// SignOnSettings is settings.signOn: a custom SAML app's ssoAcsUrl, audience, …
	SignOnSettings    map[string]any
	AdminNote         string // settings.notes.admin
	HideWeb           bool
	HideMobile        bool
	AutoSubmitToolbar bool
	AppLinks          map[string]any
	// Features is the read-only list Okta derives from the Provisioning tab
	// (PUSH_NEW_USERS, GROUP_PUSH, IMPORT_NEW_USERS, …).
	Features []string
}

// HasFeature reports whether the read-only features list names f.
func (a App) HasFeature(f string) bool {
	for _, x := range a.Features {
		if x == f {
			return true
		}
	}
	return false
}

// AppSpec is what the tool means to set on an app.
type AppSpec struct {
	// Name is the catalog (OIN) app name; empty for a custom SAML app, whose name
	// Okta makes up.
	Name, Label, SignOnMode string
	AppSettings             map[string]any // settings.app, merged over what the app has
	SignOnSettings          map[string]any // settings.signOn, merged over what the app has
	// CreateSignOn are settings.signOn values sent only when the app is created,
	// under SignOnSettings: what Okta's spec requires on create and the file left out.
	CreateSignOn map[string]any
	AdminNote    string
	// Visibility: nil is not declared — Okta's default on create, as the app has it on
	// update.
	HideWeb, HideMobile *bool
	AutoSubmitToolbar   *bool
}

// appJSON is an app on the wire. The SDK's Application type has no settings.signOn,
// so apps travel as JSON through the SDK's request executor.
type appJSON struct {
	ID         string   `json:"id,omitempty"`
	Name       string   `json:"name,omitempty"`
	Label      string   `json:"label"`
	Status     string   `json:"status,omitempty"`
	SignOnMode string   `json:"signOnMode"`
	Features   []string `json:"features,omitempty"`
	Settings   struct {
		App    map[string]any `json:"app"`
		SignOn map[string]any `json:"signOn,omitempty"`
		Notes  struct {
			Admin   *string `json:"admin"`
			Enduser *string `json:"enduser"`
		} `json:"notes"`
	} `json:"settings"`
	Visibility *visibilityJSON `json:"visibility,omitempty"`
}

// visibilityJSON is the app's visibility; a nil field is left out of a request.
type visibilityJSON struct {
	AutoSubmitToolbar *bool `json:"autoSubmitToolbar,omitempty"`
	Hide              *struct {
		IOS *bool `json:"iOS,omitempty"`
		Web *bool `json:"web,omitempty"`
	} `json:"hide,omitempty"`
	AppLinks map[string]any `json:"appLinks,omitempty"`
}

func (a appJSON) app() App {
	out := App{ID: a.ID, Name: a.Name, Label: a.Label, Status: a.Status, SignOnMode: a.SignOnMode,
		Features: a.Features, AppSettings: map[string]any{}, SignOnSettings: map[string]any{}}
	if v := a.Visibility; v != nil {
		out.AutoSubmitToolbar, out.AppLinks = deref(v.AutoSubmitToolbar), v.AppLinks
		if v.Hide != nil {
			out.HideWeb, out.HideMobile = deref(v.Hide.Web), deref(v.Hide.IOS)
		}
	}
	for k, v := range a.Settings.App {
		out.AppSettings[k] = v
	}
	for k, v := range a.Settings.SignOn {
		out.SignOnSettings[k] = v
	}
	if a.Settings.Notes.Admin != nil {
		out.AdminNote = *a.Settings.Notes.Admin
	}
	return out
}

// body builds a request body from what the tool means to set — never from the object
// as read, which would send read-only fields (id, status, _links, …). Settings the
// spec does not name are kept as the app has them.
func (s AppSpec) body(current *App) appJSON {
	var b appJSON
	b.Name, b.Label, b.SignOnMode = s.Name, s.Label, s.SignOnMode
	b.Settings.App = merge(currentOr(current, func(a *App) map[string]any { return a.AppSettings }), s.AppSettings)
	signOnBase := s.CreateSignOn
	if current != nil {
		signOnBase = current.SignOnSettings
	}
	if len(s.SignOnSettings) > 0 || len(signOnBase) > 0 {
		b.Settings.SignOn = merge(signOnBase, s.SignOnSettings)
	}
	note := s.AdminNote
	b.Settings.Notes.Admin = &note
	web, ios, auto := s.HideWeb, s.HideMobile, s.AutoSubmitToolbar
	if current != nil {
		// A PUT replaces the app: what the file does not declare is sent as it is.
		web, ios, auto = orCurrent(web, current.HideWeb), orCurrent(ios, current.HideMobile), orCurrent(auto, current.AutoSubmitToolbar)
	}
	if web != nil || ios != nil || auto != nil || (current != nil && len(current.AppLinks) > 0) {
		v := &visibilityJSON{AutoSubmitToolbar: auto}
		if web != nil || ios != nil {
			v.Hide = &struct {
				IOS *bool `json:"iOS,omitempty"`
				Web *bool `json:"web,omitempty"`
			}{IOS: ios, Web: web}
		}
		if current != nil && len(current.AppLinks) > 0 {
			v.AppLinks = current.AppLinks
		}
		b.Visibility = v
	}
	return b
}

func deref(b *bool) bool { return b != nil && *b }

func orCurrent(b *bool, current bool) *bool {
	if b != nil {
		return b
	}
	return &current
}

func currentOr(a *App, f func(*App) map[string]any) map[string]any {
	if a == nil {
		return nil
	}
	return f(a)
}

func merge(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// ListAppsByName lists every app instance of one catalog app (e.g. scim2headerauth),
// following Link pages.
func (c *Client) ListAppsByName(ctx context.Context, name string) ([]App, error) {
	return c.listApps(ctx, "list apps named "+name, "/api/v1/apps?limit=200&filter="+url.QueryEscape(fmt.Sprintf("name eq %q", name)))
}

// ListApps lists every app in the org, following Link pages.
func (c *Client) ListApps(ctx context.Context) ([]App, error) {
	return c.listApps(ctx, "list apps", "/api/v1/apps?limit=200")
}

func (c *Client) listApps(ctx context.Context, op, path string) ([]App, error) {
	var out []App
	err := readList(ctx, c, listing{op: op, what: "apps", path: path, maxPages: maxAppPages}, func(page []appJSON) bool {
		for _, a := range page {
			out = append(out, a.app())
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetApp reads one app.
func (c *Client) GetApp(ctx context.Context, id string) (App, error) {
	var a appJSON
	err := c.raw(ctx, "read app "+id, http.MethodGet, "/api/v1/apps/"+url.PathEscape(id), nil, &a)
	return a.app(), err
}

// CreateApp creates an app (from a catalog app name, or a custom SAML or SWA app),
// activated.
func (c *Client) CreateApp(ctx context.Context, s AppSpec) (App, error) {
	var a appJSON
	what := s.Name
	if what == "" {
		what = s.SignOnMode
	}
	err := c.raw(ctx, fmt.Sprintf("create %s app %q", what, s.Label), http.MethodPost, "/api/v1/apps?activate=true", s.body(nil), &a)
	return a.app(), err
}

// UpdateApp replaces the app's label, sign-on mode, settings and visibility, keeping
// settings the spec does not name.
func (c *Client) UpdateApp(ctx context.Context, current App, s AppSpec) (App, error) {
	var a appJSON
	if s.Name == "" {
		s.Name = current.Name
	}
	err := c.raw(ctx, "update app "+current.ID, http.MethodPut, "/api/v1/apps/"+url.PathEscape(current.ID), s.body(&current), &a)
	return a.app(), err
}

// ActivateApp activates an app.
func (c *Client) ActivateApp(ctx context.Context, id string) error {
	resp, err := c.sdk.Application.ActivateApplication(ctx, url.PathEscape(id))
	return apiError("activate app "+id, resp, err)
}

// DeactivateApp deactivates an app.
func (c *Client) DeactivateApp(ctx context.Context, id string) error {
	resp, err := c.sdk.Application.DeactivateApplication(ctx, url.PathEscape(id))
	return apiError("deactivate app "+id, resp, err)
}

// DeleteApp deletes an (inactive) app.
func (c *Client) DeleteApp(ctx context.Context, id string) error {
	resp, err := c.sdk.Application.DeleteApplication(ctx, url.PathEscape(id))
	return apiError("delete app "+id, resp, err)
}
