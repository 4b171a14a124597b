package oktaorg

// The Users API (spec tags User, UserLifecycle) and app user assignments (spec tag
// ApplicationUsers), as far as a provisioning round trip needs them: create (with
// activate=false: STAGED, no email), list with search (profile.login sw/eq) or q, get
// by id or login, partial (POST) and full (PUT) profile updates, activate
// (sendEmail=false returns the activation link instead of mailing it), deactivate,
// DELETE (the first deactivates, the second deletes — as recorded in
// TestAccDataSourceOktaAppUserAssignments_read), and POST/GET/DELETE
// /api/v1/apps/{appId}/users[/{userId}]. Shapes follow that cassette: the user with
// profile, credentials.provider and _links; the app user with scope, status, syncState,
// externalId and credentials.userName.
//
// What the reference does not record, the simulator chooses (each an E0000001/E0000007
// answer of the documented shape): a duplicate login → 400 E0000001 "login: An object
// with this field already exists in the current organization" (Okta's text for unique
// profile attributes); a missing required profile attribute (login, email, firstName,
// lastName: the default user schema's required ones) → 400 E0000001 "<attr>: The field
// cannot be left blank"; activating a user that is not STAGED or DEPROVISIONED →
// 403 E0000016 "Activation failed because the user is already active" (the spec's
// lifecycle error).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// peopleState holds the org's users and their app assignments; o.mu guards it.
type peopleState struct {
	users    []map[string]any               // in creation order
	appUsers map[string]map[string]*appUser // app id → user id → assignment
	realm    string
	// background counts provisioning pushes still to run (provisioner.go).
	background sync.WaitGroup
}

// appUser is one user's assignment to one app.
type appUser struct {
	appID, userID, userName     string
	status, syncState, scimID   string
	created, updated, statusChg string
	queue                       provisionQueue // its pushes, in order (provisioner.go)
}

func (o *Org) pp() *peopleState {
	if o.people.appUsers == nil {
		o.people.appUsers = map[string]map[string]*appUser{}
		o.people.realm = newID("guo") // the org's default realm (Identity Engine)
	}
	return &o.people
}

// findUser finds a user by id or login; o.mu must be held.
func (o *Org) findUser(idOrLogin string) map[string]any {
	for _, u := range o.pp().users {
		if u["id"] == idOrLogin || strings.EqualFold(fmt.Sprint(profileOf(u)["login"]), idOrLogin) {
			return u
		}
	}
	return nil
}

func profileOf(u map[string]any) map[string]any {
	p, _ := u["profile"].(map[string]any)
	return p
}

func (o *Org) userView(host string, u map[string]any) map[string]any {
	out := deepCopy(stripInternal(u))
	base := "http://" + host + "/api/v1/users/" + fmt.Sprint(u["id"])
	links := map[string]any{"self": map[string]any{"href": base},
		"schema": map[string]any{"href": "http://" + host + "/api/v1/meta/schemas/user/" + o.cx().userSchema},
		"type":   map[string]any{"href": "http://" + host + "/api/v1/meta/types/user/" + o.cx().userType}}
	lifecycle := func(names ...string) {
		for _, n := range names {
			key := map[string]string{"reset_password": "resetPassword", "reset_factors": "resetFactors"}[n]
			if key == "" {
				key = n
			}
			links[key] = map[string]any{"href": base + "/lifecycle/" + n, "method": "POST"}
		}
	}
	// The links of a PROVISIONED user are recorded; the others follow the lifecycle docs.
	switch u["status"] {
	case "STAGED", "DEPROVISIONED":
		lifecycle("activate")
	case "PROVISIONED":
		lifecycle("suspend", "reset_password", "reactivate", "reset_factors", "deactivate")
	default:
		lifecycle("suspend", "reset_password", "reset_factors", "deactivate")
	}
	out["_links"] = links
	return out
}

// requiredProfile are the default user schema's required attributes.
var requiredProfile = []string{"login", "email", "firstName", "lastName"}

// routePeople answers /api/v1/users[/…] for the org's (non-admin) users.
func (o *Org) routePeople(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
			o.listUsers(w, r)
		case http.MethodPost:
			o.createUser(w, r, body)
		default:
			methodNotAllowed(w)
		}
		return
	}
	o.mu.Lock()
	u := o.findUser(rest[0])
	o.mu.Unlock()
	if u == nil {
		notFound(w, rest[0]+" (User)")
		return
	}
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		o.mu.Lock()
		out := o.userView(r.Host, u)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 1 && (r.Method == http.MethodPost || r.Method == http.MethodPut):
		o.updateUser(w, r, u, body, r.Method == http.MethodPut)
	case len(rest) == 1 && r.Method == http.MethodDelete:
		o.mu.Lock()
		if u["status"] != "DEPROVISIONED" {
			o.deactivateUserLocked(u)
		} else {
			o.deleteUserLocked(u)
		}
		o.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case len(rest) == 3 && rest[1] == "lifecycle" && r.Method == http.MethodPost && rest[2] == "activate":
		o.activateUser(w, r, u)
	case len(rest) == 3 && rest[1] == "lifecycle" && r.Method == http.MethodPost && rest[2] == "deactivate":
		o.mu.Lock()
		deprovisioned := u["status"] == "DEPROVISIONED"
		if !deprovisioned {
			o.deactivateUserLocked(u)
		}
		o.mu.Unlock()
		if deprovisioned {
			writeError(w, http.StatusForbidden, "E0000016", "Activation failed because the user is already deactivated", nil)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{})
	default:
		methodNotAllowed(w)
	}
}

func (o *Org) createUser(w http.ResponseWriter, r *http.Request, body []byte) {
	var in struct {
		Profile     map[string]any `json:"profile"`
		Credentials map[string]any `json:"credentials"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	activate := r.URL.Query().Get("activate") != "false"
	for _, k := range requiredProfile {
		if s, _ := in.Profile[k].(string); strings.TrimSpace(s) == "" {
			validation(w, k, k+": The field cannot be left blank")
			return
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	login := in.Profile["login"].(string)
	if o.findUser(login) != nil || strings.HasPrefix(login, "admin@") || strings.HasPrefix(login, "auditor@") {
		validation(w, "login", "login: An object with this field already exists in the current organization")
		return
	}
	now := o.stamp()
	profile := map[string]any{"mobilePhone": nil, "secondEmail": nil}
	for k, v := range in.Profile {
		profile[k] = v
	}
	_, hasPassword := in.Credentials["password"].(map[string]any)
	if pw, _ := in.Credentials["password"].(map[string]any); len(pw) == 0 {
		hasPassword = false
	}
	u := map[string]any{"id": newID("00u"), "status": "STAGED", "created": now, "activated": nil, "statusChanged": nil,
		"lastLogin": nil, "lastUpdated": now, "passwordChanged": nil, "realmId": o.pp().realm, "type": map[string]any{"id": o.cx().userType},
		"profile": profile, "credentials": map[string]any{"provider": map[string]any{"type": "OKTA", "name": "OKTA"}},
		"_password": hasPassword}
	o.pp().users = append(o.pp().users, u)
	if activate {
		o.activateLocked(u)
	}
	o.logUserLocked("user.lifecycle.create", u)
	writeJSON(w, http.StatusOK, o.userView(r.Host, u))
}

// stripInternal drops the simulator's own keys (they start with _ but are not _links).
func stripInternal(u map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range u {
		if !strings.HasPrefix(k, "_") {
			out[k] = v
		}
	}
	return out
}

var userSearchTerm = regexp.MustCompile(`^\s*profile\.(login|email|firstName|lastName)\s+(sw|eq)\s+"([^"]*)"\s*$`)

func (o *Org) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	match := func(map[string]any) bool { return true }
	if s := q.Get("search"); s != "" {
		m := userSearchTerm.FindStringSubmatch(s)
		if m == nil {
			writeError(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", []string{"search: " + s})
			return
		}
		attr, op, val := m[1], m[2], strings.ToLower(m[3])
		match = func(u map[string]any) bool {
			have := strings.ToLower(fmt.Sprint(profileOf(u)[attr]))
			if op == "eq" {
				return have == val
			}
			return strings.HasPrefix(have, val)
		}
	} else if text := strings.ToLower(q.Get("q")); text != "" {
		// q: a prefix match on firstName, lastName or email (and login, in practice).
		match = func(u map[string]any) bool {
			for _, k := range []string{"login", "email", "firstName", "lastName"} {
				if strings.HasPrefix(strings.ToLower(fmt.Sprint(profileOf(u)[k])), text) {
					return true
				}
			}
			return false
		}
	}
	o.mu.Lock()
	var sel []map[string]any
	for _, u := range o.pp().users {
		if match(u) {
			sel = append(sel, o.userView(r.Host, u))
		}
	}
	o.mu.Unlock()
	writeIDPage(w, r, sel, 200, 200)
}

// writeIDPage writes one Link-paged page of objects keyed by "id" ([] when empty).
func writeIDPage(w http.ResponseWriter, r *http.Request, items []map[string]any, defLimit, maxLimit int) {
	out, ok := page(w, r, items, func(m map[string]any) string { return m["id"].(string) }, defLimit, maxLimit)
	if !ok {
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (o *Org) updateUser(w http.ResponseWriter, r *http.Request, u map[string]any, body []byte, replace bool) {
	var in struct {
		Profile map[string]any `json:"profile"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	next := map[string]any{}
	if !replace {
		next = deepCopy(profileOf(u))
	}
	for k, v := range in.Profile {
		next[k] = v
	}
	for _, k := range requiredProfile {
		if s, _ := next[k].(string); strings.TrimSpace(s) == "" {
			validation(w, k, k+": The field cannot be left blank")
			return
		}
	}
	if other := o.findUser(fmt.Sprint(next["login"])); other != nil && other["id"] != u["id"] {
		validation(w, "login", "login: An object with this field already exists in the current organization")
		return
	}
	changed := fmt.Sprint(next) != fmt.Sprint(profileOf(u))
	u["profile"], u["lastUpdated"] = next, o.stamp()
	if changed {
		o.logUserLocked("user.account.update_profile", u)
		o.profileChangedLocked(u)
	}
	writeJSON(w, http.StatusOK, o.userView(r.Host, u))
}

func (o *Org) activateUser(w http.ResponseWriter, r *http.Request, u map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if st := u["status"]; st != "STAGED" && st != "DEPROVISIONED" {
		writeError(w, http.StatusForbidden, "E0000016", "Activation failed because the user is already active", nil)
		return
	}
	o.activateLocked(u)
	if r.URL.Query().Get("sendEmail") == "false" {
		tok := newID("")
		writeJSON(w, http.StatusOK, map[string]any{"activationUrl": "http://" + r.Host + "/welcome/" + tok, "activationToken": tok})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// activateLocked makes a user PROVISIONED (no password) or ACTIVE, and provisions it
// to the apps it is assigned to.
func (o *Org) activateLocked(u map[string]any) {
	now := o.stamp()
	u["status"] = "PROVISIONED"
	if pw, _ := u["_password"].(bool); pw {
		u["status"] = "ACTIVE"
	}
	u["activated"], u["statusChanged"], u["lastUpdated"] = now, now, now
	o.logUserLocked("user.lifecycle.activate", u)
	for _, byUser := range o.pp().appUsers {
		if a := byUser[fmt.Sprint(u["id"])]; a != nil {
			o.assignedLocked(a)
		}
	}
}

// deactivateUserLocked deprovisions a user: Okta deactivates it on every app that
// deactivates users, and ends its assignments' provisioning.
func (o *Org) deactivateUserLocked(u map[string]any) {
	now := o.stamp()
	u["status"], u["statusChanged"], u["lastUpdated"] = "DEPROVISIONED", now, now
	o.logUserLocked("user.lifecycle.deactivate", u)
	for _, byUser := range o.pp().appUsers {
		if a := byUser[fmt.Sprint(u["id"])]; a != nil {
			o.unassignedLocked(a)
		}
	}
}

func (o *Org) deleteUserLocked(u map[string]any) {
	id := fmt.Sprint(u["id"])
	ps := o.pp()
	for i, x := range ps.users {
		if x["id"] == id {
			ps.users = append(ps.users[:i], ps.users[i+1:]...)
			break
		}
	}
	for _, byUser := range ps.appUsers {
		delete(byUser, id)
	}
	o.logUserLocked("user.lifecycle.delete.completed", u)
}

// logUserLocked logs a user lifecycle event (target: the User).
func (o *Org) logUserLocked(eventType string, u map[string]any) {
	o.logLocked(eventType, "SUCCESS", "", map[string]any{})
	e := o.logs[len(o.logs)-1]
	p := profileOf(u)
	e["displayMessage"] = userEventMessages[eventType]
	e["target"] = []any{map[string]any{"id": u["id"], "type": "User", "alternateId": p["login"],
		"displayName": fmt.Sprint(p["firstName"], " ", p["lastName"]), "detailEntry": nil}}
}

// userEventMessages: the System Log's user lifecycle event types (Okta's Event Types
// catalog; user.lifecycle.activate and .deactivate are in the spec's examples).
var userEventMessages = map[string]string{
	"user.lifecycle.create":           "Create Okta user",
	"user.lifecycle.activate":         "Activate Okta user",
	"user.lifecycle.deactivate":       "Deactivate Okta user",
	"user.lifecycle.delete.completed": "Delete Okta user completed",
	"user.account.update_profile":     "Update user profile for Okta",
}

// --- app user assignments -----------------------------------------------------------

func (o *Org) appUserView(host string, a *appUser) map[string]any {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.appUserViewLocked(host, a)
}

func (o *Org) appUserViewLocked(host string, a *appUser) map[string]any {
	var ext any
	if a.scimID != "" {
		ext = a.scimID
	}
	profile := map[string]any{}
	if u := o.findUser(a.userID); u != nil {
		p := profileOf(u)
		profile = map[string]any{"given_name": p["firstName"], "family_name": p["lastName"], "email": p["email"],
			"name": fmt.Sprint(p["firstName"], " ", p["lastName"])}
	}
	return map[string]any{"id": a.userID, "externalId": ext, "created": a.created, "lastUpdated": a.updated, "scope": "USER",
		"status": a.status, "statusChanged": a.statusChg, "passwordChanged": nil, "syncState": a.syncState,
		"credentials": map[string]any{"userName": a.userName}, "profile": profile,
		"_links": map[string]any{"app": map[string]any{"href": "http://" + host + "/api/v1/apps/" + a.appID},
			"user": map[string]any{"href": "http://" + host + "/api/v1/users/" + a.userID}}}
}

func (o *Org) routeAppUsers(w http.ResponseWriter, r *http.Request, app map[string]any, rest []string, body []byte) {
	appID := fmt.Sprint(app["id"])
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		o.mu.Lock()
		var ids []string
		for id := range o.pp().appUsers[appID] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		var sel []map[string]any
		for _, id := range ids {
			sel = append(sel, o.appUserViewLocked(r.Host, o.pp().appUsers[appID][id]))
		}
		o.mu.Unlock()
		writeIDPage(w, r, sel, 50, 500)
	case len(rest) == 0 && r.Method == http.MethodPost:
		o.assignUser(w, r, appID, body)
	case len(rest) == 1 && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		o.mu.Lock()
		a := o.pp().appUsers[appID][rest[0]]
		o.mu.Unlock()
		if a == nil {
			notFound(w, rest[0]+" (AppUser)")
			return
		}
		if r.Method == http.MethodGet {
			writeJSON(w, http.StatusOK, o.appUserView(r.Host, a))
			return
		}
		o.mu.Lock()
		delete(o.pp().appUsers[appID], a.userID)
		o.unassignedLocked(a)
		o.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w)
	}
}

func (o *Org) assignUser(w http.ResponseWriter, r *http.Request, appID string, body []byte) {
	var in struct {
		ID          string `json:"id"`
		Scope       string `json:"scope"`
		Credentials *struct {
			UserName string `json:"userName"`
		} `json:"credentials"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	if in.ID == "" {
		validation(w, "id", "id: The field cannot be left blank")
		return
	}
	o.mu.Lock()
	u := o.findUser(in.ID)
	if u == nil {
		o.mu.Unlock()
		notFound(w, in.ID+" (User)")
		return
	}
	userID := fmt.Sprint(u["id"])
	byUser := o.pp().appUsers[appID]
	if byUser == nil {
		byUser = map[string]*appUser{}
		o.pp().appUsers[appID] = byUser
	}
	a := byUser[userID]
	if a == nil {
		now := o.stamp()
		name := fmt.Sprint(profileOf(u)["login"])
		if in.Credentials != nil && in.Credentials.UserName != "" {
			name = in.Credentials.UserName
		}
		a = &appUser{appID: appID, userID: userID, userName: name, status: "ACTIVE", syncState: "DISABLED", created: now, updated: now, statusChg: now}
		byUser[userID] = a
		app := o.findApp(appID)
		o.logLocked("application.user_membership.add", "SUCCESS", "", app)
		o.assignedLocked(a)
	}
	out := o.appUserViewLocked(r.Host, a)
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// AddUser puts a user into the org as an earlier run would have left it: created at
// the given time (RFC 3339), with the given status, assigned to the apps named. It
// returns the user's id. Nothing is pushed to any SCIM server.
func (o *Org) AddUser(login, status, created string, appIDs ...string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := newID("00u")
	o.pp().users = append(o.pp().users, map[string]any{"id": id, "status": status, "created": created, "activated": created,
		"statusChanged": created, "lastLogin": nil, "lastUpdated": created, "passwordChanged": nil, "realmId": o.pp().realm,
		"type": map[string]any{"id": o.cx().userType}, "credentials": map[string]any{"provider": map[string]any{"type": "OKTA", "name": "OKTA"}},
		"profile": map[string]any{"login": login, "email": login, "firstName": "Leftover", "lastName": "Probe", "mobilePhone": nil, "secondEmail": nil}})
	for _, appID := range appIDs {
		if o.pp().appUsers[appID] == nil {
			o.pp().appUsers[appID] = map[string]*appUser{}
		}
		o.pp().appUsers[appID][id] = &appUser{appID: appID, userID: id, userName: login, status: "ACTIVE", syncState: "DISABLED", created: created, updated: created, statusChg: created}
	}
	return id
}

// Users lists the org's users (not its admins), in creation order.
func (o *Org) Users() []map[string]any {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []map[string]any
	for _, u := range o.pp().users {
		out = append(out, deepCopy(stripInternal(u)))
	}
	return out
}

// AppUserIDs lists the ids of the users assigned to an app directly.
func (o *Org) AppUserIDs(appID string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for id := range o.pp().appUsers[appID] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
