package oktaorg

// The Admin Console stand-in: server-rendered pages a person uses in a browser, at the
// paths the real console uses (the deep links oktascim prints resolve here, because a
// loopback org's console is the org's own address):
//   - /admin/apps/active: the org's apps and their provisioning state;
//   - /admin/app/{appName}/instance/{appId}/: one app, with its General and Provisioning
//     tabs (#tab-general, #tab-provisioning; plain CSS :target, no JavaScript).
// The forms call what the scripted admin stand-in calls (EnableProvisioning, EnableSCIM,
// the credential test), so a person and a test do the same thing. No login: the
// simulator listens on loopback only; a form token and a loopback Host check keep other
// web pages in the same browser from posting here.

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// VariantConsoleTestLog: whether a failed Test API Credentials in the console logs
// application.configuration.update FAILURE, as a failed Save does (variants.go).
const VariantConsoleTestLog = "console-test-log"

func init() {
	variantList = append(variantList, Variant{Name: VariantConsoleTestLog,
		Doc: "Whether the Admin Console's Test API Credentials (a custom app's Test Connector Configuration) leaves a trace " +
			"when the test fails: `none` only a Save logs (application.configuration.update FAILURE or SUCCESS); `failure` a " +
			"failed test logs application.configuration.update FAILURE with its reason, as a failed Save does.",
		Values: []string{"none", "failure"},
		Known: "Okta's help describes the button's inline result only; which console actions write the " +
			"application.configuration.update event is not documented, and no console traffic is recorded.",
		Source: "help.okta.com SCIM test-app and App Integration Wizard guides; not recorded"})
}

//go:embed console.html
var consoleHTML string

var consolePages = htmltemplate.Must(htmltemplate.New("console").Parse(consoleHTML))

// Console serves the Admin Console stand-in for one org.
type Console struct {
	org  *Org
	csrf string

	mu    sync.Mutex
	flash map[string]flash // app id → the notice the next page view shows once
}

// NewConsole makes the console of o.
func NewConsole(o *Org) *Console {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return &Console{org: o, csrf: hex.EncodeToString(b), flash: map[string]flash{}}
}

// WithConsole serves the console at / and /admin/… and the org everywhere else.
func (o *Org) WithConsole() http.Handler {
	c := NewConsole(o)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsConsolePath(r.URL.Path) {
			c.ServeHTTP(w, r)
			return
		}
		o.ServeHTTP(w, r)
	})
}

// IsConsolePath says whether a path is the console's rather than the API's.
func IsConsolePath(p string) bool {
	return p == "/" || p == "/admin" || strings.HasPrefix(p, "/admin/")
}

func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		// A name that only resolves to 127.0.0.1 (DNS rebinding) is not this console's.
		http.Error(w, "the simulator's console answers on a loopback address only", http.StatusMisdirectedRequest)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/" || r.URL.Path == "/admin" || r.URL.Path == "/admin/":
		http.Redirect(w, r, "/admin/apps/active", http.StatusFound)
	case len(seg) == 3 && seg[1] == "apps" && seg[2] == "active" && r.Method == http.MethodGet:
		c.render(w, http.StatusOK, "apps", c.appsPage())
	case len(seg) >= 5 && len(seg) <= 6 && seg[1] == "app" && seg[3] == "instance":
		c.serveApp(w, r, seg[2], seg[4], seg[5:])
	default:
		c.render(w, http.StatusNotFound, "notfound", map[string]any{"Path": r.URL.Path})
	}
}

func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// consoleApp is one app as the console shows it.
type consoleApp struct {
	ID, Name, Label, Status, SignOnMode, Template string
	Custom                                        bool // an App Integration Wizard app
	SCIMOn                                        bool // custom: General tab Provisioning = SCIM
	Provisions                                    bool // has a Provisioning tab with a SCIM connection
	Provisioning                                  ProvisioningState
	ImportGroups                                  bool
	Link                                          string
}

// State is the list page's provisioning column.
func (a consoleApp) State() string {
	switch {
	case a.Custom && !a.SCIMOn:
		return "off (General: Provisioning None)"
	case a.Provisioning.Enabled:
		return "on: " + a.Provisioning.BaseURL
	case a.Provisions:
		return "off"
	}
	return "not supported"
}

func (c *Console) appsPage() map[string]any {
	o := c.org
	o.mu.Lock()
	defer o.mu.Unlock()
	apps := make([]consoleApp, 0, len(o.apps))
	for _, a := range o.apps {
		apps = append(apps, o.consoleAppLocked(a))
	}
	return map[string]any{"Apps": apps}
}

// consoleAppLocked describes app; o.mu must be held.
func (o *Org) consoleAppLocked(app map[string]any) consoleApp {
	id, name := fmt.Sprint(app["id"]), fmt.Sprint(app["name"])
	a := consoleApp{ID: id, Name: name, Label: fmt.Sprint(app["label"]), Status: fmt.Sprint(app["status"]),
		SignOnMode: fmt.Sprint(app["signOnMode"]), Template: catalog[name].DisplayName,
		Link: "/admin/app/" + url.PathEscape(name) + "/instance/" + url.PathEscape(id) + "/"}
	if p, ok := o.prov[id]; ok {
		a.Provisioning = p.ProvisioningState
	}
	if ca := o.cx().apps[id]; ca != nil && ca.kind != "swa" {
		a.Custom, a.SCIMOn, a.Provisions, a.ImportGroups = true, ca.scim, ca.scim, ca.importGroups
		a.Template = "App Integration Wizard (" + a.SignOnMode + ")"
	} else {
		a.Provisions = catalog[name].Provisions
	}
	return a
}

// provisioningForm is the Provisioning tab's form, as entered.
type provisioningForm struct {
	Enable                                                    bool
	BaseURL, UserIDField, AuthMode                            string
	Token, Username, Password                                 string
	TokenEndpoint, AuthorizeEndpoint, ClientID, ClientSecret  string
	PushNewUsers, PushProfileUpdates, PushGroups, ImportUsers bool
	ImportGroups                                              bool
}

// authOption is one authentication mode the form offers.
type authOption struct{ Value, Label string }

// authOptions are the modes an app's form offers: a 2.0 template app's mode is its
// template's; which the SCIM 1.1 Test App offers is unconfirmed, so it offers every one
// the tool can declare; an App Integration Wizard app offers the wizard's three.
func authOptions(a consoleApp) []authOption {
	if a.Custom {
		return []authOption{{"basic", "Basic Auth"}, {"header", "HTTP Header"}, {"oauth2", "OAuth 2"}}
	}
	header, oauth, basic := authOption{"header", "API Token (HTTP Header)"}, authOption{"oauth", "OAuth Bearer Token"}, authOption{"basic", "Basic Auth"}
	if a.Name == "scim1testapp" {
		return []authOption{header, basic, oauth}
	}
	switch catalog[a.Name].TokenStyle {
	case "header":
		return []authOption{header}
	case "bearer":
		return []authOption{oauth}
	}
	return []authOption{basic}
}

type appPage struct {
	CSRF          string
	App           consoleApp
	AuthOptions   []authOption
	Form          provisioningForm
	DefaultTab    string // the tab shown when the URL names none
	Notice, Error string
	From          string // what the notice or error answers: "test", "save" or "general"
}

// flash is a notice kept for the page a redirect leads to.
type flash struct{ notice, from string }

// Offers says whether the form offers an authentication mode.
func (p appPage) Offers(mode string) bool { return hasOption(p.AuthOptions, mode) }

// TokenLabel names the one token field of the modes that take a token ("" for none).
func (p appPage) TokenLabel() string {
	header, oauth := p.Offers("header"), p.Offers("oauth")
	switch {
	case p.App.Custom:
		return "Authorization (Bearer token)"
	case header && oauth:
		return "API Token (HTTP Header: sent verbatim as the Authorization header; OAuth: the bearer token)"
	case header:
		return "API Token (sent verbatim as the Authorization header)"
	case oauth:
		return "OAuth Bearer Token"
	}
	return ""
}

func (c *Console) serveApp(w http.ResponseWriter, r *http.Request, appName, appID string, rest []string) {
	o := c.org
	o.mu.Lock()
	app := o.findApp(appID)
	var a consoleApp
	if app != nil {
		a = o.consoleAppLocked(app)
	}
	o.mu.Unlock()
	if app == nil || a.Name != appName {
		c.render(w, http.StatusNotFound, "notfound", map[string]any{"Path": r.URL.Path})
		return
	}
	page := appPage{CSRF: c.csrf, App: a, AuthOptions: authOptions(a), Form: formFromState(a), DefaultTab: "general"}
	action := ""
	if len(rest) == 1 {
		action = rest[0]
	}
	switch {
	case r.Method == http.MethodGet && action == "":
		c.mu.Lock()
		page.Notice, page.From = c.flash[appID].notice, c.flash[appID].from
		delete(c.flash, appID)
		c.mu.Unlock()
		c.render(w, http.StatusOK, "app", page)
	case r.Method == http.MethodPost && (action == "general" || action == "provisioning"):
		if err := r.ParseForm(); err != nil || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(c.csrf)) != 1 {
			http.Error(w, "this form is stale or came from another page: open the app's page again", http.StatusForbidden)
			return
		}
		if action == "general" {
			c.saveGeneral(w, r, page)
			return
		}
		c.postProvisioning(w, r, page)
	default:
		w.Header().Set("Allow", "GET, POST")
		c.render(w, http.StatusMethodNotAllowed, "notfound", map[string]any{"Path": r.URL.Path})
	}
}

func formFromState(a consoleApp) provisioningForm {
	p := a.Provisioning
	f := provisioningForm{Enable: p.Enabled, BaseURL: p.BaseURL, UserIDField: p.UserIDField, AuthMode: p.AuthMode,
		PushNewUsers: p.PushNewUsers, PushProfileUpdates: p.PushProfileUpdates, PushGroups: p.PushGroups,
		ImportUsers: p.ImportUsers, ImportGroups: a.ImportGroups}
	if f.UserIDField == "" {
		f.UserIDField = "userName"
	}
	if opts := authOptions(a); f.AuthMode == "" || !hasOption(opts, f.AuthMode) {
		f.AuthMode = opts[0].Value
	}
	return f
}

func hasOption(opts []authOption, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// saveGeneral is the General tab's App Settings → Provisioning → Save of a custom app.
func (c *Console) saveGeneral(w http.ResponseWriter, r *http.Request, page appPage) {
	a := page.App
	page.From = "general"
	switch want := r.PostForm.Get("provisioning"); {
	case !a.Custom:
		page.Error = "this app's General tab has no Provisioning setting: " + a.Template + " is provisioned from its Provisioning tab"
	case want == "scim":
		o := c.org
		o.mu.Lock()
		if app, ca := o.findApp(a.ID), o.cx().apps[a.ID]; app != nil && ca != nil {
			o.scimOnLocked(app, ca)
		}
		o.mu.Unlock()
		c.redirect(w, r, a, "general", "Provisioning: SCIM saved. The Provisioning tab now has the SCIM connection.")
		return
	case a.SCIMOn:
		page.Error = "the simulator's console does not switch SCIM provisioning off"
	default:
		c.redirect(w, r, a, "general", "Saved: Provisioning None (unchanged).")
		return
	}
	c.render(w, http.StatusUnprocessableEntity, "app", page)
}

// postProvisioning is the Provisioning tab's Test (API Credentials / Connector
// Configuration) or Save. A test shows its result on the same form, values kept;
// a successful Save redirects to the tab, so reloading does not post again.
func (c *Console) postProvisioning(w http.ResponseWriter, r *http.Request, page appPage) {
	a, f := page.App, formFromPost(r.PostForm)
	page.Form, page.DefaultTab, page.From = f, "provisioning", r.PostForm.Get("action")
	c.org.keepSavedCredentials(a, &f) // the page shows them blank; Okta keeps them
	if a.Custom && !a.SCIMOn {
		page.Error = "set Provisioning to SCIM on the General tab first"
		c.render(w, http.StatusUnprocessableEntity, "app", page)
		return
	}
	if !a.Provisions {
		page.Error = a.Template + " does not support SCIM provisioning"
		c.render(w, http.StatusUnprocessableEntity, "app", page)
		return
	}
	if !hasOption(page.AuthOptions, f.AuthMode) {
		page.Error = fmt.Sprintf("authentication mode %q is not one this app offers", f.AuthMode)
		c.render(w, http.StatusUnprocessableEntity, "app", page)
		return
	}
	if !validURL(f.BaseURL) {
		page.Error = "the base URL must be an http(s) URL, e.g. https://scim.example.com/scim/v2"
		c.render(w, http.StatusUnprocessableEntity, "app", page)
		return
	}
	o, ctx := c.org, r.Context()
	switch r.PostForm.Get("action") {
	case "test":
		var reason string
		if a.Custom {
			authz, err := o.scimAuthorization(ctx, a.Name, scimSettings(f))
			if err != nil {
				reason = err.Error()
			} else {
				reason = o.testCredentials(ctx, f.BaseURL, authz)
			}
		} else {
			reason = o.testCredentials(ctx, f.BaseURL, authHeader(f.AuthMode, f.Token, f.Username, f.Password))
		}
		if reason != "" {
			if o.variant(VariantConsoleTestLog) == "failure" {
				o.mu.Lock()
				if app := o.findApp(a.ID); app != nil {
					o.logLocked("application.configuration.update", "FAILURE", reason, app)
				}
				o.mu.Unlock()
			}
			page.Error = reason
			c.render(w, http.StatusUnprocessableEntity, "app", page)
			return
		}
		page.Notice = a.Label + " was verified successfully!"
		c.render(w, http.StatusOK, "app", page)
	case "save":
		var err error
		notice := "Saved: provisioning is on."
		switch {
		case a.Custom:
			err = o.EnableSCIM(ctx, a.ID, scimSettings(f))
		case !f.Enable && a.Provisioning.Enabled:
			err, notice = o.DisableProvisioning(a.ID), "Saved: the API integration is off."
		case !f.Enable:
			err = fmt.Errorf("check Enable API integration to save the connection")
		default:
			err = o.EnableProvisioning(ctx, a.ID, ProvisioningSettings{BaseURL: f.BaseURL, AuthMode: f.AuthMode, Token: f.Token,
				Username: f.Username, Password: f.Password, UserIDField: f.UserIDField, PushNewUsers: f.PushNewUsers,
				PushProfileUpdates: f.PushProfileUpdates, PushGroups: f.PushGroups, ImportUsers: f.ImportUsers})
		}
		if err != nil {
			page.Error = err.Error()
			c.render(w, http.StatusUnprocessableEntity, "app", page)
			return
		}
		c.redirect(w, r, a, "provisioning", notice)
	default:
		page.Error = "press Test or Save"
		c.render(w, http.StatusBadRequest, "app", page)
	}
}

// keepSavedCredentials fills the credential fields a person left blank with the saved
// connection's, as Okta keeps the saved token when an admin edits only the actions. The
// saved Authorization header gives them back, except an OAuth 2 client's secret.
func (o *Org) keepSavedCredentials(a consoleApp, f *provisioningForm) {
	if !a.Provisioning.Enabled || f.AuthMode != a.Provisioning.AuthMode {
		return
	}
	o.mu.Lock()
	authz := o.cx().authz[a.ID]
	o.mu.Unlock()
	switch {
	case f.AuthMode == "basic" && f.Username == "" && f.Password == "":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(authz, "Basic "))
		if user, pass, ok := strings.Cut(string(raw), ":"); err == nil && ok {
			f.Username, f.Password = user, pass
		}
	case f.Token != "":
	case f.AuthMode == "oauth" || (a.Custom && f.AuthMode == "header"):
		f.Token = strings.TrimPrefix(authz, "Bearer ")
	case f.AuthMode == "header":
		f.Token = authz // the template's API token is the header, verbatim
	}
}

func formFromPost(v url.Values) provisioningForm {
	on := func(k string) bool { return v.Get(k) == "on" }
	return provisioningForm{Enable: on("enable"), BaseURL: strings.TrimSpace(v.Get("baseUrl")), UserIDField: strings.TrimSpace(v.Get("userIdField")),
		AuthMode: v.Get("authMode"), Token: v.Get("token"), Username: strings.TrimSpace(v.Get("username")), Password: v.Get("password"),
		TokenEndpoint: strings.TrimSpace(v.Get("tokenEndpoint")), AuthorizeEndpoint: strings.TrimSpace(v.Get("authorizeEndpoint")),
		ClientID: strings.TrimSpace(v.Get("clientId")), ClientSecret: v.Get("clientSecret"),
		PushNewUsers: on("pushNewUsers"), PushProfileUpdates: on("pushProfileUpdates"), PushGroups: on("pushGroups"),
		ImportUsers: on("importUsers"), ImportGroups: on("importGroups")}
}

// scimSettings are a custom app's form values as EnableSCIM takes them; the wizard's
// HTTP Header mode sends "Authorization: Bearer <the token entered>".
func scimSettings(f provisioningForm) SCIMSettings {
	s := SCIMSettings{BaseURL: f.BaseURL, UserIDField: f.UserIDField, AuthMode: f.AuthMode, Username: f.Username, Password: f.Password,
		Actions: SCIMActions{ImportNewUsers: f.ImportUsers, PushNewUsers: f.PushNewUsers, PushProfileUpdates: f.PushProfileUpdates,
			PushGroups: f.PushGroups, ImportGroups: f.ImportGroups},
		OAuth: SCIMOAuth{TokenEndpoint: f.TokenEndpoint, AuthorizeEndpoint: f.AuthorizeEndpoint, ClientID: f.ClientID, ClientSecret: f.ClientSecret}}
	if f.AuthMode == "header" && f.Token != "" {
		s.HeaderValue = "Bearer " + f.Token
	}
	return s
}

func (c *Console) redirect(w http.ResponseWriter, r *http.Request, a consoleApp, tab, notice string) {
	c.mu.Lock()
	from := "save"
	if tab == "general" {
		from = "general"
	}
	c.flash[a.ID] = flash{notice, from}
	c.mu.Unlock()
	http.Redirect(w, r, a.Link+"#tab-"+tab, http.StatusSeeOther)
}

func (c *Console) render(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := consolePages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "console page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
