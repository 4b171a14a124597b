package apply_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// applyRoutes plans, then applies, in one session, and returns the routes of the
// requests apply made after the plan.
func applyRoutes(t *testing.T, env *simenv.Env, ins []config.Integration) (map[string]int, apply.Result) {
	t.Helper()
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	s := apply.NewSession(apply.Options{Client: c, Integrations: ins})
	if _, err := s.Plan(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := len(env.Org.Requests())
	res := s.Apply(context.Background())
	return countRoutes(env.Org.Requests()[before:]), res
}

// apply carries out the plan it was shown: after the plan, a new integration costs
// only its writes and the one read a deferred step needs (the features once
// provisioning is on); a no-op apply reads nothing but the System Log.
func TestApplyCarriesOutThePlan(t *testing.T) {
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{RateLimitPerMinute: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	ins := loadIntegrations(t, env, 3)
	routes, res := applyRoutes(t, env, ins)
	if res.Code != 0 {
		t.Fatalf("new: exit %d: %+v", res.Code, res.Events)
	}
	for route, n := range routes {
		want := 3
		if route == "GET /api/v1/logs" {
			want = 1
		}
		if n != want {
			t.Errorf("new: %s ×%d, want ×%d (%s)", route, n, want, formatRoutes(routes))
		}
		if strings.HasPrefix(route, "GET /api/v1/apps/{id}/connections") || route == "GET /api/v1/apps/{id}" || route == "GET /api/v1/apps/{id}/groups" {
			t.Errorf("new: %s re-reads what a write answered (%s)", route, formatRoutes(routes))
		}
	}
	routes, res = applyRoutes(t, env, ins)
	if res.Code != 0 {
		t.Fatalf("no-op: exit %d: %+v", res.Code, res.Events)
	}
	if len(routes) != 1 || routes["GET /api/v1/logs"] != 1 {
		t.Fatalf("no-op apply after its plan: %s, want only the System Log read", formatRoutes(routes))
	}
	for _, e := range res.Events {
		if e.Outcome != apply.Unchanged && !(e.Step == apply.StepTest && e.Outcome == apply.Done) {
			t.Errorf("no-op: %s %s %s: %s", e.Integration, e.Step, e.Outcome, e.Detail)
		}
	}
}

// Where the org does not serve a group's apps, the plan reads each app's assignments
// instead, and a converged org still plans clean.
func TestAssignmentsWithoutGroupApps(t *testing.T) {
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{RateLimitPerMinute: 100000,
		Variants: map[string]string{oktaorg.VariantGroupApps: "missing"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	ins := loadIntegrations(t, env, 2)
	if _, res := applyRoutes(t, env, ins); res.Code != 0 {
		t.Fatalf("new: exit %d: %+v", res.Code, res.Events)
	}
	before := len(env.Org.Requests())
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := apply.NewSession(apply.Options{Client: c, Integrations: ins}).Plan(context.Background())
	if err != nil || p.HasChanges() {
		t.Fatalf("plan after apply: %v, %+v", err, p)
	}
	routes := countRoutes(env.Org.Requests()[before:])
	if routes["GET /api/v1/groups/{id}/apps"] != 1 || routes["GET /api/v1/apps/{id}/groups"] != 2 {
		t.Fatalf("plan read %s: want the group's apps tried once, then each app's assignments", formatRoutes(routes))
	}
}

// An org whose connection POST answers DISABLED although ?activate=true asked for the
// activation (the recorded traffic activates separately): apply activates it, and only
// then reads the connection to verify it (the activation answers nothing).
func TestConnectionAnsweredDisabledIsActivatedThenReadBack(t *testing.T) {
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{RateLimitPerMinute: 100000}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	c := rewritingClient(t, env, connectionPost, func(body string) string {
		return strings.Replace(body, `"status":"ENABLED"`, `"status":"DISABLED"`, 1)
	})
	ins := loadIntegrations(t, env, 1)
	before := len(env.Org.Requests())
	res := apply.Run(context.Background(), apply.Options{Client: c, Integrations: ins})
	if res.Code != 0 {
		t.Fatalf("exit %d: %+v", res.Code, res.Events)
	}
	routes := countRoutes(env.Org.Requests()[before:])
	if routes["POST /api/v1/apps/{id}/connections/default/lifecycle/activate"] != 1 || routes["GET /api/v1/apps/{id}/connections/default"] != 1 {
		t.Fatalf("requests %s: want one activation, then one read of the connection", formatRoutes(routes))
	}
}

func connectionPost(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/connections/default")
}

// rewritingClient is a client of the simulator through a proxy that rewrites the
// body of the answers to the requests match selects: an org answering otherwise.
func rewritingClient(t *testing.T, env *simenv.Env, match func(*http.Request) bool, rewrite func(string) string) *okta.Client {
	t.Helper()
	target, err := url.Parse(env.OrgURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if !match(resp.Request) {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		body = []byte(rewrite(string(body)))
		resp.Body, resp.ContentLength = io.NopCloser(strings.NewReader(string(body))), int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: srv.URL, Token: config.NewSecret(env.Token)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
