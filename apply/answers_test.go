package apply_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// Writes whose answers the spec does not require to carry what the verifier reads
// (docs/performance.md, "What a write's answer carries"): under write-answers=minimal
// the executor reads the object once and verifies that; an answer that contradicts
// the write still fails, without a read.

var minimalAnswers = map[string]string{oktaorg.VariantWriteAnswers: "minimal"}

// failedOrWaiting lists the events that would alarm a reader of the run.
func failedOrWaiting(res apply.Result) []apply.Event {
	var out []apply.Event
	for _, e := range res.Events {
		if e.Outcome == apply.Failed || e.Outcome == apply.Skipped {
			out = append(out, e)
		}
	}
	return out
}

func stepEvent(t *testing.T, res apply.Result, step string) apply.Event {
	t.Helper()
	for _, e := range res.Events {
		if e.Step == step {
			return e
		}
	}
	t.Fatalf("no %s event in %+v", step, res.Events)
	return apply.Event{}
}

// The connection POST answers status and profile only (no baseUrl): apply reads the
// connection once, verifies the base URL there, and says so as it always does.
func TestConnectionAnswerWithoutBaseURLIsReadOnce(t *testing.T) {
	env := startCounted(t, minimalAnswers)
	ins := loadIntegrations(t, env, 1)
	routes, res := applyRoutes(t, env, ins)
	if res.Code != 0 || len(failedOrWaiting(res)) > 0 {
		t.Fatalf("exit %d: %+v", res.Code, res.Events)
	}
	if routes["GET /api/v1/apps/{id}/connections/default"] != 1 || routes["POST /api/v1/apps/{id}/connections/default/lifecycle/activate"] != 0 {
		t.Fatalf("requests %s: want one read of the connection, no activation", formatRoutes(routes))
	}
	if e := stepEvent(t, res, apply.StepProvisioning); e.Outcome != apply.Done || !strings.Contains(e.Detail, "verified: connection ENABLED with base URL "+ins[0].SCIM.BaseURL) {
		t.Fatalf("provisioning: %s %s", e.Outcome, e.Detail)
	}
	routes, res = applyRoutes(t, env, ins)
	if res.Code != 0 || len(routes) != 1 {
		t.Fatalf("second apply: exit %d, %s", res.Code, formatRoutes(routes))
	}
}

// A connection answer naming another base URL than the one written fails the step,
// and is not read again in the hope of a better answer.
func TestConnectionAnswerContradictingTheWriteFails(t *testing.T) {
	env := startCounted(t, nil)
	c := rewritingClient(t, env, connectionPost, func(body string) string {
		return strings.Replace(body, `"baseUrl":"`, `"baseUrl":"https://elsewhere.example/scim/v2?was=`, 1)
	})
	before := len(env.Org.Requests())
	res := apply.Run(context.Background(), apply.Options{Client: c, Integrations: loadIntegrations(t, env, 1)})
	e := stepEvent(t, res, apply.StepProvisioning)
	if res.Code == 0 || e.Outcome != apply.Failed || !strings.Contains(e.Detail, "elsewhere.example") {
		t.Fatalf("exit %d, provisioning %s: %s", res.Code, e.Outcome, e.Detail)
	}
	if routes := countRoutes(env.Org.Requests()[before:]); routes["GET /api/v1/apps/{id}/connections/default"] != 0 {
		t.Fatalf("requests %s: a contradicting answer was read again", formatRoutes(routes))
	}
}

// A push create and a push activation answered with the mapping's id only (minimal),
// or with an empty object (bare): each is read once — by id where the answer or the
// activation names it, else the app's mappings — and verified there.
func TestPushAnswerWithoutTheMappingIsReadOnce(t *testing.T) {
	const mappings, mapping = "/api/v1/apps/{id}/group-push/mappings", "/api/v1/apps/{id}/group-push/mappings/{id}"
	const list, readByID = "GET " + mappings, "GET " + mapping
	for _, c := range []struct {
		answers           string
		createdRead, read string
	}{{"minimal", readByID, list}, {"bare", list, readByID}} {
		t.Run(c.answers, func(t *testing.T) {
			env := startCounted(t, map[string]string{oktaorg.VariantWriteAnswers: c.answers})
			ins := pushGroupsOn(t, env)
			routes, res := applyRoutes(t, env, ins)
			if res.Code != 0 || len(failedOrWaiting(res)) > 0 {
				t.Fatalf("exit %d: %+v", res.Code, res.Events)
			}
			if routes["POST "+mappings] != 1 || routes[c.createdRead] != 1 || routes[c.read] != 0 {
				t.Fatalf("requests %s: want one push created, then %s once", formatRoutes(routes), c.createdRead)
			}
			// Deactivated behind the tool's back: the next apply activates it (PATCH),
			// whose answer is as short; the id is the one the activation wrote.
			appID := onlyApp(t, env)
			client, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: env.OrgURL, Token: config.NewSecret(env.Token)})
			if err != nil {
				t.Fatal(err)
			}
			pushes, err := client.GroupPushes(context.Background(), appID)
			if err != nil || len(pushes) != 1 {
				t.Fatalf("pushes %+v: %v", pushes, err)
			}
			if _, err := client.SetGroupPushStatus(context.Background(), appID, pushes[0].ID, "INACTIVE"); err != nil {
				t.Fatal(err)
			}
			routes, res = applyRoutes(t, env, ins)
			if res.Code != 0 || len(failedOrWaiting(res)) > 0 {
				t.Fatalf("reactivating: exit %d: %+v", res.Code, res.Events)
			}
			if routes["PATCH "+mapping] != 1 || routes[readByID] != 1 || routes[list] != 0 {
				t.Fatalf("requests %s: want one activation, then one read by id", formatRoutes(routes))
			}
			if e := stepEvent(t, res, apply.StepPush); e.Outcome != apply.Done {
				t.Fatalf("push: %s %s", e.Outcome, e.Detail)
			}
		})
	}
}

// A push answer whose status contradicts the create (INACTIVE after creating it
// ACTIVE) fails the step without a read.
func TestPushAnswerContradictingTheWriteFails(t *testing.T) {
	env := startCounted(t, nil)
	ins := pushGroupsOn(t, env)
	c := rewritingClient(t, env, func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/group-push/mappings")
	}, func(body string) string {
		return strings.Replace(body, `"status":"ACTIVE"`, `"status":"INACTIVE"`, 1)
	})
	before := len(env.Org.Requests())
	res := apply.Run(context.Background(), apply.Options{Client: c, Integrations: ins})
	e := stepEvent(t, res, apply.StepPush)
	if res.Code == 0 || e.Outcome != apply.Failed || !strings.Contains(e.Detail, "INACTIVE") {
		t.Fatalf("exit %d, push %s: %s", res.Code, e.Outcome, e.Detail)
	}
	if routes := countRoutes(env.Org.Requests()[before:]); routes["GET /api/v1/apps/{id}/group-push/mappings/{id}"] != 0 {
		t.Fatalf("requests %s: a contradicting answer was read again", formatRoutes(routes))
	}
}

// pushGroupsOn converges one integration, has the admin check Push Groups (a template
// app's checkbox), and returns it pushing Engineering.
func pushGroupsOn(t *testing.T, env *simenv.Env) []config.Integration {
	t.Helper()
	converge(t, env, loadIntegrations(t, env, 1))
	if err := env.Org.EnableProvisioning(context.Background(), onlyApp(t, env), oktaorg.ProvisioningSettings{BaseURL: env.SCIM20.URL, AuthMode: "oauth", Token: env.SCIMToken,
		UserIDField: "userName", PushNewUsers: true, PushProfileUpdates: true, PushGroups: true}); err != nil {
		t.Fatal(err)
	}
	return loadPushing(t, env)
}
