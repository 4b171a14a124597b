package oktaorg

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ProvisioningSettings are the values an admin enters on the Provisioning tab.
type ProvisioningSettings struct {
	BaseURL            string `json:"baseUrl"`
	AuthMode           string `json:"authMode"` // header | oauth | basic
	Token              string `json:"token"`
	Username           string `json:"username"`
	Password           string `json:"password"`
	UserIDField        string `json:"userIdField"`
	PushNewUsers       bool   `json:"pushNewUsers"`
	PushProfileUpdates bool   `json:"pushProfileUpdates"`
	PushGroups         bool   `json:"pushGroups"`
	ImportUsers        bool   `json:"importUsers"`
}

// EnableProvisioning does what an admin does: Enable API integration, enter the values,
// Test API Credentials, Save. The credential test really calls the SCIM server; on
// failure Okta logs it and saves nothing.
func (o *Org) EnableProvisioning(ctx context.Context, appID string, s ProvisioningSettings) error {
	o.mu.Lock()
	app := o.findApp(appID)
	var tpl template
	var style string
	if app != nil {
		tpl, style = catalog[fmt.Sprint(app["name"])], o.tokenStyle(app)
	}
	o.mu.Unlock()
	if app == nil {
		return fmt.Errorf("no app %s", appID)
	}
	if !tpl.Provisions {
		return fmt.Errorf("app %s does not support SCIM provisioning", appID)
	}
	// The template decides how the token is sent where its auth is fixed (scim1-auth).
	mode := s.AuthMode
	if style != "" && mode != "basic" {
		mode = style
	}
	authz := authHeader(mode, s.Token, s.Username, s.Password)
	if reason := o.testCredentials(ctx, s.BaseURL, authz); reason != "" {
		o.mu.Lock()
		o.logLocked("application.configuration.update", "FAILURE", reason, app)
		o.mu.Unlock()
		return errors.New(reason)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.provLocked(appID)
	wasOn := p.Enabled
	p.ProvisioningState = ProvisioningState{Enabled: true, BaseURL: s.BaseURL, AuthMode: s.AuthMode, UserIDField: s.UserIDField,
		PushNewUsers: s.PushNewUsers, PushProfileUpdates: s.PushProfileUpdates, PushGroups: s.PushGroups, ImportUsers: s.ImportUsers}
	if !wasOn {
		// The variant is what enabling does; a later Save keeps what the admin entered.
		o.setActionsLocked(p, o.variant(VariantActionsAfterEnable))
	}
	p.connStatus = "ENABLED"
	o.cx().authz[appID] = authz // for group push (grouppush.go)
	o.provisioningOnLocked(app)
	o.logLocked("application.configuration.update", "SUCCESS", "", app)
	return nil
}

// setActionsLocked sets the actions an app has once provisioning went on, per the
// actions-after-enable or actions-after-connection variant's value: `entered` leaves
// what the admin entered (already in p); `push` turns on Push New Users and Push
// Profile Updates only; o.mu must be held.
func (o *Org) setActionsLocked(p *provisioning, value string) {
	var toApp, groupsAndImport bool
	switch value {
	case "entered":
		return
	case "push":
		p.PushNewUsers, p.PushProfileUpdates = true, true
		return
	case "all-on":
		toApp, groupsAndImport = true, true
	case "to-app":
		toApp = true
	}
	p.PushNewUsers, p.PushProfileUpdates = toApp, toApp
	p.PushGroups, p.ImportUsers = groupsAndImport, groupsAndImport
	status := map[bool]string{true: "ENABLED", false: "DISABLED"}[toApp]
	up := p.features["USER_PROVISIONING"]
	merge(up, map[string]any{"create": map[string]any{"lifecycleCreate": map[string]any{"status": status}},
		"update": map[string]any{"profile": map[string]any{"status": status}, "lifecycleDeactivate": map[string]any{"status": status},
			"password": map[string]any{"status": "DISABLED"}}})
}

// tokenStyle is how the app's template sends a token ("" when the admin's choice
// stands): scim1testapp's per the scim1-auth variant; o.mu must be held.
func (o *Org) tokenStyle(app map[string]any) string {
	if fmt.Sprint(app["name"]) == "scim1testapp" {
		return o.variant(VariantSCIM1Auth)
	}
	return ""
}

// provisioningOnLocked gives an app what it gets once provisioning is on, under the
// variants that delay it (mappings-at, schema-base-at); o.mu must be held.
func (o *Org) provisioningOnLocked(app map[string]any) {
	if o.cx().apps[fmt.Sprint(app["id"])] == nil && o.variant(VariantSchemaBaseAt) == "provisioning" {
		addSCIMBase(o.schemaLocked(app).base) // a template app
	}
	o.profileLocked(app)
}

// DisableProvisioning turns the API integration off.
func (o *Org) DisableProvisioning(appID string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.prov[appID]
	if !ok {
		return fmt.Errorf("no provisioning on app %s", appID)
	}
	p.Enabled = false
	p.connStatus = "DISABLED"
	return nil
}

// Provisioning reports an app's Provisioning tab.
func (o *Org) Provisioning(appID string) (ProvisioningState, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.prov[appID]
	if !ok {
		return ProvisioningState{}, o.findApp(appID) != nil
	}
	return p.ProvisioningState, true
}

func (o *Org) provLocked(appID string) *provisioning {
	p, ok := o.prov[appID]
	if !ok {
		p = &provisioning{connStatus: "DISABLED", features: defaultFeatures()}
		o.prov[appID] = p
	}
	return p
}

func authHeader(mode, token, user, password string) string {
	switch mode {
	case "basic":
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	case "oauth", "bearer":
		return "Bearer " + token
	}
	return token // header auth: the API token verbatim
}

// testCredentials sends what "Test API Credentials" sends and returns "" or Okta-like
// failure text.
func (o *Org) testCredentials(ctx context.Context, baseURL, authorization string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/Users?count=2&startIndex=1", nil)
	if err != nil {
		return "Error: invalid base URL"
	}
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("Authorization", authorization)
	req.Header.Set("User-Agent", "Okta SCIM Client 1.0.0")
	resp, err := o.opts.SCIMClient.Do(req)
	if err != nil {
		return "Could not connect to the SCIM server: " + strings.ReplaceAll(err.Error(), authorization, "")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "Error authenticating: HTTP 401 Unauthorized"
	case resp.StatusCode == http.StatusForbidden:
		return "Error authenticating: HTTP 403 Forbidden"
	case resp.StatusCode != http.StatusOK:
		return fmt.Sprintf("Error: HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/scim+json" && mt != "application/json" && o.variant(VariantCredentialTestType) == "scim-or-json" {
		return "Error: the response is not JSON (" + mt + ")"
	}
	var list struct {
		TotalResults *int              `json:"totalResults"`
		Resources    []json.RawMessage `json:"Resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil || list.TotalResults == nil {
		return "Error: the response is not a SCIM ListResponse"
	}
	return ""
}

// --- the Provisioning Connection API ---------------------------------------------

func (o *Org) connectionSupported(app map[string]any) bool {
	tpl := catalog[fmt.Sprint(app["name"])]
	return o.opts.AcceptConnectionAPI && (tpl.TokenStyle != "" || o.aiwApp(app)) // custom apps: apps_custom.go
}

func (o *Org) connectionView(host string, app map[string]any) map[string]any {
	id := app["id"].(string)
	base := "http://" + host + "/api/v1/apps/" + id + "/connections/default"
	links := map[string]any{"self": map[string]any{"href": base, "hints": map[string]any{"allow": []any{"POST", "GET"}}}}
	if !o.connectionSupported(app) {
		return map[string]any{"authScheme": "UNKNOWN", "status": "UNKNOWN", "_links": links}
	}
	p := o.provLocked(id)
	next := "activate"
	if p.connStatus == "ENABLED" {
		next = "deactivate"
	}
	links[next] = map[string]any{"href": base + "/lifecycle/" + next, "hints": map[string]any{"allow": []any{"POST"}}}
	out := map[string]any{"authScheme": "TOKEN", "status": p.connStatus, "profile": map[string]any{"authScheme": "TOKEN"}, "_links": links}
	if p.BaseURL != "" {
		out["baseUrl"] = p.BaseURL
	}
	return out
}

func (o *Org) routeConnection(w http.ResponseWriter, r *http.Request, app map[string]any, rest []string, body []byte) {
	if len(rest) == 0 || rest[0] != "default" {
		notFound(w, r.URL.Path)
		return
	}
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		o.mu.Lock()
		out := o.connectionView(r.Host, app)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 1 && r.Method == http.MethodPost:
		o.setConnection(w, r, app, body)
	case len(rest) == 3 && rest[1] == "lifecycle" && r.Method == http.MethodPost && rest[2] == "activate":
		if o.activateConnection(w, r, app) {
			w.WriteHeader(http.StatusNoContent)
		}
	case len(rest) == 3 && rest[1] == "lifecycle" && r.Method == http.MethodPost && rest[2] == "deactivate":
		o.mu.Lock()
		supported := o.connectionSupported(app)
		if supported {
			p := o.provLocked(app["id"].(string))
			p.connStatus = "DISABLED"
			if o.variant(VariantConnectionDeactivate) == "provisioning-off" {
				p.Enabled = false
			}
		}
		o.mu.Unlock()
		if !supported && o.variant(VariantConnectionLifecycle) == "refused" {
			validation(w, "connection", "Provisioning isn't supported by the app")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w)
	}
}

func (o *Org) setConnection(w http.ResponseWriter, r *http.Request, app map[string]any, body []byte) {
	var in struct {
		BaseURL string `json:"baseUrl"`
		Profile *struct {
			AuthScheme string `json:"authScheme"`
			Token      string `json:"token"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	o.mu.Lock()
	supported := o.connectionSupported(app)
	o.mu.Unlock()
	if !supported {
		// Okta answers 200 UNKNOWN and changes nothing for apps it does not provision.
		o.mu.Lock()
		out := o.connectionView(r.Host, app)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
		return
	}
	if in.Profile == nil || in.Profile.AuthScheme != "TOKEN" {
		validation(w, "profile", "profile.authScheme: must be TOKEN or OAUTH2 for this app")
		return
	}
	if in.Profile.Token == "" {
		validation(w, "profile", "profile.token: The field cannot be left blank")
		return
	}
	o.mu.Lock()
	p := o.provLocked(app["id"].(string))
	base := in.BaseURL
	if base == "" && o.variant(VariantConnectionBaseURL) == "keeps" {
		base = p.BaseURL
	}
	p.viaAPI, p.token, p.BaseURL, p.connStatus, p.Enabled = true, in.Profile.Token, base, "DISABLED", false
	if p.UserIDField == "" {
		p.UserIDField = "userName"
	}
	o.mu.Unlock()
	if r.URL.Query().Get("activate") == "true" && !o.activateConnection(w, r, app) {
		return
	}
	o.mu.Lock()
	out := o.connectionView(r.Host, app)
	if o.variant(VariantWriteAnswers) != "full" {
		// What the spec requires of the answer, and the links.
		out = map[string]any{"status": out["status"], "profile": out["profile"], "_links": out["_links"]}
	}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// activateConnection tests the stored credentials like the console does; it writes
// the error answer and returns false on failure.
func (o *Org) activateConnection(w http.ResponseWriter, r *http.Request, app map[string]any) bool {
	o.mu.Lock()
	if !o.connectionSupported(app) {
		o.mu.Unlock()
		if o.variant(VariantConnectionLifecycle) == "no-op" {
			return true
		}
		validation(w, "connection", "Provisioning isn't supported by the app")
		return false
	}
	p := o.provLocked(app["id"].(string))
	base, token := p.BaseURL, p.token
	style := catalog[fmt.Sprint(app["name"])].TokenStyle
	if s := o.tokenStyle(app); s != "" {
		style = s
	}
	if style == "" {
		style = "bearer" // a custom app's TOKEN connection
	}
	o.mu.Unlock()
	if reason := o.testCredentials(r.Context(), base, authHeader(style, token, "", "")); reason != "" {
		o.mu.Lock()
		o.logLocked("application.configuration.update", "FAILURE", reason, app)
		o.mu.Unlock()
		validation(w, "connection", reason)
		return false
	}
	o.mu.Lock()
	p.connStatus, p.Enabled = "ENABLED", true
	p.AuthMode = map[string]string{"bearer": "oauth", "header": "header"}[style]
	o.setActionsLocked(p, o.variant(VariantActionsAfterConnection))
	o.cx().authz[app["id"].(string)] = authHeader(style, token, "", "")
	if c := o.cx().apps[app["id"].(string)]; c != nil && !c.scim {
		c.scim = true
		o.scimProfileLocked(app)
	} else {
		o.provisioningOnLocked(app)
	}
	o.logLocked("application.configuration.update", "SUCCESS", "", app)
	o.mu.Unlock()
	return true
}
