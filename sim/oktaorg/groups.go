package oktaorg

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// AddGroup creates an Okta group and returns its id.
func (o *Org) AddGroup(name string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.addGroupLocked(name, "")
}

func (o *Org) addGroupLocked(name, description string) string {
	return o.addGroupOfType(name, description, "OKTA_GROUP")
}

// addGroupOfType adds a group shaped as recorded (TestAccResourceOktaAppGroupAssignment_crud);
// o.mu must be held.
func (o *Org) addGroupOfType(name, description, typ string) string {
	id := newID("00g")
	now := o.stamp()
	logo := "https://op3static2.oktacdn.com/assets/img/logos/groups/odyssey/okta-"
	o.groups = append(o.groups, map[string]any{"id": id, "created": now, "lastUpdated": now, "lastMembershipUpdated": now,
		"objectClass": []any{"okta:user_group"}, "type": typ, "profile": map[string]any{"name": name, "description": description},
		"_links": map[string]any{
			"logo": []any{map[string]any{"name": "medium", "href": logo + "medium.30ce6d4085dff29412984e4c191bc874.png", "type": "image/png"},
				map[string]any{"name": "large", "href": logo + "large.c3cb8cda8ae0add1b4fe928f5844dbe3.png", "type": "image/png"}},
			"owners": map[string]any{"href": "/api/v1/groups/" + id + "/owners"},
			"users":  map[string]any{"href": "/api/v1/groups/" + id + "/users"}, "apps": map[string]any{"href": "/api/v1/groups/" + id + "/apps"}}})
	return id
}

func (o *Org) findGroup(id string) map[string]any {
	for _, g := range o.groups {
		if g["id"] == id {
			return g
		}
	}
	return nil
}

func groupName(g map[string]any) string {
	p, _ := g["profile"].(map[string]any)
	s, _ := p["name"].(string)
	return s
}

func (o *Org) routeGroups(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		prefix := strings.ToLower(r.URL.Query().Get("q"))
		o.mu.Lock()
		var sel []map[string]any
		for _, g := range o.groups {
			if prefix == "" || strings.HasPrefix(strings.ToLower(groupName(g)), prefix) {
				sel = append(sel, deepCopy(g))
			}
		}
		o.mu.Unlock()
		out, ok := page(w, r, sel, func(g map[string]any) string { return g["id"].(string) }, 10000, 10000)
		if !ok {
			return
		}
		if out == nil {
			out = []map[string]any{}
		}
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 0 && r.Method == http.MethodPost:
		var in struct {
			Profile struct {
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"profile"`
		}
		if err := json.Unmarshal(body, &in); err != nil || strings.TrimSpace(in.Profile.Name) == "" {
			validation(w, "profile", "profile.name: The field cannot be left blank")
			return
		}
		o.mu.Lock()
		id := o.addGroupLocked(in.Profile.Name, in.Profile.Description)
		out := deepCopy(o.findGroup(id))
		o.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 1 && r.Method == http.MethodDelete:
		o.mu.Lock()
		found := false
		for i, g := range o.groups {
			if g["id"] == rest[0] {
				o.groups = append(o.groups[:i], o.groups[i+1:]...)
				found = true
				break
			}
		}
		for app, list := range o.appGroups {
			for i, a := range list {
				if a.GroupID == rest[0] {
					o.appGroups[app] = append(list[:i], list[i+1:]...)
					break
				}
			}
		}
		o.mu.Unlock()
		if !found {
			notFound(w, rest[0]+" (UserGroup)")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case len(rest) == 1 && r.Method == http.MethodGet:
		o.mu.Lock()
		g := o.findGroup(rest[0])
		var out map[string]any
		if g != nil {
			out = deepCopy(g)
		}
		o.mu.Unlock()
		if out == nil {
			notFound(w, rest[0]+" (UserGroup)")
			return
		}
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 2 && rest[1] == "apps" && o.variant(VariantGroupApps) == "served":
		if r.Method != http.MethodGet {
			methodNotAllowed(w)
			return
		}
		o.listGroupApps(w, r, rest[0])
	default:
		// group-apps=missing lands here too: the answer to any unknown path.
		notFound(w, r.URL.Path)
	}
}

// listGroupApps answers GET /api/v1/groups/{groupId}/apps: the apps the group is
// assigned to, in the org's order, as GET /api/v1/apps returns them.
func (o *Org) listGroupApps(w http.ResponseWriter, r *http.Request, groupID string) {
	o.mu.Lock()
	if o.findGroup(groupID) == nil {
		o.mu.Unlock()
		notFound(w, groupID+" (UserGroup)")
		return
	}
	inactiveListed := o.variant(VariantGroupAppsInactive) == "listed"
	sel := []map[string]any{}
	for _, a := range o.apps {
		if !inactiveListed && a["status"] != "ACTIVE" {
			continue
		}
		for _, as := range o.appGroups[a["id"].(string)] {
			if as.GroupID == groupID {
				sel = append(sel, o.appView(a))
				break
			}
		}
	}
	o.mu.Unlock()
	items, ok := page(w, r, sel, func(a map[string]any) string { return a["id"].(string) }, 20, 200)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, items)
}

// AssignGroup assigns a group to an app as the console would (for tests and seeding).
func (o *Org) AssignGroup(appID, groupID string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	app := o.findApp(appID)
	if app == nil || o.findGroup(groupID) == nil {
		return fmt.Errorf("oktaorg: no app %s or group %s", appID, groupID)
	}
	o.assignLocked(app, groupID)
	return nil
}

// assignLocked adds (or refreshes) an assignment; o.mu must be held.
func (o *Org) assignLocked(app map[string]any, groupID string) assignment {
	appID := app["id"].(string)
	a := assignment{GroupID: groupID, LastUpdated: o.stamp(), Priority: len(o.appGroups[appID])}
	for i, have := range o.appGroups[appID] {
		if have.GroupID == groupID {
			a.Priority = have.Priority
			o.appGroups[appID][i] = a
			return a
		}
	}
	o.appGroups[appID] = append(o.appGroups[appID], a)
	o.logLocked("group.application_assignment.add", "SUCCESS", "", app)
	return a
}

// AppGroupIDs lists the groups assigned to an app.
func (o *Org) AppGroupIDs(appID string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, a := range o.appGroups[appID] {
		out = append(out, a.GroupID)
	}
	return out
}

// assignmentView is an ApplicationGroupAssignment as recorded; with expand=group (and
// assignment-expand=embedded) the group object rides in _embedded.group. o.mu must be held.
func (o *Org) assignmentView(r *http.Request, appID string, a assignment) map[string]any {
	base := "http://" + r.Host + "/api/v1"
	out := map[string]any{"id": a.GroupID, "lastUpdated": a.LastUpdated, "priority": a.Priority, "profile": map[string]any{},
		"_links": map[string]any{"app": map[string]any{"href": base + "/apps/" + appID}, "self": map[string]any{"href": base + "/apps/" + appID + "/groups/" + a.GroupID},
			"group": map[string]any{"href": base + "/groups/" + a.GroupID}}}
	if r.URL.Query().Get("expand") == "group" && o.variant(VariantAssignmentExpand) == "embedded" {
		if g := o.findGroup(a.GroupID); g != nil {
			out["_embedded"] = map[string]any{"group": deepCopy(g)}
		}
	}
	return out
}

func (o *Org) routeAppGroups(w http.ResponseWriter, r *http.Request, app map[string]any, rest []string, _ []byte) {
	appID := app["id"].(string)
	if len(rest) == 0 {
		if r.Method != http.MethodGet {
			methodNotAllowed(w)
			return
		}
		o.mu.Lock()
		list := make([]map[string]any, 0, len(o.appGroups[appID]))
		for _, a := range o.appGroups[appID] {
			list = append(list, o.assignmentView(r, appID, a))
		}
		o.mu.Unlock()
		items, ok := page(w, r, list, func(a map[string]any) string { return a["id"].(string) }, 20, 200)
		if !ok {
			return
		}
		writeJSON(w, http.StatusOK, items)
		return
	}
	gid := rest[0]
	o.mu.Lock()
	defer o.mu.Unlock()
	g := o.findGroup(gid)
	if g == nil {
		o.mu.Unlock()
		notFound(w, gid+" (UserGroup)")
		o.mu.Lock()
		return
	}
	idx := -1
	for i, a := range o.appGroups[appID] {
		if a.GroupID == gid {
			idx = i
		}
	}
	var status int
	var out any
	switch r.Method {
	case http.MethodGet:
		if idx < 0 {
			status, out = http.StatusNotFound, nil
		} else {
			status, out = http.StatusOK, o.assignmentView(r, appID, o.appGroups[appID][idx])
		}
	case http.MethodPut:
		status, out = http.StatusOK, o.assignmentView(r, appID, o.assignLocked(app, gid))
	case http.MethodDelete:
		if idx >= 0 {
			o.appGroups[appID] = append(o.appGroups[appID][:idx], o.appGroups[appID][idx+1:]...)
			o.logLocked("group.application_assignment.remove", "SUCCESS", "", app)
		}
		status = http.StatusNoContent
	default:
		status = http.StatusMethodNotAllowed
	}
	o.mu.Unlock()
	defer o.mu.Lock()
	switch {
	case status == http.StatusNotFound:
		notFound(w, gid+" (ApplicationGroupAssignment)")
	case status == http.StatusMethodNotAllowed:
		methodNotAllowed(w)
	case status == http.StatusNoContent:
		w.WriteHeader(status)
	default:
		writeJSON(w, status, out)
	}
}
