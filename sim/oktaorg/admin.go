package oktaorg

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// serveAdmin answers the admin stand-in's endpoints, for a CLI in another process.
func (o *Org) serveAdmin(w http.ResponseWriter, r *http.Request, body []byte) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	fail := func(status int, err error) {
		writeJSON(w, status, map[string]any{"error": err.Error()})
	}
	switch {
	case r.Method == http.MethodPost && len(seg) == 4 && seg[1] == "apps" && seg[3] == "provisioning":
		var s ProvisioningSettings
		if err := json.Unmarshal(body, &s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		if err := o.EnableProvisioning(r.Context(), seg[2], s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost && len(seg) == 4 && seg[1] == "apps" && seg[3] == "scim":
		var s SCIMSettings // apps_custom.go
		if err := json.Unmarshal(body, &s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		if err := o.EnableSCIM(r.Context(), seg[2], s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPost && len(seg) == 4 && seg[1] == "apps" && seg[3] == "group-push":
		var in struct {
			GroupID    string `json:"groupId"`
			TargetName string `json:"targetName"`
		}
		if err := json.Unmarshal(body, &in); err != nil || in.GroupID == "" {
			fail(http.StatusBadRequest, errors.New("a JSON body with a groupId is required"))
			return
		}
		id, err := o.PushGroup(r.Context(), seg[2], in.GroupID, in.TargetName) // grouppush.go
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"id": id, "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id})
	case r.Method == http.MethodPost && len(seg) == 4 && seg[1] == "apps" && seg[3] == "import-groups":
		ids, err := o.ImportGroups(r.Context(), seg[2]) // grouppush.go
		if err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ids": append([]string{}, ids...)})
	case r.Method == http.MethodPost && len(seg) == 2 && seg[1] == "groups":
		var in struct{ Name string }
		if err := json.Unmarshal(body, &in); err != nil || in.Name == "" {
			fail(http.StatusBadRequest, errors.New("a JSON body with a name is required"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": o.AddGroup(in.Name)})
	case r.Method == http.MethodPost && len(seg) == 2 && seg[1] == "faults":
		f, err := decodeFault(body)
		if err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		o.InjectFault(f)
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet && len(seg) == 2 && seg[1] == "faults":
		writeJSON(w, http.StatusOK, map[string]any{"hits": o.FaultsHit()})
	case r.Method == http.MethodDelete && len(seg) == 2 && seg[1] == "faults":
		o.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	default:
		fail(http.StatusNotFound, fmt.Errorf("no admin endpoint %s %s", r.Method, r.URL.Path))
	}
}

// AddApp inserts an app as if made in the Admin Console; missing fields are filled.
func (o *Org) AddApp(app map[string]any) string {
	a := deepCopy(app)
	o.mu.Lock()
	defer o.mu.Unlock()
	id, _ := a["id"].(string)
	if id == "" {
		id = newID("0oa")
		a["id"] = id
	}
	now := o.stamp()
	if _, ok := a["orn"]; !ok {
		a["orn"] = orn(fmt.Sprint(a["name"]), id)
	}
	defaults := map[string]any{"status": "ACTIVE", "created": now, "lastUpdated": now, "signOnMode": "SAML_2_0", "features": []any{},
		"accessibility": map[string]any{"selfService": false, "errorRedirectUrl": nil, "loginRedirectUrl": nil},
		"visibility":    map[string]any{"autoLaunch": false, "autoSubmitToolbar": false, "hide": map[string]any{"iOS": false, "web": false}, "appLinks": map[string]any{}},
		"settings":      map[string]any{"app": map[string]any{}, "notes": map[string]any{"admin": nil, "enduser": nil}},
		"_links":        map[string]any{}}
	for k, v := range defaults {
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	o.apps = append(o.apps, a)
	return id
}

// App returns a copy of an app as GET returns it.
func (o *Org) App(id string) (map[string]any, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	a := o.findApp(id)
	if a == nil {
		return nil, false
	}
	return o.appView(a), true
}

// Apps returns copies of every app, in creation order.
func (o *Org) Apps() []map[string]any {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]map[string]any, 0, len(o.apps))
	for _, a := range o.apps {
		out = append(out, o.appView(a))
	}
	return out
}

// MutateApp edits an app as a person would in the console (for drift tests).
func (o *Org) MutateApp(id string, f func(app map[string]any)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	a := o.findApp(id)
	if a == nil {
		return fmt.Errorf("no app %s", id)
	}
	f(a)
	a["lastUpdated"] = o.stamp()
	return nil
}

// Requests returns every API request received so far.
func (o *Org) Requests() []Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Request(nil), o.requests...)
}

// ResetRequests forgets the recorded requests.
func (o *Org) ResetRequests() {
	o.mu.Lock()
	o.requests = nil
	o.mu.Unlock()
}

// Logs returns the System Log, oldest first.
func (o *Org) Logs() []map[string]any {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]map[string]any, len(o.logs))
	for i, e := range o.logs {
		out[i] = deepCopy(e)
	}
	return out
}

// LogEvent appends a System Log event about an app, as Okta logs provisioning activity
// (e.g. application.provision.user.push FAILURE with its reason), for tests of the
// tool's log reading.
func (o *Org) LogEvent(appID, eventType, result, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	app := o.findApp(appID)
	if app == nil {
		return fmt.Errorf("no app %s", appID)
	}
	o.logLocked(eventType, result, reason, app)
	return nil
}
