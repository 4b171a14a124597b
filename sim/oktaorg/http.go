package oktaorg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP answers Okta API requests (and the /__sim/ admin stand-in endpoints).
func (o *Org) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil || len(body) > 1<<20 {
		writeError(w, http.StatusBadRequest, "E0000003", "The request body was not well-formed.", nil)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		o.mu.Lock()
		o.requests = append(o.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, Status: rec.status})
		o.mu.Unlock()
	}()
	w = rec
	if strings.HasPrefix(r.URL.Path, "/__sim/") {
		if !o.authorized(r, true) {
			writeError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided", nil)
			return
		}
		o.serveAdmin(w, r, body)
		return
	}
	if o.serveFault(w, r, body) {
		return
	}
	o.serveAPI(w, r, body)
}

// serveAPI answers an Okta API request.
func (o *Org) serveAPI(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.URL.Path == "/.well-known/okta-organization" && r.Method == http.MethodGet {
		// Public (no token), like Okta's: tells a client that this host is an Okta org.
		writeJSON(w, http.StatusOK, map[string]any{"id": "00osimorg00000000001", "pipeline": "idx",
			"_links": map[string]any{"organization": map[string]any{"href": "http://" + r.Host}}})
		return
	}
	if r.URL.Path == TokenPath {
		o.serveToken(w, r, body)
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" (Resource)", nil)
		return
	}
	if o.opts.Latency > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(o.opts.Latency):
		}
	}
	w.Header().Set("X-Okta-Request-Id", newID("sim"))
	if !o.enter() {
		o.rateHeaders(w, bucketOf(r), true)
		writeError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.", nil)
		return
	}
	defer o.leave()
	if !o.rateHeaders(w, bucketOf(r), false) {
		writeError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.", nil)
		return
	}
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	switch {
	case strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "):
		// An OAuth 2.0 access token: authorized per scope (oauth.go).
		if !o.authorizeBearer(w, r) {
			return
		}
	case !o.authorized(r, false):
		writeError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided", nil)
		return
	case write && !o.authorized(r, true):
		writeError(w, http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action", nil)
		return
	}
	o.route(w, r, body)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// authorized checks the SSWS token; full demands the full-access token.
func (o *Org) authorized(r *http.Request, full bool) bool {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "SSWS ") {
		return false
	}
	tok := strings.TrimPrefix(h, "SSWS ")
	if tok == o.opts.Token && tok != "" {
		return true
	}
	if full {
		return false
	}
	for _, t := range o.opts.ReadOnlyTokens {
		if tok == t {
			return true
		}
	}
	return false
}

func (o *Org) route(w http.ResponseWriter, r *http.Request, body []byte) {
	seg := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(seg) < 3 || seg[0] != "api" || seg[1] != "v1" {
		notFound(w, r.URL.Path)
		return
	}
	switch seg[2] {
	case "apps":
		o.routeApps(w, r, seg[3:], body)
	case "groups":
		o.routeGroups(w, r, seg[3:], body)
	case "logs":
		if len(seg) == 3 && r.Method == http.MethodGet {
			o.listLogs(w, r)
			return
		}
		methodNotAllowed(w)
	case "users":
		o.routeUsers(w, r, seg[3:], body)
	case "mappings":
		o.routeMappings(w, r, seg[3:], body)
	case "meta":
		o.routeMeta(w, r, seg[3:], body)
	default:
		notFound(w, r.URL.Path)
	}
}

// writeJSON writes v as application/json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError writes Okta's error body.
func writeError(w http.ResponseWriter, status int, code, summary string, causes []string) {
	cs := make([]map[string]any, 0, len(causes))
	for _, c := range causes {
		cs = append(cs, map[string]any{"errorSummary": c})
	}
	writeJSON(w, status, map[string]any{"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": newID("oae"), "errorCauses": cs})
}

func notFound(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+what, nil)
}

func methodNotAllowed(w http.ResponseWriter) {
	writeError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method", nil)
}

func validation(w http.ResponseWriter, field string, causes ...string) {
	writeError(w, http.StatusBadRequest, "E0000001", "Api validation failed: "+field, causes)
}

// --- rate limits ---------------------------------------------------------------

// Okta documents a limit per endpoint per minute and the three X-Rate-Limit headers
// (reset in epoch seconds), but not which endpoints share a counter, nor whether a
// window starts on the clock's minute or with the first request after the last one
// ended: both are variants.
const (
	// VariantRateLimitScope: which requests count against one rate-limit counter.
	VariantRateLimitScope = "rate-limit-scope"
	// VariantRateLimitWindow: when a rate-limit window starts.
	VariantRateLimitWindow = "rate-limit-window"

	// RateLimitPerEndpoint: each endpoint bucket (Bucket) has its own counter.
	RateLimitPerEndpoint = "per-endpoint"
	// RateLimitShared: the org counts every API endpoint together.
	RateLimitShared = "shared"
	// RateLimitWindowAligned: windows follow each other on a fixed grid from the epoch.
	RateLimitWindowAligned = "aligned"
	// RateLimitWindowFirstRequest: a window begins with the first request after the
	// previous one ended, so its end falls between seconds and the reset header
	// (whole seconds) is rounded up.
	RateLimitWindowFirstRequest = "first-request"
)

func init() {
	variantList = append(variantList,
		Variant{Name: VariantRateLimitScope,
			Doc: "Which requests count against one rate-limit counter: `per-endpoint` one counter per endpoint group " +
				"(`GET /api/v1/apps`, `POST /api/v1/apps`, `/api/v1/apps/{id}…`, `/api/v1/groups…`, `/api/v1/logs`, the rest); " +
				"`shared` one counter for every API request of the org. The headers look the same either way.",
			Values: []string{RateLimitPerEndpoint, RateLimitShared},
			Known: "Okta documents limits per endpoint (and per-minute org-wide limits for groups of endpoints) and the " +
				"X-Rate-Limit-Limit/-Remaining/-Reset headers, but not which endpoints share a counter in a given org.",
			Source: "developer.okta.com rate-limit pages; the cassettes carry no rate-limit headers"},
		Variant{Name: VariantRateLimitWindow,
			Doc: "When a rate-limit window starts: `aligned` on a fixed grid (a minute, or Options.RateLimitWindow) " +
				"from the epoch; `first-request` with the first request after the last window ended, so the window " +
				"ends between seconds and X-Rate-Limit-Reset (epoch seconds) is rounded up.",
			Values: []string{RateLimitWindowAligned, RateLimitWindowFirstRequest},
			Known:  "Limits are per minute and Reset is in epoch seconds; how a window is placed is not documented.",
			Source: "developer.okta.com rate-limit pages; not recorded"})
}

type bucket struct {
	windows []RateWindow // oldest first; the last is the current one
}

// RateWindow is one rate-limit window of one counter, as the org counted it.
type RateWindow struct {
	Bucket     string
	Start, End time.Time
	First      time.Time // the first request counted
	Used       int       // requests counted (429s are not)
	Refused    int       // requests answered 429 because the window was spent
}

// bucketOf groups endpoints the way Okta's rate limits do.
func bucketOf(r *http.Request) string { return Bucket(r.Method, r.URL.Path) }

// Bucket names the rate-limit bucket of a request (exported for benchmarks that
// report per-bucket rates).
func Bucket(method, path string) string {
	p := strings.TrimRight(path, "/")
	switch {
	case p == "/api/v1/apps":
		return method + " /api/v1/apps"
	case strings.HasPrefix(p, "/api/v1/apps/"):
		return "/api/v1/apps/{id}"
	case strings.HasPrefix(p, "/api/v1/groups"):
		return "/api/v1/groups"
	case strings.HasPrefix(p, "/api/v1/logs"):
		return "/api/v1/logs"
	}
	return "/api/v1"
}

// counterOf is the counter a bucket's requests are counted in under the org's scope.
func (o *Org) counterOf(name string) string {
	if o.variant(VariantRateLimitScope) == RateLimitShared {
		return "shared"
	}
	return name
}

func (o *Org) rateWindow() time.Duration {
	if o.opts.RateLimitWindow < time.Second {
		return time.Minute
	}
	return o.opts.RateLimitWindow
}

// rateHeaders counts the request in its bucket's counter and sets the X-Rate-Limit
// headers; it returns false when the window is spent (or peek is set: headers only,
// nothing counted and no window started).
func (o *Org) rateHeaders(w http.ResponseWriter, name string, peek bool) bool {
	now := o.now()
	window := o.rateWindow()
	limit := o.opts.RateLimitPerMinute
	name = o.counterOf(name)
	o.mu.Lock()
	b := o.buckets[name]
	if b == nil {
		b = &bucket{}
		o.buckets[name] = b
	}
	var cur *RateWindow
	if n := len(b.windows); n > 0 && now.Before(b.windows[n-1].End) {
		cur = &b.windows[n-1]
	}
	if cur == nil {
		start := now
		if o.variant(VariantRateLimitWindow) != RateLimitWindowFirstRequest {
			start = time.Unix(0, now.UnixNano()/int64(window)*int64(window)).UTC()
		}
		fresh := RateWindow{Bucket: name, Start: start, End: start.Add(window)}
		if peek {
			cur = &fresh // not counted: a refused request starts no window
		} else {
			b.windows = append(b.windows, fresh)
			cur = &b.windows[len(b.windows)-1]
		}
	}
	ok := cur.Used < limit
	switch {
	case peek:
	case ok:
		if cur.Used == 0 {
			cur.First = now
		}
		cur.Used++
	default:
		cur.Refused++
	}
	remaining := max(limit-cur.Used, 0)
	end := cur.End
	o.mu.Unlock()
	h := w.Header()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	// Epoch seconds, rounded up: the window has surely ended by then.
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt((end.UnixNano()+int64(time.Second)-1)/int64(time.Second), 10))
	h.Set("Date", now.Format(http.TimeFormat))
	return ok && !peek
}

// RateWindows returns every rate-limit window the org has counted, per counter (a
// bucket, or "shared"), oldest first.
func (o *Org) RateWindows() []RateWindow {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []RateWindow
	for _, b := range o.buckets {
		out = append(out, b.windows...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func (o *Org) enter() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.inFlight >= o.opts.ConcurrencyLimit {
		return false
	}
	o.inFlight++
	return true
}

func (o *Org) leave() {
	o.mu.Lock()
	o.inFlight--
	o.mu.Unlock()
}

// --- paging ----------------------------------------------------------------------

// page slices items after the cursor and sets Link headers like Okta.
func page[T any](w http.ResponseWriter, r *http.Request, items []T, idOf func(T) string, defLimit, maxLimit int) ([]T, bool) {
	q := r.URL.Query()
	limit := defLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			validation(w, "limit", "limit: must be a positive integer")
			return nil, false
		}
		limit = n
	}
	if limit > maxLimit {
		limit = maxLimit
	}
	start := 0
	if after := q.Get("after"); after != "" {
		start = len(items)
		for i, it := range items {
			if idOf(it) == after {
				start = i + 1
				break
			}
		}
	}
	end := start + limit
	if end > len(items) {
		end = len(items)
	}
	out := items[start:end]
	base := "http://" + r.Host + r.URL.Path
	self := *r.URL
	w.Header().Add("Link", fmt.Sprintf("<%s?%s>; rel=\"self\"", base, self.RawQuery))
	if end < len(items) && len(out) > 0 {
		nq := r.URL.Query()
		nq.Set("after", idOf(out[len(out)-1]))
		nq.Set("limit", strconv.Itoa(limit))
		w.Header().Add("Link", fmt.Sprintf("<%s?%s>; rel=\"next\"", base, nq.Encode()))
	}
	return out, true
}
