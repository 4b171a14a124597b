package oktaorg

// The provisioner: like Okta, the org pushes users to an app's SCIM server
// asynchronously (Options.ProvisioningDelay after the change), honouring the app's
// USER_PROVISIONING capabilities — create on assignment (create.lifecycleCreate),
// update on a profile change (update.profile), deactivate on unassignment or when the
// Okta user is deactivated (update.lifecycleDeactivate) — with the credentials the
// admin entered. It sends what Okta's SCIM client sends (Okta's SCIM 2.0 and 1.1
// provisioning guides, and its published CRUD test suites in
// ../shared/reference/okta-scim-runscope): GET /Users?filter=userName eq "…" first and
// link an existing user, else POST /Users; PUT /Users/{id} with the whole user for a
// profile update; PATCH active=false (SCIM 2.0) or PUT with active=false (SCIM 1.1) to
// deactivate. Okta never DELETEs a user.
//
// It logs the System Log events Okta logs for these, named as in Okta's Event Types
// catalog (developer.okta.com/docs/reference/api/event-types, and
// ../shared/design/okta-api.md §3): application.provision.user.push (create or link),
// application.provision.user.push_profile, application.provision.user.deactivate, with
// outcome FAILURE and the SCIM server's answer as the reason when it refuses, and
// application.user_membership.add/remove for the assignment itself. The reason's
// wording is the simulator's ("Errors reported by remote server: HTTP 409 Conflict: …").
// A STAGED user is not provisioned until it is activated (Okta provisions active and
// provisioned users).

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Variants of the provisioner: what the reference does not confirm (variants.go).
const (
	// VariantProvisionStaged: when Okta pushes a user assigned while still STAGED.
	VariantProvisionStaged = "provision-staged"
	// VariantProfileUpdate: how Okta sends a profile change to a SCIM 2.0 server.
	VariantProfileUpdate = "profile-update"
	// VariantProvisionEventTargets: what a provisioning event's targets name.
	VariantProvisionEventTargets = "provision-event-targets"
)

func init() {
	variantList = append(variantList,
		Variant{Name: VariantProvisionStaged,
			Doc: "When Okta creates a user on the SCIM server whose Okta user is STAGED when it is assigned: `on-activation` once the user is " +
				"activated (PROVISIONED or ACTIVE); `on-assignment` right away.",
			Values: []string{"on-activation", "on-assignment"},
			Known:  "Okta's docs say STAGED users are not yet active and that apps provision active users; whether an assignment of a STAGED user is pushed before activation is not documented or recorded.",
			Source: "Okta Users API lifecycle docs; not recorded"},
		Variant{Name: VariantProfileUpdate,
			Doc: "How a profile change reaches a SCIM 2.0 server: `put` PUT /Users/{id} with the whole user; `patch` PATCH /Users/{id} " +
				"with a PatchOp replace of the changed attributes (SCIM 1.1 always gets PUT).",
			Values: []string{"put", "patch"},
			Known:  "Okta's SCIM 2.0 guide: PATCH for active changes, PUT for profile updates unless the integration opts into PATCH; which one an OIN template app uses is not recorded.",
			Source: "developer.okta.com SCIM 2.0 provisioning guide; okta-scim-runscope CRUD suites"},
		Variant{Name: VariantProvisionEventTargets,
			Doc: "What the System Log targets of a user provisioning event (application.provision.user.*) name: `app-and-user` the " +
				"AppInstance and the User; `app` the AppInstance only.",
			Values: []string{"app-and-user", "app"},
			Known:  "The Event Types catalog names the events, not their targets; none is recorded.",
			Source: "developer.okta.com Event Types catalog; not recorded"},
	)
	for k, v := range map[string]string{
		"application.provision.user.push":         "Push user to app",
		"application.provision.user.push_profile": "Push user profile to app",
		"application.provision.user.deactivate":   "Deactivate user in app",
		"application.user_membership.add":         "Add user to application membership",
		"application.user_membership.remove":      "Remove user from application membership",
	} {
		displayMessages[k] = v
	}
}

type pushKind int

const (
	pushCreate pushKind = iota
	pushUpdate
	pushDeactivate
)

// provisionQueue orders one assignment's pushes: they run one after another.
type provisionQueue struct {
	jobs    []pushKind
	running bool
}

func (o *Org) provisioningDelay() time.Duration {
	if o.opts.ProvisioningDelay > 0 {
		return o.opts.ProvisioningDelay
	}
	return 200 * time.Millisecond
}

// capabilityOn reads one USER_PROVISIONING capability; o.mu must be held.
func (o *Org) capabilityOn(appID, section, name string) bool {
	p, ok := o.prov[appID]
	if !ok || !p.Enabled {
		return false
	}
	sec, _ := p.features["USER_PROVISIONING"][section].(map[string]any)
	c, _ := sec[name].(map[string]any)
	return c != nil && c["status"] == "ENABLED"
}

// assignedLocked: a user was assigned (or activated while assigned).
func (o *Org) assignedLocked(a *appUser) {
	u := o.findUser(a.userID)
	switch {
	case u == nil || u["status"] == "DEPROVISIONED" || !o.capabilityOn(a.appID, "create", "lifecycleCreate"):
		return
	case u["status"] == "STAGED" && o.variant(VariantProvisionStaged) == "on-activation":
		return
	case a.scimID != "" || a.syncState == "SYNCING":
		return // pushed already (on assignment, before the activation)
	}
	a.syncState = "SYNCING"
	o.enqueueLocked(a, pushCreate)
}

// unassignedLocked: a user's assignment ended (unassigned, or the user deactivated).
func (o *Org) unassignedLocked(a *appUser) {
	if app := o.findApp(a.appID); app != nil {
		o.logLocked("application.user_membership.remove", "SUCCESS", "", app)
	}
	a.status = "DEPROVISIONED"
	if a.scimID == "" && a.syncState != "SYNCING" || !o.capabilityOn(a.appID, "update", "lifecycleDeactivate") {
		return
	}
	o.enqueueLocked(a, pushDeactivate)
}

// profileChangedLocked: an Okta user's profile changed; push it where updates are on.
func (o *Org) profileChangedLocked(u map[string]any) {
	id := fmt.Sprint(u["id"])
	for appID, byUser := range o.pp().appUsers {
		if a := byUser[id]; a != nil && (a.scimID != "" || a.syncState == "SYNCING") && o.capabilityOn(appID, "update", "profile") {
			o.enqueueLocked(a, pushUpdate)
		}
	}
}

func (o *Org) enqueueLocked(a *appUser, k pushKind) {
	q := &a.queue
	q.jobs = append(q.jobs, k)
	if q.running {
		return
	}
	q.running = true
	o.people.background.Add(1)
	go func() {
		defer o.people.background.Done()
		time.Sleep(o.provisioningDelay())
		for {
			o.mu.Lock()
			if len(q.jobs) == 0 {
				q.running = false
				o.mu.Unlock()
				return
			}
			k := q.jobs[0]
			q.jobs = q.jobs[1:]
			o.mu.Unlock()
			o.pushUser(a, k)
		}
	}()
}

// WaitProvisioning waits until every scheduled push has run.
func (o *Org) WaitProvisioning() { o.people.background.Wait() }

// scimUser is the SCIM resource Okta sends for a user.
func scimUser(v11 bool, userName string, profile map[string]any, active bool) map[string]any {
	str := func(k string) string { s, _ := profile[k].(string); return s }
	schema := "urn:ietf:params:scim:schemas:core:2.0:User"
	if v11 {
		schema = "urn:scim:schemas:core:1.0"
	}
	return map[string]any{"schemas": []any{schema}, "userName": userName,
		"name":        map[string]any{"givenName": str("firstName"), "familyName": str("lastName")},
		"emails":      []any{map[string]any{"primary": true, "value": str("email"), "type": "work"}},
		"displayName": str("firstName") + " " + str("lastName"), "active": active}
}

// pushUser sends one push to the app's SCIM server and records the outcome.
func (o *Org) pushUser(a *appUser, k pushKind) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	o.mu.Lock()
	app := o.findApp(a.appID)
	u := o.findUser(a.userID)
	base, authz := o.scimTargetLocked(a.appID)
	var profile map[string]any
	if u != nil {
		profile = deepCopy(profileOf(u))
	}
	scimID, userName := a.scimID, a.userName
	patchUpdates := o.variant(VariantProfileUpdate) == "patch"
	appOnly := o.variant(VariantProvisionEventTargets) == "app"
	o.mu.Unlock()
	if app == nil || base == "" {
		return
	}
	if profile == nil {
		profile = map[string]any{}
	}
	v11 := app["name"] == "scim1testapp"
	login := fmt.Sprint(profile["login"])
	event, reason := "", ""
	switch k {
	case pushCreate:
		event = "application.provision.user.push"
		filter := url.QueryEscape(fmt.Sprintf("userName eq %q", userName))
		code, out, err := o.scimDo(ctx, http.MethodGet, base+"/Users?filter="+filter+"&startIndex=1&count=100", authz, nil)
		if res, _ := out["Resources"].([]any); err == nil && code == http.StatusOK && len(res) > 0 {
			if m, _ := res[0].(map[string]any); m != nil && m["id"] != nil {
				scimID = fmt.Sprint(m["id"])
				break
			}
		}
		if err == nil && code != http.StatusOK {
			reason = remoteFailure("searching for user "+login, code, out)
			break
		}
		code, out, err = o.scimDo(ctx, http.MethodPost, base+"/Users", authz, scimUser(v11, userName, profile, true))
		switch {
		case err != nil:
			reason = "Error while creating user " + login + ": " + err.Error()
		case code != http.StatusCreated && code != http.StatusOK || out["id"] == nil:
			reason = remoteFailure("creating user "+login, code, out)
		default:
			scimID = fmt.Sprint(out["id"])
		}
	case pushUpdate:
		event = "application.provision.user.push_profile"
		if scimID == "" {
			return // the create failed or never ran: nothing to update
		}
		method, body := http.MethodPut, scimUser(v11, userName, profile, true)
		body["id"] = scimID
		if !v11 && patchUpdates {
			delete(body, "schemas")
			delete(body, "id")
			method, body = http.MethodPatch, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "replace", "value": body}}}
		}
		code, out, err := o.scimDo(ctx, method, base+"/Users/"+url.PathEscape(scimID), authz, body)
		if err != nil {
			reason = "Error while updating user " + login + ": " + err.Error()
		} else if code != http.StatusOK {
			reason = remoteFailure("updating user "+login, code, out)
		}
	case pushDeactivate:
		event = "application.provision.user.deactivate"
		if scimID == "" {
			return
		}
		var code int
		var out map[string]any
		var err error
		if v11 {
			body := scimUser(v11, userName, profile, false)
			body["id"] = scimID
			code, out, err = o.scimDo(ctx, http.MethodPut, base+"/Users/"+url.PathEscape(scimID), authz, body)
		} else {
			code, out, err = o.scimDo(ctx, http.MethodPatch, base+"/Users/"+url.PathEscape(scimID), authz,
				map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
					"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": false}}}})
		}
		if err != nil {
			reason = "Error while deactivating user " + login + ": " + err.Error()
		} else if code != http.StatusOK && code != http.StatusNoContent {
			reason = remoteFailure("deactivating user "+login, code, out)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.stamp()
	a.updated = now
	result := "SUCCESS"
	if reason != "" {
		result, a.syncState = "FAILURE", "ERROR"
	} else {
		a.syncState = "SYNCHRONIZED"
		if k == pushCreate {
			a.scimID, a.status, a.statusChg = scimID, "PROVISIONED", now
		}
	}
	if cur := o.findApp(a.appID); cur != nil {
		o.logLocked(event, result, reason, cur)
		if u := o.findUser(a.userID); u != nil && !appOnly {
			e := o.logs[len(o.logs)-1]
			p := profileOf(u)
			e["target"] = append(e["target"].([]any), map[string]any{"id": u["id"], "type": "User", "alternateId": p["login"],
				"displayName": fmt.Sprint(p["firstName"], " ", p["lastName"]), "detailEntry": nil})
		}
	}
}

// remoteFailure is the reason Okta gives when the SCIM server refused a request,
// with the server's own SCIM error (status, scimType, detail).
func remoteFailure(what string, code int, out map[string]any) string {
	msg := fmt.Sprintf("Error while %s: Errors reported by remote server: HTTP %d %s", what, code, http.StatusText(code))
	if t, _ := out["scimType"].(string); t != "" {
		msg += ", scimType " + t
	}
	if d, _ := out["detail"].(string); d != "" {
		msg += ": " + d
	}
	return msg
}
