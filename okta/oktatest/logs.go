package oktatest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var displayMessages = map[string]string{
	"application.lifecycle.create":        "Create application",
	"application.lifecycle.update":        "Update application",
	"application.lifecycle.activate":      "Activate application",
	"application.lifecycle.deactivate":    "Deactivate application",
	"application.lifecycle.delete":        "Delete application",
	"application.configuration.update":    "Update application configuration",
	"group.application_assignment.add":    "Add assigned application to group",
	"group.application_assignment.remove": "Remove assigned application from group",
}

// logLocked appends a System Log event about app; o.mu must be held.
func (o *Org) logLocked(eventType, result, reason string, app map[string]any) {
	severity := "INFO"
	if result == "FAILURE" {
		severity = "WARN"
	}
	var outcomeReason any
	if reason != "" {
		outcomeReason = reason
	}
	o.logs = append(o.logs, map[string]any{
		"uuid":            newUUID(),
		"published":       o.stamp(),
		"eventType":       eventType,
		"version":         "0",
		"severity":        severity,
		"legacyEventType": strings.ReplaceAll(eventType, ".", "_"),
		"displayMessage":  displayMessages[eventType],
		"actor":           map[string]any{"id": "00usimadmin000000001", "type": "User", "alternateId": "admin@" + o.opts.Domain + ".example", "displayName": "Sim Admin", "detailEntry": nil},
		"client":          map[string]any{"userAgent": map[string]any{"rawUserAgent": "oktatest", "os": "Unknown", "browser": "UNKNOWN"}, "zone": "null", "device": "Unknown", "id": nil, "ipAddress": "127.0.0.1", "geographicalContext": nil},
		"outcome":         map[string]any{"result": result, "reason": outcomeReason},
		"target": []any{map[string]any{"id": app["id"], "type": "AppInstance", "alternateId": app["label"],
			"displayName": catalog[fmt.Sprint(app["name"])].DisplayName, "detailEntry": nil}},
		"transaction":           map[string]any{"type": "WEB", "id": newID("Y"), "detail": map[string]any{}},
		"debugContext":          map[string]any{"debugData": map[string]any{}},
		"authenticationContext": map[string]any{"authenticationProvider": nil, "credentialProvider": nil, "credentialType": nil, "issuer": nil, "interface": nil, "authenticationStep": 0, "externalSessionId": "trs" + newID("")},
		"securityContext":       map[string]any{"asNumber": nil, "asOrg": nil, "isp": nil, "domain": nil, "isProxy": nil},
		"request":               map[string]any{"ipChain": []any{}},
	})
}

func newUUID() string {
	id := strings.ToLower(newID("") + newID(""))[:32]
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32]
}

var logTerm = regexp.MustCompile(`^\s*(target\.id|eventType|outcome\.result|actor\.id|severity)\s+eq\s+"([^"]*)"\s*$`)

func logField(e map[string]any, field string) []string {
	switch field {
	case "eventType", "severity":
		return []string{fmt.Sprint(e[field])}
	case "outcome.result":
		return []string{fmt.Sprint(e["outcome"].(map[string]any)["result"])}
	case "actor.id":
		return []string{fmt.Sprint(e["actor"].(map[string]any)["id"])}
	case "target.id":
		var out []string
		for _, t := range e["target"].([]any) {
			out = append(out, fmt.Sprint(t.(map[string]any)["id"]))
		}
		return out
	}
	return nil
}

func (o *Org) listLogs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	parseTime := func(name string) (time.Time, bool) {
		s := q.Get(name)
		if s == "" {
			return time.Time{}, true
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			validation(w, name, name+": must be an ISO 8601 timestamp")
			return t, false
		}
		return t, true
	}
	since, ok := parseTime("since")
	if !ok {
		return
	}
	until, ok := parseTime("until")
	if !ok {
		return
	}
	if since.IsZero() {
		since = o.now().Add(-7 * 24 * time.Hour)
	}
	var terms [][2]string
	if f := q.Get("filter"); strings.TrimSpace(f) != "" {
		for _, part := range regexp.MustCompile(`(?i)\s+and\s+`).Split(f, -1) {
			m := logTerm.FindStringSubmatch(part)
			if m == nil {
				writeError(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", []string{"filter: " + f})
				return
			}
			terms = append(terms, [2]string{m[1], m[2]})
		}
	}
	order := q.Get("sortOrder")
	if order != "" && order != "ASCENDING" && order != "DESCENDING" {
		validation(w, "sortOrder", "sortOrder: must be ASCENDING or DESCENDING")
		return
	}
	if s := q.Get("limit"); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 0 {
			validation(w, "limit", "limit: must be a positive integer")
			return
		}
	}
	text := strings.ToLower(q.Get("q"))
	o.mu.Lock()
	var sel []map[string]any
	for _, e := range o.logs {
		t, _ := time.Parse(time.RFC3339Nano, e["published"].(string))
		if t.Before(since) || (!until.IsZero() && !t.Before(until)) {
			continue
		}
		keep := true
		for _, term := range terms {
			if !contains(logField(e, term[0]), term[1]) {
				keep = false
			}
		}
		if keep && text != "" && !strings.Contains(strings.ToLower(fmt.Sprint(e)), text) {
			keep = false
		}
		if keep {
			sel = append(sel, deepCopy(e))
		}
	}
	o.mu.Unlock()
	if order == "DESCENDING" {
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
	}
	out, ok := page(w, r, sel, func(e map[string]any) string { return e["uuid"].(string) }, 100, 1000)
	if !ok {
		return
	}
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}
