package oktaorg

// Group push mappings (spec tag GroupPushMapping, GA): /api/v1/apps/{appId}/group-push/
// mappings[/{mappingId}] — list (after, limit ≤ 1000, lastUpdated, sourceGroupId,
// status), create (201; targetGroupName makes or links a downstream group,
// targetGroupId links an existing app group; both or neither → 400), get, PATCH status
// ACTIVE|INACTIVE, DELETE (?deleteTargetGroup=true|false, required by the spec; the
// mapping must be INACTIVE).
//
// It is real: an ACTIVE mapping on an app with SCIM provisioning pushes the group to
// the app's SCIM server with the credentials the admin entered — GET /Groups?filter=
// displayName eq "…" then POST /Groups {displayName, members} (members: the Okta users
// the app has; the simulator has none, so an empty list), or PATCH /Groups/{id} for a
// linked group — and logs System Log events. Okta pushes asynchronously, after a delay
// nobody has documented: under the group-push variant's default (sync) the simulator
// pushes before it answers, so the answer already says ACTIVE (lastPush set) or ERROR
// (errorSummary set); under async the answer says ACTIVE without lastPush and the push
// happens Options.GroupPushDelay later. targetGroupId names an Okta group of type APP_GROUP belonging to
// the app (the spec's examples use 00g… ids): one made by an earlier push, or by
// ImportGroups (the console's group import).
//
// Choices where Okta's answer is not documented or recorded, each the documented
// E0000001/E0000007 shape: provisioning off or Push Groups off → 400 E0000001 (the tag
// says "You must have provisioning enabled in the target app"); a delete of an ACTIVE
// mapping → 400 E0000001 (the spec: "must be in an INACTIVE state"); an org without the
// API (Options.GroupPushAPI = false) → 401 E0000015 "You do not have permission to access
// the feature you are requesting", which is the spec's answer for a feature that is not
// enabled (response Error-FF-NotEnabled-Response-401).
//
// Event types are the System Log's for Group Push, from Okta's Events API to System Log
// migration guide: application.provision.group_push.mapping.created, …pushed, …updated,
// …activate_mapping, …deactivate_mapping, …delete_appgroup, and
// application.provision.group.import for a group import.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type pushMapping struct {
	id, appID, source, target  string // target: the Okta APP_GROUP
	status, errorSummary       string
	created, updated, lastPush string
}

// appGroupOf ties an Okta APP_GROUP to its app and to the group on the SCIM server.
type appGroupOf struct{ appID, scimID string }

func init() {
	for k, v := range map[string]string{
		"application.provision.group_push.mapping.created":    "Create group push mapping",
		"application.provision.group_push.pushed":             "Push group to app",
		"application.provision.group_push.updated":            "Update pushed group in app",
		"application.provision.group_push.activate_mapping":   "Activate group push mapping",
		"application.provision.group_push.deactivate_mapping": "Deactivate group push mapping",
		"application.provision.group_push.delete_appgroup":    "Delete pushed group from app",
		"application.provision.group.import":                  "Import groups from app",
	} {
		displayMessages[k] = v
	}
}

func (o *Org) groupPushAPI() bool { return o.opts.GroupPushAPI == nil || *o.opts.GroupPushAPI }

func pushErr(field, cause string) *fieldErr { return &fieldErr{field: field, cause: cause, bare: true} }

// pushReadyLocked says why the app cannot push groups, or nil.
func (o *Org) pushReadyLocked(appID string) *fieldErr {
	p, ok := o.prov[appID]
	switch {
	case !ok || !p.Enabled:
		return pushErr("groupPush", "Provisioning is not enabled for the app instance.")
	case !p.PushGroups:
		return pushErr("groupPush", "Push Groups is not enabled for the app instance.")
	}
	return nil
}

func (o *Org) findPush(appID, id string) *pushMapping {
	for _, m := range o.cx().pushes {
		if m.id == id && m.appID == appID {
			return m
		}
	}
	return nil
}

func (o *Org) pushView(host string, m *pushMapping) map[string]any {
	base := "http://" + host + "/api/v1"
	out := map[string]any{"id": m.id, "created": m.created, "lastUpdated": m.updated, "errorSummary": m.errorSummary,
		"sourceGroupId": m.source, "status": m.status, "targetGroupId": m.target,
		"_links": map[string]any{"app": map[string]any{"href": base + "/apps/" + m.appID},
			"sourceGroup": map[string]any{"href": base + "/groups/" + m.source},
			"targetGroup": map[string]any{"href": base + "/groups/" + m.target}}}
	if m.lastPush != "" {
		out["lastPush"] = m.lastPush
	}
	return out
}

// pushAnswer is a push write's answer: the mapping, under write-answers=minimal only
// its id and links, under bare an empty object (the spec requires no field of it).
func (o *Org) pushAnswer(host string, m *pushMapping) map[string]any {
	out := o.pushView(host, m)
	switch o.variant(VariantWriteAnswers) {
	case "minimal":
		out = map[string]any{"id": out["id"], "_links": out["_links"]}
	case "bare":
		out = map[string]any{}
	}
	return out
}

// routeGroupPush answers /api/v1/apps/{appId}/group-push/….
func (o *Org) routeGroupPush(w http.ResponseWriter, r *http.Request, app map[string]any, rest []string, body []byte) {
	if !o.groupPushAPI() {
		writeError(w, http.StatusUnauthorized, "E0000015", "You do not have permission to access the feature you are requesting", nil)
		return
	}
	if len(rest) == 0 || rest[0] != "mappings" || len(rest) > 2 {
		notFound(w, r.URL.Path)
		return
	}
	o.mu.Lock()
	appID := fmt.Sprint(app["id"])
	o.mu.Unlock()
	if len(rest) == 1 {
		switch r.Method {
		case http.MethodGet:
			o.listPushes(w, r, appID)
		case http.MethodPost:
			o.createPush(w, r, app, body)
		default:
			methodNotAllowed(w)
		}
		return
	}
	o.mu.Lock()
	m := o.findPush(appID, rest[1])
	o.mu.Unlock()
	if m == nil {
		notFound(w, rest[1]+" (GroupPushMapping)")
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPatch:
		if fe := o.patchPush(r.Context(), app, m, body); fe != nil {
			fe.write(w)
			return
		}
		o.mu.Lock()
		out := o.pushAnswer(r.Host, m)
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
		return
	case http.MethodDelete:
		if fe := o.deletePush(r.Context(), r.URL.Query(), app, m); fe != nil {
			fe.write(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		methodNotAllowed(w)
		return
	}
	o.mu.Lock()
	out := o.pushView(r.Host, m)
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (o *Org) listPushes(w http.ResponseWriter, r *http.Request, appID string) {
	q := r.URL.Query()
	var since time.Time
	if s := q.Get("lastUpdated"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			validation(w, "lastUpdated", "lastUpdated: must be a date and time like 2025-01-01T00:00:00Z")
			return
		}
		since = t
	}
	if s := q.Get("status"); s != "" && !contains([]string{"ACTIVE", "ERROR", "INACTIVE"}, s) {
		validation(w, "status", "status: Not one of the allowed values.")
		return
	}
	o.mu.Lock()
	var sel []*pushMapping
	for _, m := range o.cx().pushes {
		updated, _ := time.Parse(time.RFC3339Nano, m.updated)
		switch {
		case m.appID != appID:
		case q.Get("sourceGroupId") != "" && m.source != q.Get("sourceGroupId"):
		case q.Get("status") != "" && m.status != q.Get("status"):
		case !since.IsZero() && updated.Before(since):
		default:
			sel = append(sel, m)
		}
	}
	o.mu.Unlock()
	items, ok := page(w, r, sel, func(m *pushMapping) string { return m.id }, 100, 1000)
	if !ok {
		return
	}
	o.mu.Lock()
	out := make([]map[string]any, 0, len(items))
	for _, m := range items {
		out = append(out, o.pushView(r.Host, m))
	}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

type pushRequest struct {
	SourceGroupID   string         `json:"sourceGroupId"`
	Status          *string        `json:"status"`
	TargetGroupID   string         `json:"targetGroupId"`
	TargetGroupName string         `json:"targetGroupName"`
	AppConfig       map[string]any `json:"appConfig"`
}

func (o *Org) createPush(w http.ResponseWriter, r *http.Request, app map[string]any, body []byte) {
	var in pushRequest
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	m, fe := o.addPush(app, in)
	if fe != nil {
		fe.write(w)
		return
	}
	if in.Status == nil || *in.Status == "ACTIVE" {
		o.pushSoon(r.Context(), m)
	}
	o.mu.Lock()
	out := o.pushAnswer(r.Host, m)
	o.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

// addPush validates a create request and records the mapping (and, for a new
// downstream group, its Okta APP_GROUP).
func (o *Org) addPush(app map[string]any, in pushRequest) (*pushMapping, *fieldErr) {
	status := "ACTIVE"
	if in.Status != nil {
		status = *in.Status
	}
	switch {
	case strings.TrimSpace(in.SourceGroupID) == "":
		return nil, blank("sourceGroupId")
	case status != "ACTIVE" && status != "INACTIVE":
		return nil, notAllowed("status")
	case in.TargetGroupID != "" && in.TargetGroupName != "":
		return nil, pushErr("targetGroupId", "Either targetGroupId or targetGroupName must be provided, but not both.")
	case in.TargetGroupID == "" && strings.TrimSpace(in.TargetGroupName) == "":
		return nil, pushErr("targetGroupId", "Either targetGroupId or targetGroupName must be provided.")
	case in.AppConfig != nil:
		return nil, pushErr("appConfig", "appConfig: Only Active Directory apps take an app configuration.")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	appID := fmt.Sprint(app["id"])
	if fe := o.pushReadyLocked(appID); fe != nil {
		return nil, fe
	}
	src := o.findGroup(in.SourceGroupID)
	if src == nil && o.variant(VariantUnknownPushSource) == "404" {
		return nil, &fieldErr{field: "sourceGroupId", cause: in.SourceGroupID + " (UserGroup)", status: http.StatusNotFound}
	}
	if src == nil || src["type"] != "OKTA_GROUP" {
		return nil, pushErr("sourceGroupId", "sourceGroupId: No Okta group with this id.")
	}
	c := o.cx()
	for _, m := range c.pushes {
		if m.appID == appID && m.source == in.SourceGroupID {
			return nil, pushErr("sourceGroupId", "sourceGroupId: The group is already pushed to this app.")
		}
	}
	target := in.TargetGroupID
	if target != "" {
		if ag := c.appGroups[target]; ag == nil || ag.appID != appID {
			return nil, pushErr("targetGroupId", "targetGroupId: No group of this app has this id.")
		}
	} else {
		target = o.appGroupNamedLocked(appID, in.TargetGroupName)
		if target == "" {
			target = o.addAppGroupLocked(app, in.TargetGroupName, "")
		}
	}
	for _, m := range c.pushes {
		if m.target == target {
			return nil, pushErr("targetGroupId", "targetGroupId: The target group is already linked to another Okta group.")
		}
	}
	now := o.stamp()
	m := &pushMapping{id: newID("gPm"), appID: appID, source: in.SourceGroupID, target: target, status: status, created: now, updated: now}
	c.pushes = append(c.pushes, m)
	o.logGroupLocked("application.provision.group_push.mapping.created", "SUCCESS", "", app, src)
	return m, nil
}

func (o *Org) patchPush(ctx context.Context, app map[string]any, m *pushMapping, body []byte) *fieldErr {
	var in struct {
		Status *string `json:"status"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return &fieldErr{field: "status", cause: "The request body was not well-formed"}
	}
	switch {
	case in.Status == nil:
		return blank("status")
	case *in.Status != "ACTIVE" && *in.Status != "INACTIVE":
		return notAllowed("status")
	}
	o.mu.Lock()
	if *in.Status == "ACTIVE" {
		if fe := o.pushReadyLocked(m.appID); fe != nil {
			o.mu.Unlock()
			return fe
		}
	}
	m.status, m.updated = *in.Status, o.stamp()
	event := "application.provision.group_push.deactivate_mapping"
	if m.status == "ACTIVE" {
		event = "application.provision.group_push.activate_mapping"
	}
	o.logGroupLocked(event, "SUCCESS", "", app, o.findGroup(m.source))
	o.mu.Unlock()
	if *in.Status == "ACTIVE" {
		o.pushSoon(ctx, m) // "Okta performs an initial push to the target group"
	}
	return nil
}

func (o *Org) deletePush(ctx context.Context, q url.Values, app map[string]any, m *pushMapping) *fieldErr {
	var deleteTarget bool
	switch q.Get("deleteTargetGroup") {
	case "true":
		deleteTarget = true
	case "false":
	case "":
		return blank("deleteTargetGroup")
	default:
		return &fieldErr{field: "deleteTargetGroup", cause: "must be true or false"}
	}
	o.mu.Lock()
	if m.status != "INACTIVE" {
		o.mu.Unlock()
		return pushErr("status", "The group push mapping must be in an INACTIVE state to be deleted.")
	}
	c := o.cx()
	for i, x := range c.pushes {
		if x == m {
			c.pushes = append(c.pushes[:i], c.pushes[i+1:]...)
			break
		}
	}
	ag := c.appGroups[m.target]
	base, authz := o.scimTargetLocked(m.appID)
	o.mu.Unlock()
	if !deleteTarget {
		return nil
	}
	result, reason := "SUCCESS", ""
	if ag != nil && ag.scimID != "" && base != "" {
		code, _, err := o.scimDo(ctx, http.MethodDelete, base+"/Groups/"+url.PathEscape(ag.scimID), authz, nil)
		if err != nil || (code/100 != 2 && code != http.StatusNotFound) {
			result, reason = "FAILURE", scimFailure("delete the group", code, err)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	group := o.findGroup(m.target)
	o.removeAppGroupLocked(m.target)
	o.logGroupLocked("application.provision.group_push.delete_appgroup", result, reason, app, group)
	return nil
}

// --- talking to the app's SCIM server -----------------------------------------------

// scimTargetLocked is the app's SCIM base URL and Authorization header ("" when the
// app has no provisioning connection).
func (o *Org) scimTargetLocked(appID string) (string, string) {
	p, ok := o.prov[appID]
	if !ok || !p.Enabled {
		return "", ""
	}
	return strings.TrimRight(p.BaseURL, "/"), o.cx().authz[appID]
}

// scimDo sends one SCIM request as Okta's SCIM client does and decodes a JSON answer.
func (o *Org) scimDo(ctx context.Context, method, u, authz string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("User-Agent", "Okta SCIM Client 1.0.0")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := o.opts.SCIMClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("could not connect to the SCIM server: %s", strings.ReplaceAll(err.Error(), authz, ""))
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out)
	return resp.StatusCode, out, nil
}

func scimFailure(what string, code int, err error) string {
	if err != nil {
		return "Could not " + what + " in the app: " + err.Error()
	}
	return fmt.Sprintf("Could not %s in the app: HTTP %d %s", what, code, http.StatusText(code))
}

// pushSoon pushes the mapping's group now (group-push=sync) or, under async, after
// Options.GroupPushDelay in the background; it says whether the push is still to come.
func (o *Org) pushSoon(ctx context.Context, m *pushMapping) (later bool) {
	if o.variant(VariantGroupPush) != "async" {
		o.push(ctx, m)
		return false
	}
	o.background.Add(1)
	go func() {
		defer o.background.Done()
		time.Sleep(o.opts.GroupPushDelay)
		o.mu.Lock()
		current := o.findPush(m.appID, m.id) == m && m.status == "ACTIVE"
		o.mu.Unlock()
		if !current {
			return // deleted or deactivated meanwhile
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		o.push(ctx, m)
	}()
	return true
}

// push pushes a mapping's group to the app's SCIM server and records the outcome.
func (o *Org) push(ctx context.Context, m *pushMapping) {
	o.mu.Lock()
	app := o.findApp(m.appID)
	ag := o.cx().appGroups[m.target]
	target := o.findGroup(m.target)
	base, authz := o.scimTargetLocked(m.appID)
	v11 := app != nil && app["name"] == "scim1testapp"
	var scimID, name string
	if ag != nil && target != nil {
		scimID, name = ag.scimID, groupName(target)
	}
	o.mu.Unlock()
	if app == nil || ag == nil || target == nil {
		return
	}
	linked, reason := scimID != "", ""
	if base == "" {
		reason = "Provisioning is not enabled for the app instance."
	}
	schema := "urn:ietf:params:scim:schemas:core:2.0:Group"
	if v11 {
		schema = "urn:scim:schemas:core:1.0"
	}
	if reason == "" && !linked {
		// Okta looks for a group of that name first: if it exists, the mapping links to it.
		code, out, err := o.scimDo(ctx, http.MethodGet, base+"/Groups?filter="+url.QueryEscape(`displayName eq "`+name+`"`), authz, nil)
		if res, _ := out["Resources"].([]any); err == nil && code == http.StatusOK && len(res) > 0 {
			if g, _ := res[0].(map[string]any); g != nil && g["id"] != nil {
				scimID, linked = fmt.Sprint(g["id"]), true
			}
		}
	}
	event := "application.provision.group_push.pushed"
	switch {
	case reason != "":
	case linked:
		event = "application.provision.group_push.updated"
		var body map[string]any
		if v11 {
			body = map[string]any{"schemas": []any{schema}, "displayName": name}
		} else {
			body = map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"id": scimID, "displayName": name}}}}
		}
		code, _, err := o.scimDo(ctx, http.MethodPatch, base+"/Groups/"+url.PathEscape(scimID), authz, body)
		if err != nil || code/100 != 2 {
			reason = scimFailure("update the group", code, err)
		}
	default:
		code, out, err := o.scimDo(ctx, http.MethodPost, base+"/Groups", authz,
			map[string]any{"schemas": []any{schema}, "displayName": name, "members": []any{}})
		if err != nil || code != http.StatusCreated || out["id"] == nil {
			reason = scimFailure("create the group", code, err)
		} else {
			scimID = fmt.Sprint(out["id"])
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.stamp()
	m.updated = now
	result := "SUCCESS"
	if reason != "" {
		m.status, m.errorSummary, result = "ERROR", reason, "FAILURE"
	} else {
		m.status, m.errorSummary, m.lastPush = "ACTIVE", "", now
		if g := o.cx().appGroups[m.target]; g != nil {
			g.scimID = scimID
		}
	}
	o.logGroupLocked(event, result, reason, app, o.findGroup(m.source))
}

// --- Okta's app groups ----------------------------------------------------------------

func (o *Org) addAppGroupLocked(app map[string]any, name, scimID string) string {
	id := newID("00g")
	now := o.stamp()
	appID := fmt.Sprint(app["id"])
	// objectClass: Okta names app groups' object class per app type; the value for a
	// SCIM app is not recorded, so this one is the simulator's.
	o.groups = append(o.groups, map[string]any{"id": id, "created": now, "lastUpdated": now, "lastMembershipUpdated": now,
		"objectClass": []any{"okta:app_group"}, "type": "APP_GROUP", "profile": map[string]any{"name": name, "description": ""},
		"_links": map[string]any{"source": map[string]any{"href": "/api/v1/apps/" + appID},
			"users": map[string]any{"href": "/api/v1/groups/" + id + "/users"}, "apps": map[string]any{"href": "/api/v1/groups/" + id + "/apps"}}})
	o.cx().appGroups[id] = &appGroupOf{appID: appID, scimID: scimID}
	return id
}

func (o *Org) appGroupNamedLocked(appID, name string) string {
	for id, ag := range o.cx().appGroups {
		if g := o.findGroup(id); ag.appID == appID && g != nil && groupName(g) == name {
			return id
		}
	}
	return ""
}

func (o *Org) removeAppGroupLocked(id string) {
	delete(o.cx().appGroups, id)
	for i, g := range o.groups {
		if g["id"] == id {
			o.groups = append(o.groups[:i], o.groups[i+1:]...)
			return
		}
	}
}

// logGroupLocked logs an event about an app and a group (System Log targets: the
// AppInstance, then the UserGroup).
func (o *Org) logGroupLocked(eventType, result, reason string, app, group map[string]any) {
	o.logLocked(eventType, result, reason, app)
	if group == nil {
		return
	}
	e := o.logs[len(o.logs)-1]
	e["target"] = append(e["target"].([]any), map[string]any{"id": group["id"], "type": "UserGroup",
		"alternateId": groupName(group), "displayName": groupName(group), "detailEntry": nil})
}

// forgetAppLocked drops what the simulator keeps beside a deleted app: its schema,
// mappings, group push mappings and app groups.
func (o *Org) forgetAppLocked(appID string) {
	c := o.cx()
	delete(c.apps, appID)
	delete(c.authz, appID)
	delete(c.schemas, appID)
	keep := c.mappings[:0]
	for _, m := range c.mappings {
		if m.appID != appID {
			keep = append(keep, m)
		}
	}
	c.mappings = keep
	pushes := c.pushes[:0]
	for _, m := range c.pushes {
		if m.appID != appID {
			pushes = append(pushes, m)
		}
	}
	c.pushes = pushes
	for id, ag := range c.appGroups {
		if ag.appID == appID {
			o.removeAppGroupLocked(id)
		}
	}
}

// --- the admin stand-in -------------------------------------------------------------

// PushGroup does what an admin does on an app's Push Groups tab (Push Groups → Find
// groups by name → Save): it maps an Okta group to a new or same-named group in the app
// (targetName; "" → the Okta group's name) and pushes it. It works whether or not the org
// has the Group Push Mappings API. It returns the mapping's id; the error says why the
// push failed (the mapping then exists with status ERROR) or why there is no mapping.
func (o *Org) PushGroup(ctx context.Context, appID, groupID, targetName string) (string, error) {
	o.mu.Lock()
	app := o.findApp(appID)
	g := o.findGroup(groupID)
	o.mu.Unlock()
	switch {
	case app == nil:
		return "", fmt.Errorf("no app %s", appID)
	case g == nil:
		return "", fmt.Errorf("no group %s", groupID)
	}
	if targetName == "" {
		targetName = groupName(g)
	}
	m, fe := o.addPush(app, pushRequest{SourceGroupID: groupID, TargetGroupName: targetName})
	if fe != nil {
		return "", fmt.Errorf("%s", fe.cause)
	}
	if o.pushSoon(ctx, m) {
		return m.id, nil // pushed later: the tab shows no result yet
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if m.status == "ERROR" {
		return m.id, fmt.Errorf("%s", m.errorSummary)
	}
	return m.id, nil
}

// ImportGroups does what an admin does with Import → Import Now when the app imports
// groups: it reads the SCIM server's /Groups and makes an Okta APP_GROUP for each group
// it does not know yet. It returns the ids of the app's groups, in the server's order.
func (o *Org) ImportGroups(ctx context.Context, appID string) ([]string, error) {
	o.mu.Lock()
	app := o.findApp(appID)
	c := o.cx().apps[appID]
	base, authz := o.scimTargetLocked(appID)
	o.mu.Unlock()
	switch {
	case app == nil:
		return nil, fmt.Errorf("no app %s", appID)
	case base == "":
		return nil, fmt.Errorf("provisioning is not enabled for app %s", appID)
	case c != nil && !c.importGroups:
		return nil, fmt.Errorf("import groups is not enabled for app %s", appID)
	}
	var ids []string
	for start := 1; start < 10000; {
		code, out, err := o.scimDo(ctx, http.MethodGet, fmt.Sprintf("%s/Groups?startIndex=%d&count=100", base, start), authz, nil)
		if err != nil || code != http.StatusOK {
			reason := scimFailure("read the groups", code, err)
			o.mu.Lock()
			o.logLocked("application.provision.group.import", "FAILURE", reason, app)
			o.mu.Unlock()
			return nil, fmt.Errorf("%s", reason)
		}
		res, _ := out["Resources"].([]any)
		o.mu.Lock()
		for _, r := range res {
			g, _ := r.(map[string]any)
			if g == nil || g["id"] == nil {
				continue
			}
			scimID, known := fmt.Sprint(g["id"]), ""
			for id, ag := range o.cx().appGroups {
				if ag.appID == appID && ag.scimID == scimID {
					known = id
				}
			}
			if known == "" {
				known = o.addAppGroupLocked(app, fmt.Sprint(g["displayName"]), scimID)
			}
			ids = append(ids, known)
		}
		o.mu.Unlock()
		total, _ := out["totalResults"].(float64)
		start += len(res)
		if len(res) == 0 || float64(start) > total {
			break
		}
	}
	o.mu.Lock()
	o.logLocked("application.provision.group.import", "SUCCESS", "", app)
	o.mu.Unlock()
	return ids, nil
}
