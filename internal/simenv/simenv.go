// Package simenv starts the built-in stand-ins — the Okta org simulator and SCIM test
// servers on 127.0.0.1 — and the admin stand-in that performs manual steps, for
// `apply --sim`, `oktascim sim` and the end-to-end tests.
package simenv

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/okta/oktatest"
	"github.com/oktascim/oktascim/scim/scimtest"
)

// Variables the environment provides to config files (see examples/quickstart.yaml).
const (
	VarOrgURL       = "OKTA_CLIENT_ORGURL"
	VarOrgToken     = "OKTA_CLIENT_TOKEN"
	VarSCIMURL      = "OKTASCIM_SIM_SCIM_URL"
	VarSCIM11URL    = "OKTASCIM_SIM_SCIM11_URL"
	VarSCIMToken    = "OKTASCIM_SIM_SCIM_TOKEN"
	VarSCIMUser     = "OKTASCIM_SIM_SCIM_USERNAME"
	VarSCIMPassword = "OKTASCIM_SIM_SCIM_PASSWORD"
	// The SCIM servers' OAuth 2 authorization server (a custom app's OAuth 2 mode).
	VarOAuthTokenURL     = "OKTASCIM_SIM_OAUTH_TOKEN_URL"
	VarOAuthAuthorizeURL = "OKTASCIM_SIM_OAUTH_AUTHORIZE_URL"
	VarOAuthClientID     = "OKTASCIM_SIM_OAUTH_CLIENT_ID"
	VarOAuthClientSecret = "OKTASCIM_SIM_OAUTH_CLIENT_SECRET"
)

// Options shape the environment.
type Options struct {
	Listen              string // org address, e.g. 127.0.0.1:8080; "" → a free port
	AcceptConnectionAPI bool
	Groups              []string // groups to create; nil → Engineering, Sales, Support
	Org                 oktatest.Options
}

// Env is a running environment.
type Env struct {
	Org    *oktatest.Org
	OrgURL string
	Token  string
	SCIM20 *SCIMServer
	SCIM11 *SCIMServer
	// SCIM credentials every SCIM server accepts, in any of the three auth forms.
	SCIMToken, SCIMUser, SCIMPassword string
	// OAuth is an authorization server that issues SCIMToken to its one client.
	OAuth *OAuthServer

	closers []func() error
}

// Start starts the org simulator and one SCIM server per SCIM version.
func Start(o Options) (*Env, error) {
	e := &Env{Token: randomHex(20), SCIMToken: randomHex(16), SCIMUser: "okta-provisioner", SCIMPassword: randomHex(12)}
	opts := o.Org
	opts.Token = e.Token
	opts.AcceptConnectionAPI = opts.AcceptConnectionAPI || o.AcceptConnectionAPI
	if err := oktatest.CheckVariants(opts.Variants); err != nil {
		return nil, err
	}
	e.Org = oktatest.New(opts)
	url, closeOrg, err := serve(o.Listen, e.Org)
	if err != nil {
		return nil, err
	}
	e.OrgURL = url
	e.closers = append(e.closers, closeOrg)
	groups := o.Groups
	if groups == nil {
		groups = []string{"Engineering", "Sales", "Support"}
	}
	for _, g := range groups {
		e.Org.AddGroup(g)
	}
	if e.OAuth, err = e.startOAuth(); err != nil {
		e.Close()
		return nil, err
	}
	for _, v := range []string{"2.0", "1.1"} {
		s, err := e.StartSCIM(v)
		if err != nil {
			e.Close()
			return nil, err
		}
		if v == "2.0" {
			e.SCIM20 = s
		} else {
			e.SCIM11 = s
		}
	}
	// Closed first: let pushes the org still owes the SCIM servers finish.
	e.closers = append(e.closers, func() error { e.Org.Wait(); return nil })
	return e, nil
}

// SCIMServer is a SCIM test server that accepts the environment's credentials in
// header, bearer and basic form alike, so one server serves every auth method.
type SCIMServer struct {
	*scimtest.Server
	URL string
}

// StartSCIM starts another SCIM server of the given version.
func (e *Env) StartSCIM(version string) (*SCIMServer, error) {
	inner := scimtest.New(scimtest.Options{Version: version, Auth: scimtest.Auth{Mode: "bearer", Token: e.SCIMToken}})
	basePath := "/scim/v2"
	if version == "1.1" {
		basePath = "/scim/v1"
	}
	url, closeFn, err := serve("127.0.0.1:0", anyAuth(inner, e.SCIMToken, e.SCIMUser, e.SCIMPassword))
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, closeFn)
	return &SCIMServer{Server: inner, URL: url + basePath}, nil
}

// anyAuth maps the three accepted forms of the environment's credentials onto the
// inner server's bearer form; anything else reaches it unchanged (and is refused).
func anyAuth(inner http.Handler, token, user, password string) http.Handler {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Authorization") {
		case token, "Bearer " + token, basic:
			r.Header.Set("Authorization", "Bearer "+token)
		}
		inner.ServeHTTP(w, r)
	})
}

// Vars are the environment variables a config file may reference.
func (e *Env) Vars() map[string]string {
	return map[string]string{
		VarOrgURL: e.OrgURL, VarOrgToken: e.Token,
		VarSCIMURL: e.SCIM20.URL, VarSCIM11URL: e.SCIM11.URL,
		VarSCIMToken: e.SCIMToken, VarSCIMUser: e.SCIMUser, VarSCIMPassword: e.SCIMPassword,
		VarOAuthTokenURL: e.OAuth.TokenURL, VarOAuthAuthorizeURL: e.OAuth.AuthorizeURL,
		VarOAuthClientID: e.OAuth.ClientID, VarOAuthClientSecret: e.OAuth.ClientSecret,
	}
}

// ExportLines are shell lines that export Vars, sorted.
func (e *Env) ExportLines() []string {
	vars := e.Vars()
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("export %s=%s", k, vars[k])
	}
	return out
}

// Secrets are the values to mask in output.
func (e *Env) Secrets() []string {
	return []string{e.Token, e.SCIMToken, e.SCIMPassword, e.OAuth.ClientSecret}
}

// LookupEnv overlays Vars on lookup (the process environment), Vars winning.
func (e *Env) LookupEnv(lookup func(string) (string, bool)) func(string) (string, bool) {
	vars := e.Vars()
	return func(k string) (string, bool) {
		if v, ok := vars[k]; ok {
			return v, true
		}
		if lookup == nil {
			return "", false
		}
		return lookup(k)
	}
}

// AdminStandIn returns a handler that does each manual step as an admin would, after
// delay: it enters the step's values on the app's Provisioning tab (a custom app's
// SCIM switch and connection, or a template app's API integration), which makes the
// simulator run the real credential test against the SCIM server; or pushes the
// step's groups from the Push Groups tab.
func (e *Env) AdminStandIn(delay time.Duration) apply.ManualHandler {
	return func(ctx context.Context, m apply.ManualStep) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		v := m.Values
		switch {
		case m.AppID == "":
			return errors.New("manual step names no app")
		case len(m.Pushes) > 0:
			for _, p := range m.Pushes {
				if _, err := e.Org.PushGroup(ctx, m.AppID, p.GroupID, p.Target); err != nil {
					return err
				}
			}
			return nil
		case v.Custom:
			s := oktatest.SCIMSettings{BaseURL: v.BaseURL, UserIDField: v.UserIDField, AuthMode: v.AuthMode,
				Username: v.Username, Password: v.Password.Value(),
				Actions: oktatest.SCIMActions{ImportNewUsers: v.ImportUsers, PushNewUsers: v.PushNewUsers,
					PushProfileUpdates: v.PushProfileUpdates, PushGroups: v.PushGroups, ImportGroups: v.ImportGroups}}
			switch v.AuthMode {
			case "header":
				s.HeaderValue = "Bearer " + v.Token.Value() // the wizard's HTTP Header mode
			case "oauth":
				s.AuthMode = "oauth2"
				s.OAuth = oktatest.SCIMOAuth{TokenEndpoint: v.TokenEndpoint, AuthorizeEndpoint: v.AuthorizeEndpoint,
					ClientID: v.ClientID, ClientSecret: v.ClientSecret.Value()}
			}
			return e.Org.EnableSCIM(ctx, m.AppID, s)
		}
		return e.Org.EnableProvisioning(ctx, m.AppID, oktatest.ProvisioningSettings{
			BaseURL: v.BaseURL, AuthMode: v.AuthMode, Token: v.Token.Value(), Username: v.Username, Password: v.Password.Value(),
			UserIDField: v.UserIDField, PushNewUsers: v.PushNewUsers, PushProfileUpdates: v.PushProfileUpdates,
			PushGroups: v.PushGroups, ImportUsers: v.ImportUsers,
		})
	}
}

// Close stops every server.
func (e *Env) Close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		_ = e.closers[i]()
	}
	e.closers = nil
}

func serve(addr string, h http.Handler) (string, func() error, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", nil, fmt.Errorf("listen address %q: the stand-ins listen on loopback only (127.0.0.1, ::1)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	if strings.HasPrefix(ln.Addr().String(), "[::1]") {
		url = "http://" + ln.Addr().String()
	}
	return url, func() error {
		// Let answers in flight finish; a connection a client opened but never used
		// would hold Shutdown for seconds, so close whatever is left after a moment.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			return srv.Close()
		}
		return nil
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
