package conformance

import (
	"fmt"
	"strings"
)

// Okta's CRUD suite drives an Okta org: it creates a user in Okta, assigns it to the
// SCIM app, changes it, deactivates it, and after each Okta-side step reads the SCIM
// server to see what Okta's provisioning sent. With no org in the loop, each Okta-side
// step (its URL starts with {{oktaOrgUrl}}) is replaced by the SCIM request Okta's
// provisioning sends for it, as Okta's SCIM references describe; the SCIM-side steps
// ({{SCIMUrl}}) run unchanged, with their own names and assertions.
//
// oktaActions lists, per Okta-side step name and per occurrence of that name, what
// Okta sends the SCIM server; "" means the step changes nothing on the SCIM server
// (reading the app, creating the user in Okta only, reactivating it in Okta before it
// is assigned again). A test checks every Okta-side step of both CRUD suites is here.
var oktaActions = map[string][]string{
	"Check SCIM Apps instance in Okta ":        {""},
	"Add new random user to Okta":              {""},
	"Assign user to SCIM App":                  {"create", "reactivate"},
	"Update user firstname":                    {"update"},
	"Deactivate user in Okta":                  {"deactivate"},
	"Reactivate user in okta":                  {""},
	"Removes an assignment for a user in Okta": {"deactivate"},
}

const (
	oktaBaseVar = "oktaOrgUrl"
	scimBaseVar = "SCIMUrl"
	scimAuthVar = "SCIMAuth"
)

func isOktaStep(st Step) bool { return strings.HasPrefix(st.URL, "{{"+oktaBaseVar+"}}") }

// user bodies as Okta sends them, with the CRUD suite's variables.
const (
	user20 = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],%s"userName":"{{okta_user_email}}",` +
		`"name":{"givenName":"{{%s}}","familyName":"{{okta_user_lastname}}"},` +
		`"emails":[{"primary":true,"value":"{{okta_user_email}}","type":"work"}],"displayName":"{{%s}}","active":%t}`
	user11 = `{"schemas":["urn:scim:schemas:core:1.0"],%s"userName":"{{okta_user_email}}",` +
		`"name":{"givenName":"{{%s}}","familyName":"{{okta_user_lastname}}"},` +
		`"emails":[{"primary":true,"value":"{{okta_user_email}}","type":"work"}],"displayName":"{{%s}}","active":%t}`
	patchActive20 = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":%t}}]}`
)

// oktaStep is the SCIM request Okta sends for an Okta-side step, as a step of the same
// kind the suites have, named after the Okta-side step and what it sends.
func oktaStep(note, action string, v11 bool) Step {
	ct := "application/scim+json; charset=utf-8"
	accept := "application/scim+json"
	if v11 {
		ct, accept = "application/json; charset=utf-8", "application/json"
	}
	user := func(withID bool, given, full string, active bool) string {
		id := ""
		if withID {
			id = `"id":"{{scim_id}}",`
		}
		if v11 {
			return fmt.Sprintf(user11, id, given, full, active)
		}
		return fmt.Sprintf(user20, id, given, full, active)
	}
	status := func(v string) Assertion {
		return Assertion{Source: "response_status", Comparison: "equal_number", Value: v}
	}
	prop := func(p, cmp, v string) Assertion {
		return Assertion{Source: "response_json", Comparison: cmp, Property: p, Value: v}
	}
	st := Step{
		StepType: "request",
		Headers: Headers{
			"Authorization": {"{{" + scimAuthVar + "}}"},
			"Accept":        {accept},
			"Content-Type":  {ct},
			"User-Agent":    {"OKTA SCIM Integration"},
		},
	}
	byID := "{{" + scimBaseVar + "}}/Users/{{scim_id}}"
	switch action {
	case "create":
		st.Method, st.URL = "POST", "{{"+scimBaseVar+"}}/Users"
		st.Body = user(false, "okta_user_firstname", "okta_user_fullname", true)
		st.Assertions = []Assertion{status("201"), prop("id", "not_empty", ""), prop("userName", "equal", "{{okta_user_email}}")}
	case "update":
		st.Method, st.URL = "PUT", byID
		st.Body = user(true, "okta_user_firstname_update", "okta_user_fullname_update", true)
		st.Assertions = []Assertion{status("200"), prop("name.givenName", "equal", "{{okta_user_firstname_update}}")}
	case "deactivate", "reactivate":
		active := action == "reactivate"
		st.URL = byID
		if v11 {
			// SCIM 1.1: Okta replaces the whole user with active set.
			st.Method = "PUT"
			st.Body = user(true, "okta_user_firstname_update", "okta_user_fullname_update", active)
			st.Assertions = []Assertion{status("200"), prop("active", "equal", fmt.Sprint(active))}
		} else {
			// SCIM 2.0: Okta sends a PatchOp replacing active; 200 with the user or 204.
			st.Method = "PATCH"
			st.Body = fmt.Sprintf(patchActive20, active)
			st.Assertions = []Assertion{{Source: "response_status", Comparison: "one_of", Value: "200,204"}}
		}
	}
	path := strings.TrimPrefix(st.URL, "{{"+scimBaseVar+"}}")
	st.Note = note + " → " + st.Method + " " + strings.ReplaceAll(path, "{{scim_id}}", "{id}")
	return st
}

// crudSteps turns the CRUD suite into the steps to run: its SCIM-side steps as they
// are, its Okta-side steps replaced by what Okta sends.
func crudSteps(s *Suite, v11 bool) ([]Step, error) {
	seen := map[string]int{}
	var out []Step
	for _, st := range s.Steps {
		if !st.IsRequest() {
			continue
		}
		if !isOktaStep(st) {
			out = append(out, st)
			continue
		}
		actions, ok := oktaActions[st.Note]
		n := seen[st.Note]
		seen[st.Note]++
		if !ok || n >= len(actions) {
			return nil, fmt.Errorf("%s: no SCIM equivalent for Okta-side step %q (occurrence %d)", s.Name, st.Note, n+1)
		}
		if actions[n] != "" {
			out = append(out, oktaStep(st.Note, actions[n], v11))
		}
	}
	return out, nil
}
