package simenv

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/scimserver"
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
	Listen              string // org (and Admin Console) address, e.g. 127.0.0.1:8080; "" → a free port
	SCIMListen          string // the SCIM servers' and their OAuth server's address; "" → a free port
	AcceptConnectionAPI bool
	Groups              []string // groups to create; nil → Engineering, Sales, Support
	Org                 oktaorg.Options
	// Credentials; "" → random. Stable values keep an env file valid across restarts.
	Token, SCIMToken, SCIMPassword, OAuthClientSecret string
}

// Env is a running environment.
type Env struct {
	Org    *oktaorg.Org
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

// Start starts the org simulator (with its Admin Console stand-in) and, on one more
// port, a SCIM server per SCIM version (/scim/v2, /scim/v1) and their OAuth server.
func Start(o Options) (*Env, error) {
	e := &Env{Token: orRandom(o.Token, 20), SCIMToken: orRandom(o.SCIMToken, 16), SCIMUser: "okta-provisioner", SCIMPassword: orRandom(o.SCIMPassword, 12)}
	opts := o.Org
	opts.Token = e.Token
	opts.AcceptConnectionAPI = opts.AcceptConnectionAPI || o.AcceptConnectionAPI
	if err := oktaorg.CheckVariants(opts.Variants); err != nil {
		return nil, err
	}
	e.Org = oktaorg.New(opts)
	url, closeOrg, err := serve(o.Listen, e.Org.WithConsole())
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
	e.OAuth = &OAuthServer{ClientID: "okta-provisioning", ClientSecret: orRandom(o.OAuthClientSecret, 16), token: e.SCIMToken, codes: map[string]bool{}}
	mux := http.NewServeMux()
	e.OAuth.register(mux)
	s20, s11 := e.newSCIM("2.0"), e.newSCIM("1.1")
	mux.Handle(s20.BasePath+"/", s20.handler)
	mux.Handle(s11.BasePath+"/", s11.handler)
	base, closeSCIM, err := serve(o.SCIMListen, mux)
	if err != nil {
		e.Close()
		return nil, err
	}
	e.closers = append(e.closers, closeSCIM)
	e.OAuth.TokenURL, e.OAuth.AuthorizeURL = base+"/oauth/token", base+"/oauth/authorize"
	s20.URL, s11.URL = base+s20.BasePath, base+s11.BasePath
	e.SCIM20, e.SCIM11 = s20, s11
	// Closed first: let pushes the org still owes the SCIM servers finish.
	e.closers = append(e.closers, func() error { e.Org.Wait(); return nil })
	return e, nil
}

// SCIMServer is a SCIM test server that accepts the environment's credentials in
// header, bearer and basic form alike, so one server serves every auth method.
type SCIMServer struct {
	*scimserver.Server
	URL      string
	BasePath string // /scim/v2 or /scim/v1

	handler http.Handler
}

func (e *Env) newSCIM(version string) *SCIMServer {
	inner := scimserver.New(scimserver.Options{Version: version, Auth: scimserver.Auth{Mode: "bearer", Token: e.SCIMToken}})
	basePath := "/scim/v2"
	if version == "1.1" {
		basePath = "/scim/v1"
	}
	return &SCIMServer{Server: inner, BasePath: basePath, handler: anyAuth(inner, e.SCIMToken, e.SCIMUser, e.SCIMPassword)}
}

// StartSCIM starts another SCIM server of the given version, on a port of its own.
func (e *Env) StartSCIM(version string) (*SCIMServer, error) {
	s := e.newSCIM(version)
	url, closeFn, err := serve("127.0.0.1:0", s.handler)
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, closeFn)
	s.URL = url + s.BasePath
	return s, nil
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

// ExampleVars are the variables the files in examples/ name, pointing at the stand-ins,
// so that `oktascim apply --sim -f examples/FILE` applies each file as written. Only
// --sim runs see them (LookupEnv); they are never exported, where they could shadow a
// person's own SCIM_TOKEN or ENV.
func (e *Env) ExampleVars() map[string]string {
	authServer := strings.TrimSuffix(e.OAuth.TokenURL, "/oauth/token")
	return map[string]string{
		// template-*.yaml and multi-env.yaml
		"SCIM_BASE_URL": e.SCIM20.URL, "SCIM_TOKEN": e.SCIMToken, "SCIM_USERNAME": e.SCIMUser, "SCIM_PASSWORD": e.SCIMPassword,
		// custom-saml-oauth2.yaml: the SCIM servers' OAuth server (client okta-provisioning)
		"HR_SCIM_URL": e.SCIM20.URL, "HR_AUTH_URL": authServer, "HR_OAUTH_CLIENT_SECRET": e.OAuth.ClientSecret,
		// custom-swa-basic.yaml
		"WIKI_SCIM_URL": e.SCIM20.URL, "WIKI_SCIM_PASSWORD": e.SCIMPassword,
		// multi-env.yaml: one environment, "sim"
		"ENV": "sim", "APP_URL": "https://app.example.com",
		"LEGACY_SCIM_URL": e.SCIM11.URL, "LEGACY_SCIM_TOKEN": e.SCIMToken,
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

// LookupEnv overlays Vars and ExampleVars on lookup (the process environment), the
// stand-ins winning: a --sim run talks to them whatever the shell holds.
func (e *Env) LookupEnv(lookup func(string) (string, bool)) func(string) (string, bool) {
	vars := e.ExampleVars()
	for k, v := range e.Vars() {
		vars[k] = v
	}
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
	if err := CheckListen(addr); err != nil {
		return "", nil, err
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

func orRandom(v string, n int) string {
	if v != "" {
		return v
	}
	return randomHex(n)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
