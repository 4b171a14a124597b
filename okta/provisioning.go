package okta

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
)

// Connection is the app's default provisioning connection as the API reports it.
// Status UNKNOWN means the API does not support provisioning for this app — the
// documented case for the SCIM template apps.
type Connection struct {
	Status     string // ENABLED | DISABLED | UNKNOWN
	AuthScheme string // TOKEN | OAUTH2 | UNKNOWN
	BaseURL    string
}

// Supported reports whether the connection API manages this app at all.
func (c Connection) Supported() bool { return c.Status != "" && c.Status != "UNKNOWN" }

// connectionJSON is a ProvisioningConnectionResponse. The top-level authScheme is
// only returned for TOKEN (the spec); profile.authScheme is always there.
type connectionJSON struct {
	Status     string `json:"status"`
	AuthScheme string `json:"authScheme"`
	BaseURL    string `json:"baseUrl"`
	Profile    *struct {
		AuthScheme string `json:"authScheme"`
	} `json:"profile"`
}

func (j connectionJSON) connection() Connection {
	out := Connection{Status: j.Status, AuthScheme: j.AuthScheme, BaseURL: j.BaseURL}
	if out.AuthScheme == "" && j.Profile != nil {
		out.AuthScheme = j.Profile.AuthScheme
	}
	return out
}

// GetConnection reads the default provisioning connection.
func (c *Client) GetConnection(ctx context.Context, appID string) (Connection, error) {
	var out connectionJSON
	if err := c.raw(ctx, "read provisioning connection of app "+appID, http.MethodGet,
		"/api/v1/apps/"+url.PathEscape(appID)+"/connections/default", nil, &out); err != nil {
		return Connection{}, err
	}
	return out.connection(), nil
}

// SetTokenConnection sets the connection's base URL and token (auth scheme TOKEN) and
// asks Okta to activate it (?activate=true). It returns the POST's answer — the
// connection as Okta now holds it (status ENABLED once activated, DISABLED if not,
// UNKNOWN where the app is not supported; base URL; auth scheme) — so the caller
// verifies the write from it without a re-read. The SDK's request type has no
// baseUrl, hence the raw call.
func (c *Client) SetTokenConnection(ctx context.Context, appID, baseURL, token string) (Connection, error) {
	body := map[string]any{"baseUrl": baseURL, "profile": map[string]any{"authScheme": "TOKEN", "token": token}}
	var out connectionJSON
	err := c.raw(ctx, "set provisioning connection of app "+appID, http.MethodPost,
		"/api/v1/apps/"+url.PathEscape(appID)+"/connections/default?activate=true", body, &out)
	if err != nil {
		return Connection{}, err
	}
	return out.connection(), nil
}

// ActivateConnection activates the default provisioning connection.
func (c *Client) ActivateConnection(ctx context.Context, appID string) error {
	resp, err := c.sdk.Application.ActivateDefaultProvisioningConnectionForApplication(ctx, url.PathEscape(appID))
	return apiError("activate provisioning connection of app "+appID, resp, err)
}

// ErrProvisioningOff is returned by the features calls while the app's API
// integration (provisioning) is not enabled.
var ErrProvisioningOff = errors.New("provisioning is not enabled for the app")

// UserProvisioning is the USER_PROVISIONING feature ("To App" settings).
type UserProvisioning struct {
	Status         string // ENABLED when provisioning is on
	Create         bool   // Create Users
	UpdateProfile  bool   // Update User Attributes
	Deactivate     bool   // Deactivate Users
	SyncPassword   bool   // Sync Password
	PasswordSeed   string // OKTA | RANDOM
	PasswordChange string // CHANGE | KEEP_EXISTING
}

// Features lists the app's provisioning features; ErrProvisioningOff while off.
func (c *Client) Features(ctx context.Context, appID string) (map[string]*sdk.ApplicationFeature, error) {
	var list []*sdk.ApplicationFeature
	resp, err := c.rawResp(ctx, "list features of app "+appID, http.MethodGet, "/api/v1/apps/"+url.PathEscape(appID)+"/features", nil, listOf(&list, "features"))
	if err != nil {
		if isProvisioningOff(resp, err) {
			return nil, ErrProvisioningOff
		}
		return nil, err
	}
	out := map[string]*sdk.ApplicationFeature{}
	for _, f := range list {
		out[f.Name] = f
	}
	return out, nil
}

// UserProvisioningOf reads the USER_PROVISIONING feature from a Features result.
func UserProvisioningOf(features map[string]*sdk.ApplicationFeature) (UserProvisioning, bool) {
	f, ok := features["USER_PROVISIONING"]
	if !ok {
		return UserProvisioning{}, false
	}
	up := UserProvisioning{Status: f.Status}
	if cp := f.Capabilities; cp != nil {
		if cp.Create != nil && cp.Create.LifecycleCreate != nil {
			up.Create = cp.Create.LifecycleCreate.Status == "ENABLED"
		}
		if u := cp.Update; u != nil {
			up.UpdateProfile = u.Profile != nil && u.Profile.Status == "ENABLED"
			up.Deactivate = u.LifecycleDeactivate != nil && u.LifecycleDeactivate.Status == "ENABLED"
			if u.Password != nil {
				up.SyncPassword = u.Password.Status == "ENABLED"
				up.PasswordSeed, up.PasswordChange = u.Password.Seed, u.Password.Change
			}
		}
	}
	return up, true
}

// UpdateUserProvisioning sets the "To App" actions and returns them as Okta now holds them.
func (c *Client) UpdateUserProvisioning(ctx context.Context, appID string, want UserProvisioning) (UserProvisioning, error) {
	pw := &sdk.PasswordSettingObject{Status: enabled(want.SyncPassword)}
	if want.SyncPassword {
		// Okta requires seed and change with an enabled password sync.
		pw.Seed, pw.Change = orDefault(want.PasswordSeed, "RANDOM"), orDefault(want.PasswordChange, "KEEP_EXISTING")
	}
	body := sdk.CapabilitiesObject{
		Create: &sdk.CapabilitiesCreateObject{LifecycleCreate: &sdk.LifecycleCreateSettingObject{Status: enabled(want.Create)}},
		Update: &sdk.CapabilitiesUpdateObject{
			Profile:             &sdk.ProfileSettingObject{Status: enabled(want.UpdateProfile)},
			LifecycleDeactivate: &sdk.LifecycleDeactivateSettingObject{Status: enabled(want.Deactivate)},
			Password:            pw,
		},
	}
	f, resp, err := c.sdk.Application.UpdateFeatureForApplication(ctx, url.PathEscape(appID), "USER_PROVISIONING", body)
	if err != nil {
		if isProvisioningOff(resp, err) {
			return UserProvisioning{}, ErrProvisioningOff
		}
		return UserProvisioning{}, apiError("update provisioning actions of app "+appID, resp, err)
	}
	got, _ := UserProvisioningOf(map[string]*sdk.ApplicationFeature{"USER_PROVISIONING": f})
	return got, nil
}

func enabled(b bool) string {
	if b {
		return "ENABLED"
	}
	return "DISABLED"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func isProvisioningOff(resp *sdk.Response, err error) bool {
	if resp == nil || resp.StatusCode != http.StatusBadRequest {
		return false
	}
	var causes []string
	var se *sdk.Error
	var ae *APIError
	switch {
	case errors.As(err, &se):
		for _, c := range se.ErrorCauses {
			s, _ := c["errorSummary"].(string)
			causes = append(causes, s)
		}
	case errors.As(err, &ae):
		causes = ae.Causes
	}
	for _, s := range causes {
		if strings.Contains(strings.ToLower(s), "provisioning is not enabled") {
			return true
		}
	}
	return false
}

// raw sends a request through the SDK's request executor for what the SDK lacks.
func (c *Client) raw(ctx context.Context, op, method, path string, body, out any) error {
	_, err := c.rawResp(ctx, op, method, path, body, out)
	return err
}

// rawResp is raw that also returns the response (for its Link pages).
func (c *Client) rawResp(ctx context.Context, op, method, path string, body, out any) (*sdk.Response, error) {
	rq := c.sdk.CloneRequestExecutor()
	req, err := rq.WithAccept("application/json").WithContentType("application/json").NewRequest(method, path, body)
	if err != nil {
		return nil, apiError(op, nil, err)
	}
	// The SDK decodes into a RawMessage (cheap) and leaves the body readable; the
	// tool decodes it itself, so that an answer of the wrong shape (null for a list,
	// a number for a string) is named as such.
	resp, err := rq.Do(ctx, req, new(json.RawMessage))
	if err != nil {
		return resp, apiError(op, resp, err)
	}
	if out == nil {
		return resp, nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp, apiError(op, resp, err)
	}
	if err := decodeAnswer(c.red, req, resp.Response, b, out); err != nil {
		return resp, apiError(op, resp, err)
	}
	return resp, nil
}
