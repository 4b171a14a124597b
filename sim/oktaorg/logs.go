package oktaorg

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
		"client":          map[string]any{"userAgent": map[string]any{"rawUserAgent": "oktaorg", "os": "Unknown", "browser": "UNKNOWN"}, "zone": "null", "device": "Unknown", "id": nil, "ipAddress": "127.0.0.1", "geographicalContext": nil},
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

// logFilter parses a System Log filter: a SCIM expression of `field eq "value"` terms
// joined by `and` and `or` (and binds tighter), with parentheses.
func logFilter(expr string) (func(map[string]any) bool, bool) {
	if strings.TrimSpace(logToken.ReplaceAllString(expr, " ")) != "" {
		return nil, false // characters no token accounts for
	}
	toks := logToken.FindAllString(expr, -1)
	p := &filterParser{toks: toks}
	f, ok := p.or()
	return f, ok && p.i == len(toks)
}

var logToken = regexp.MustCompile(`"[^"]*"|\(|\)|[A-Za-z.]+`)

type filterParser struct {
	toks []string
	i    int
}

func (p *filterParser) word(w string) bool {
	if p.i < len(p.toks) && strings.EqualFold(p.toks[p.i], w) {
		p.i++
		return true
	}
	return false
}

func (p *filterParser) or() (func(map[string]any) bool, bool) {
	return p.join("or", p.and, func(a, b bool) bool { return a || b })
}

func (p *filterParser) and() (func(map[string]any) bool, bool) {
	return p.join("and", p.term, func(a, b bool) bool { return a && b })
}

func (p *filterParser) join(op string, next func() (func(map[string]any) bool, bool), with func(a, b bool) bool) (func(map[string]any) bool, bool) {
	f, ok := next()
	for ok && p.word(op) {
		var g func(map[string]any) bool
		if g, ok = next(); ok {
			a, b := f, g
			f = func(e map[string]any) bool { return with(a(e), b(e)) }
		}
	}
	return f, ok
}

func (p *filterParser) term() (func(map[string]any) bool, bool) {
	if p.word("(") {
		f, ok := p.or()
		return f, ok && p.word(")")
	}
	if p.i+3 > len(p.toks) {
		return nil, false
	}
	m := logTerm.FindStringSubmatch(strings.Join(p.toks[p.i:p.i+3], " "))
	if m == nil {
		return nil, false
	}
	p.i += 3
	field, value := m[1], m[2]
	return func(e map[string]any) bool { return contains(logField(e, field), value) }, true
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
	keepEvent := func(map[string]any) bool { return true }
	if f := q.Get("filter"); strings.TrimSpace(f) != "" {
		var ok bool
		if keepEvent, ok = logFilter(f); !ok {
			writeError(w, http.StatusBadRequest, "E0000031", "Invalid search criteria.", []string{"filter: " + f})
			return
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
		keep := keepEvent(e)
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
