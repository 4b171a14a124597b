// Package scenario is the one list of end-to-end scenarios that both the simulator tests
// (cmd/oktascim, `go test ./...`) and the acceptance suite against a real Okta org
// (acceptance/, `go test -tags acceptance ./acceptance/`) run, so that the two cannot drift
// apart. A scenario is data: the integrations its file declares (built from parameters such as
// auth method × sign-on mode), the commands it runs in order and what each must produce. An
// Env supplies what differs between the two sides: the org, the SCIM server, the admin who
// does the manual steps, and how the CLI is run.
package scenario

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// Integration is one integration of a scenario's file.
type Integration struct {
	// Key is unique within the scenario; the file's integration name is the Env's prefix,
	// a dash and the key, and its label the prefix, a space and the key.
	Key    string
	Kind   string // "" (template) or "custom"
	SCIM   string // "2.0" or "1.1" (template apps)
	Auth   string // basic, header or oauth
	SignOn string // saml or swa
	// Push: the file pushes the scenario's first group (pushGroups: [name]). Custom apps
	// only: their files declare provisioning.pushGroups: true, which a push needs.
	Push bool
}

// Name is the integration's name (and its stamp) in a file made for prefix.
func (i Integration) Name(prefix string) string { return prefix + "-" + i.Key }

// Label is the Okta app label in a file made for prefix.
func (i Integration) Label(prefix string) string { return prefix + " " + i.Key }

// Step is one command of a scenario.
type Step struct {
	// Args are the command and its flags; the runner adds -f with the scenario's file, and
	// whatever the Env adds (Env.Flags).
	Args []string
	// Admin: an admin does the manual steps while this command runs (apply --wait).
	Admin bool
	// Code is the exit code the command must end with.
	Code int
	// Out are fragments the output (stdout and stderr) must contain.
	Out []string
	// Outcomes are the step outcomes (done, unchanged, manual, …) every integration of
	// the scenario must show, by step (app, provisioning, actions, groups, test); "a|b"
	// accepts either.
	Outcomes map[string]string
	// NoWrites: the command must send no write request to the org. The runner adds --debug
	// and reads the client's own trace; an Env that sees the org's side checks there too.
	NoWrites bool
}

// Scenario is one end-to-end run against an org.
type Scenario struct {
	Name string
	// Doc says what the scenario shows.
	Doc          string
	Integrations []Integration
	// NeedsAdmin: a step needs someone in the Admin Console, because Okta has no API for it
	// (enabling provisioning on a template app). The simulator's admin stand-in does it; on a
	// real org the scenario runs only when a person is at hand to do what `apply --wait`
	// prints (the acceptance suite's OKTASCIM_ACCEPTANCE_ADMIN=1) and is skipped otherwise,
	// saying why.
	NeedsAdmin bool
	// ManualPath: the scenario is about the manual step, so it cannot run against an org
	// whose Provisioning Connection API enables provisioning by itself.
	ManualPath bool
	Steps      []Step
}

// Tolerant is the scenario with each outcome of a step the admin works through that
// may be done or unchanged accepting both: which depends on what the org turns on by
// itself when provisioning goes on (the simulator's variants, docs/variants.md). What
// convergence means is kept: the exit codes, and the later apply and plan that change
// nothing.
func (s Scenario) Tolerant() Scenario {
	steps := make([]Step, len(s.Steps))
	for i, st := range s.Steps {
		if st.Admin {
			outcomes := map[string]string{}
			for k, v := range st.Outcomes {
				if v == "done" && k != "app" && k != "provisioning" {
					v = "done|unchanged"
				}
				outcomes[k] = v
			}
			st.Outcomes = outcomes
		}
		steps[i] = st
	}
	s.Steps = steps
	return s
}

var (
	auths   = []string{"basic", "header", "oauth"}
	signOns = []string{"saml", "swa"}
)

// All is the list. Its order is stable; names are unique.
func All() []Scenario {
	var all []Scenario
	for _, auth := range auths {
		for _, signOn := range signOns {
			key := auth + "-" + signOn
			all = append(all, lifecycle("template-"+key, "an OIN SCIM template app with "+auth+" auth and "+signOn+" sign-on",
				Integration{Key: key, SCIM: "2.0", Auth: auth, SignOn: signOn}))
		}
	}
	all = append(all,
		lifecycle("template-scim11", "a SCIM 1.1 template app (scim1testapp, taken as the OAuth bearer variant)",
			Integration{Key: "scim11", SCIM: "1.1", Auth: "oauth", SignOn: "saml"}),
		lifecycle("several-at-once", "three integrations in one file, worked on concurrently",
			Integration{Key: "a", SCIM: "2.0", Auth: "header", SignOn: "saml"},
			Integration{Key: "b", SCIM: "2.0", Auth: "basic", SignOn: "swa"},
			Integration{Key: "c", SCIM: "2.0", Auth: "oauth", SignOn: "saml"}),
		manualPending(),
		roundTrip(),
	)
	for _, auth := range []string{"header", "basic"} {
		for _, signOn := range signOns {
			key := "custom-" + auth + "-" + signOn
			sc := lifecycle(key, "a custom App Integration Wizard app with "+auth+" auth, "+signOn+" sign-on and an attribute mapping",
				Integration{Key: key, Kind: "custom", Auth: auth, SignOn: signOn})
			sc.Steps[2].Outcomes["mappings"] = "done"
			sc.Steps[3].Outcomes["mappings"] = "unchanged"
			all = append(all, sc)
		}
	}
	push := lifecycle("custom-group-push", "a custom SAML app that pushes a group (Group Push Mappings API, verified on the SCIM server's /Groups)",
		Integration{Key: "custom-push", Kind: "custom", Auth: "header", SignOn: "saml", Push: true})
	push.Steps[2].Outcomes["mappings"], push.Steps[2].Outcomes["push"] = "done", "done"
	push.Steps[3].Outcomes["mappings"], push.Steps[3].Outcomes["push"] = "unchanged", "unchanged"
	all = append(all, push)
	return all
}

// lifecycle: validate, plan, apply --wait with the admin doing the manual step, a second
// apply that writes nothing, a plan with no changes, the connection test, destroy, and a
// plan that would create the apps again.
func lifecycle(name, doc string, ins ...Integration) Scenario {
	n := len(ins)
	return Scenario{
		Name:         name,
		Doc:          "the whole lifecycle of " + doc,
		Integrations: ins,
		NeedsAdmin:   true,
		Steps: []Step{
			{Args: []string{"validate"}, Code: exitcode.OK, Out: []string{fmt.Sprintf("is valid: %d integration(s)", n)}},
			{Args: []string{"plan", "--detailed-exitcode"}, Code: exitcode.Changes, Out: []string{fmt.Sprintf("Plan: %d to create,", n)}},
			{Args: []string{"apply", "--yes", "--wait"}, Admin: true, Code: exitcode.OK,
				Outcomes: map[string]string{"app": "done", "provisioning": "done", "actions": "done", "groups": "done", "test": "done"}},
			{Args: []string{"apply", "--yes"}, Code: exitcode.OK, NoWrites: true,
				Outcomes: map[string]string{"app": "unchanged", "provisioning": "unchanged", "actions": "unchanged", "groups": "unchanged"}},
			{Args: []string{"plan", "--detailed-exitcode"}, Code: exitcode.OK, Out: []string{"No changes: the org matches the file."}},
			{Args: []string{"test"}, Code: exitcode.OK, NoWrites: true, Outcomes: map[string]string{"test": "done"}},
			{Args: []string{"destroy", "--yes"}, Code: exitcode.OK, Out: []string{fmt.Sprintf("Will deactivate and delete %d app(s)", n)}},
			{Args: []string{"plan", "--detailed-exitcode"}, Code: exitcode.Changes, Out: []string{fmt.Sprintf("Plan: %d to create,", n)}},
		},
	}
}

// roundTrip: the lifecycle, with `test --round-trip` after the connection test: it proves
// that Okta provisions — a disposable user assigned, created on the SCIM server, updated,
// unassigned and deactivated there — leaves nothing in the org, and says what it left on
// the SCIM server. The file declares no group push, so that stage is skipped.
func roundTrip() Scenario {
	sc := lifecycle("round-trip", "two template apps, proven end to end by test --round-trip",
		Integration{Key: "rt-header", SCIM: "2.0", Auth: "header", SignOn: "saml"},
		Integration{Key: "rt-oauth", SCIM: "2.0", Auth: "oauth", SignOn: "swa"})
	stages := map[string]string{"assign": "done", "create": "done", "update": "done", "deactivate": "done", "group-push": "skipped", "cleanup": "done"}
	trip := Step{Args: []string{"test", "--round-trip"}, Code: exitcode.OK, Outcomes: stages,
		Out: []string{"the SCIM server keeps user oktascim-probe-", "test --round-trip: 2 integration(s): all verified"}}
	for i, st := range sc.Steps {
		if len(st.Args) == 1 && st.Args[0] == "test" {
			sc.Steps = slices.Insert(sc.Steps, i+1, trip)
			break
		}
	}
	return sc
}

// manualPending: without --wait and without an admin, apply stops at the manual step with
// exit 5 and says exactly what to do; a re-run finds the app again rather than making
// another (it does try the Provisioning Connection API again, which writes); plan
// shows the pending step; destroy removes the app. No admin is needed, so it runs on a real
// org unattended.
func manualPending() Scenario {
	return Scenario{
		Name:         "manual-step-pending",
		Doc:          "apply stops at the manual step (exit 5), a re-run changes nothing, destroy cleans up",
		Integrations: []Integration{{Key: "pending", SCIM: "2.0", Auth: "header", SignOn: "saml"}},
		ManualPath:   true,
		Steps: []Step{
			{Args: []string{"apply", "--yes"}, Code: exitcode.ManualPending,
				Out:      []string{"manual step", "#tab-provisioning", "Test API Credentials"},
				Outcomes: map[string]string{"app": "done", "provisioning": "manual"}},
			{Args: []string{"apply", "--yes"}, Code: exitcode.ManualPending,
				Outcomes: map[string]string{"app": "unchanged", "provisioning": "manual"}},
			{Args: []string{"plan", "--detailed-exitcode"}, Code: exitcode.Changes, Out: []string{"manual step pending"}},
			{Args: []string{"destroy", "--yes"}, Code: exitcode.OK, Out: []string{"Will deactivate and delete 1 app(s)"}},
			{Args: []string{"destroy", "--yes"}, Code: exitcode.OK, NoWrites: true, Out: []string{"Nothing to destroy"}},
		},
	}
}

// Refs are the names of the variables a scenario's file references for the SCIM server.
type Refs struct {
	SCIM20URL, SCIM11URL string // ${…} of each version's base URL
	Token                string // { env: … } of the header/oauth token
	Username             string // ${…} of the basic auth username
	Password             string // { env: … } of the basic auth password
}

// File is the oktascim file of the scenario for the given prefix, variables and groups.
func (s Scenario) File(prefix string, refs Refs, groups []string) string {
	var b strings.Builder
	b.WriteString("# " + s.Name + ": " + s.Doc + "\nversion: 1\nintegrations:\n")
	for _, in := range s.Integrations {
		fmt.Fprintf(&b, "  - name: %s\n    label: %q\n", in.Name(prefix), in.Label(prefix))
		if in.Kind != "" {
			fmt.Fprintf(&b, "    kind: %s\n", in.Kind)
		}
		b.WriteString("    scim:\n")
		base := refs.SCIM20URL
		if in.SCIM == "1.1" {
			base = refs.SCIM11URL
		}
		if in.Kind == "" {
			fmt.Fprintf(&b, "      version: %q\n", in.SCIM)
		}
		fmt.Fprintf(&b, "      baseUrl: ${%s}\n      auth:\n        method: %s\n", base, in.Auth)
		if in.Auth == "basic" {
			fmt.Fprintf(&b, "        username: ${%s}\n        password: { env: %s }\n", refs.Username, refs.Password)
		} else {
			fmt.Fprintf(&b, "        token: { env: %s }\n", refs.Token)
		}
		site := "https://" + in.Key + ".example.com"
		if in.SignOn == "swa" {
			fmt.Fprintf(&b, "    signOn:\n      mode: swa\n      swa: { loginUrl: %s/login }\n", site)
		} else {
			fmt.Fprintf(&b, "    signOn:\n      mode: saml\n      saml: { acsUrl: %s/saml/acs, audience: %s }\n", site, site)
		}
		b.WriteString("    visibility: { hideWeb: true, hideMobile: true, autoLogin: false }\n")
		if in.Kind == "custom" {
			// Push Groups on (a wizard app's supported action), and a property the app's
			// user schema lacks: apply adds it, then maps it.
			b.WriteString("    provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true, pushGroups: true }\n")
			b.WriteString("    mappings:\n      toApp:\n        oktascimAcceptance: { expression: user.login, type: string }\n")
		} else {
			b.WriteString("    provisioning: { createUsers: true, updateUsers: true, deactivateUsers: true, syncPassword: false }\n")
		}
		if len(groups) > 0 {
			quoted := make([]string, len(groups))
			for i, g := range groups {
				quoted[i] = fmt.Sprintf("%q", g)
			}
			fmt.Fprintf(&b, "    groups: [%s]\n", strings.Join(quoted, ", "))
			if in.Push {
				fmt.Fprintf(&b, "    pushGroups: [%s]\n", quoted[0])
			}
		}
	}
	return b.String()
}

// Names are the integration names of the scenario for prefix, sorted.
func (s Scenario) Names(prefix string) []string {
	out := make([]string, len(s.Integrations))
	for i, in := range s.Integrations {
		out[i] = in.Name(prefix)
	}
	sort.Strings(out)
	return out
}
