package okta

import (
	"context"
	"fmt"
	"net/url"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
	"github.com/okta/okta-sdk-golang/v2/okta/query"
)

// App is an app instance as the tool sees it.
type App struct {
	ID, Name, Label string
	Status          string // ACTIVE | INACTIVE
	SignOnMode      string // SAML_2_0, BROWSER_PLUGIN, …
	// AppSettings is settings.app: template-specific fields such as acsUrl.
	AppSettings       map[string]any
	AdminNote         string // settings.notes.admin
	HideWeb           bool
	HideMobile        bool
	AutoSubmitToolbar bool
	AppLinks          map[string]bool
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
	Name, Label, SignOnMode string
	AppSettings             map[string]any // merged over what the app has
	AdminNote               string
	HideWeb, HideMobile     bool
	AutoSubmitToolbar       bool
}

func fromSDK(a *sdk.Application) App {
	out := App{ID: a.Id, Name: a.Name, Label: a.Label, Status: a.Status, SignOnMode: a.SignOnMode,
		Features: append([]string(nil), a.Features...), AppSettings: map[string]any{}}
	if a.Settings != nil {
		if a.Settings.App != nil {
			for k, v := range *a.Settings.App {
				out.AppSettings[k] = v
			}
		}
		if a.Settings.Notes != nil && a.Settings.Notes.Admin != nil {
			out.AdminNote = *a.Settings.Notes.Admin
		}
	}
	if v := a.Visibility; v != nil {
		out.AutoSubmitToolbar = v.AutoSubmitToolbar != nil && *v.AutoSubmitToolbar
		if v.Hide != nil {
			out.HideWeb = v.Hide.Web != nil && *v.Hide.Web
			out.HideMobile = v.Hide.IOS != nil && *v.Hide.IOS
		}
		out.AppLinks = v.AppLinks
	}
	return out
}

// body builds a request body from what the tool means to set — never from the object
// as read, which would send read-only fields (id, status, _links, …).
func (s AppSpec) body(current *App) *sdk.Application {
	settingsApp := sdk.ApplicationSettingsApplication{}
	if current != nil {
		for k, v := range current.AppSettings {
			settingsApp[k] = v
		}
	}
	for k, v := range s.AppSettings {
		settingsApp[k] = v
	}
	note := s.AdminNote
	vis := &sdk.ApplicationVisibility{
		AutoSubmitToolbar: boolPtr(s.AutoSubmitToolbar),
		Hide:              &sdk.ApplicationVisibilityHide{Web: boolPtr(s.HideWeb), IOS: boolPtr(s.HideMobile)},
	}
	if current != nil && len(current.AppLinks) > 0 {
		vis.AppLinks = current.AppLinks
	}
	return &sdk.Application{
		Name:       s.Name,
		Label:      s.Label,
		SignOnMode: s.SignOnMode,
		Settings: &sdk.ApplicationSettings{
			App:   &settingsApp,
			Notes: &sdk.ApplicationSettingsNotes{Admin: &note},
		},
		Visibility: vis,
	}
}

func boolPtr(b bool) *bool { return &b }

// ListAppsByName lists every app instance of one catalog app (e.g. scim2headerauth),
// following Link pages.
func (c *Client) ListAppsByName(ctx context.Context, name string) ([]App, error) {
	return c.listApps(ctx, "list apps named "+name, query.WithFilter(fmt.Sprintf("name eq %q", name)))
}

// ListApps lists every app in the org, following Link pages.
func (c *Client) ListApps(ctx context.Context) ([]App, error) {
	return c.listApps(ctx, "list apps")
}

func (c *Client) listApps(ctx context.Context, op string, opts ...query.ParamOptions) ([]App, error) {
	qp := query.NewQueryParams(append(opts, query.WithLimit(200))...)
	apps, resp, err := c.sdk.Application.ListApplications(ctx, qp)
	if err != nil {
		return nil, apiError(op, resp, err)
	}
	var out []App
	pages := c.pager()
	for {
		for _, a := range apps {
			if app, ok := a.(*sdk.Application); ok {
				out = append(out, fromSDK(app))
			}
		}
		if more, err := pages.more(resp); err != nil || !more {
			return out, apiError(op, nil, err)
		}
		var page []sdk.Application
		if resp, err = resp.Next(ctx, &page); err != nil {
			return nil, apiError(op, resp, err)
		}
		apps = apps[:0]
		for i := range page {
			apps = append(apps, &page[i])
		}
	}
}

// GetApp reads one app.
func (c *Client) GetApp(ctx context.Context, id string) (App, error) {
	a, resp, err := c.sdk.Application.GetApplication(ctx, url.PathEscape(id), sdk.NewApplication(), nil)
	if err != nil {
		return App{}, apiError("read app "+id, resp, err)
	}
	return fromSDK(a.(*sdk.Application)), nil
}

// CreateApp creates an app from a catalog (OIN) app name, activated.
func (c *Client) CreateApp(ctx context.Context, s AppSpec) (App, error) {
	a, resp, err := c.sdk.Application.CreateApplication(ctx, s.body(nil), query.NewQueryParams(query.WithActivate(true)))
	if err != nil {
		return App{}, apiError(fmt.Sprintf("create %s app %q", s.Name, s.Label), resp, err)
	}
	return fromSDK(a.(*sdk.Application)), nil
}

// UpdateApp replaces the app's label, sign-on mode, settings and visibility, keeping
// settings.app keys the spec does not name.
func (c *Client) UpdateApp(ctx context.Context, current App, s AppSpec) (App, error) {
	a, resp, err := c.sdk.Application.UpdateApplication(ctx, url.PathEscape(current.ID), s.body(&current))
	if err != nil {
		return App{}, apiError("update app "+current.ID, resp, err)
	}
	return fromSDK(a.(*sdk.Application)), nil
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
