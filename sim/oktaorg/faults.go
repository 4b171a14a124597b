package oktaorg

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"
)

// FaultKind is what a scripted fault does to a request.
type FaultKind string

const (
	// FaultStatus answers with Fault.Status and the body Okta (or the load balancer in
	// front of it) sends with it: 500 E0000009 JSON, 502 and 504 an HTML page, 503 an
	// empty body, 429 E0000047 with X-Rate-Limit-* headers resetting a second away.
	FaultStatus FaultKind = "status"
	// FaultRateLimitBurst answers 429 E0000047 with X-Rate-Limit-Remaining 0 and a
	// reset Delay away (a second when Delay is 0).
	FaultRateLimitBurst FaultKind = "rate-limit-burst"
	// FaultReset closes the connection without an answer (a TCP reset where it can).
	// Go's http.Transport silently retries a GET once when a reused connection is
	// reset, so a client may need Times: 2 to see it.
	FaultReset FaultKind = "reset"
	// FaultResetAfterWrite serves the request (an app is really created), then closes
	// the connection without an answer: the client cannot know whether it happened.
	FaultResetAfterWrite FaultKind = "reset-after-write"
	// FaultHang does not answer until the client gives up; with a Delay it closes the
	// connection without an answer after Delay.
	FaultHang FaultKind = "hang"
	// FaultLatency waits Delay, then serves the request normally.
	FaultLatency FaultKind = "latency"
)

// Fault is a scripted failure for the requests that match Method and Path. Faults
// apply to /api/ and /.well-known/ requests before authentication, rate limits and
// routing, in the order injected; the first with hits left wins. /__sim/ admin
// requests are never faulted. A request a fault drops is recorded with Status 0.
type Fault struct {
	Method string    `json:"method,omitempty"` // "" = any
	Path   string    `json:"path,omitempty"`   // "" = any; exact, or * for one segment: "/api/v1/apps/*/groups/*"
	Kind   FaultKind `json:"kind"`
	Status int       `json:"status,omitempty"` // for FaultStatus
	Times  int       `json:"times,omitempty"`  // matching requests it hits; 0 = 1
	Skip   int       `json:"skip,omitempty"`   // matching requests let through first
	// Delay is the wait of FaultLatency and FaultHang and the reset distance of
	// FaultRateLimitBurst; over JSON a Go duration string such as "2s".
	Delay time.Duration `json:"-"`
}

type faultState struct {
	Fault
	seen, hits int
}

type faultSet struct {
	mu     sync.Mutex
	faults []*faultState
	hits   int
}

// faultSets holds each org's faults beside it (the Org struct stays as it is); the
// weak key lets an org be collected, and its entry goes with it.
var faultSets sync.Map // weak.Pointer[Org] → *faultSet

func (o *Org) faultSet(create bool) *faultSet {
	key := weak.Make(o)
	if fs, ok := faultSets.Load(key); ok {
		return fs.(*faultSet)
	}
	if !create {
		return nil
	}
	fs, loaded := faultSets.LoadOrStore(key, &faultSet{})
	if !loaded {
		runtime.AddCleanup(o, func(k weak.Pointer[Org]) { faultSets.Delete(k) }, key)
	}
	return fs.(*faultSet)
}

// InjectFault adds a scripted fault; it panics on a fault that cannot work (an unknown
// kind, FaultStatus without a status from 400 to 599, negative counts).
func (o *Org) InjectFault(f Fault) {
	if err := f.validate(); err != nil {
		panic("oktaorg: " + err.Error())
	}
	fs := o.faultSet(true)
	fs.mu.Lock()
	fs.faults = append(fs.faults, &faultState{Fault: f})
	fs.mu.Unlock()
}

// ClearFaults removes every fault and zeroes FaultsHit.
func (o *Org) ClearFaults() {
	if fs := o.faultSet(false); fs != nil {
		fs.mu.Lock()
		fs.faults, fs.hits = nil, 0
		fs.mu.Unlock()
	}
}

// FaultsHit is how many requests faults have hit since the last ClearFaults.
func (o *Org) FaultsHit() int {
	fs := o.faultSet(false)
	if fs == nil {
		return 0
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("fault status %d: want 400 to 599", f.Status)
		}
	case FaultRateLimitBurst, FaultReset, FaultResetAfterWrite, FaultHang, FaultLatency:
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	if f.Times < 0 || f.Skip < 0 || f.Delay < 0 {
		return errors.New("fault times, skip and delay must not be negative")
	}
	return nil
}

// decodeFault reads the JSON of POST /__sim/faults.
func decodeFault(body []byte) (Fault, error) {
	var in struct {
		Fault
		Delay string `json:"delay,omitempty"`
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Fault{}, err
	}
	f := in.Fault
	if in.Delay != "" {
		d, err := time.ParseDuration(in.Delay)
		if err != nil {
			return Fault{}, fmt.Errorf("fault delay: %w", err)
		}
		f.Delay = d
	}
	return f, f.validate()
}

// matchPath matches a path against an exact path or a pattern with * segments.
func matchPath(pattern, path string) bool {
	if pattern == "" || pattern == path {
		return true
	}
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// takeFault counts r against the faults and returns the one that hits it, if any.
func (o *Org) takeFault(r *http.Request) (Fault, bool) {
	fs := o.faultSet(false)
	if fs == nil || !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/.well-known/") {
		return Fault{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, s := range fs.faults {
		if s.Method != "" && !strings.EqualFold(s.Method, r.Method) || !matchPath(s.Path, r.URL.Path) {
			continue
		}
		if s.seen < s.Skip {
			s.seen++
			continue
		}
		if s.hits < max(s.Times, 1) {
			s.hits++
			fs.hits++
			return s.Fault, true
		}
	}
	return Fault{}, false
}

// serveFault applies the fault that hits r, if one does, and reports whether it has
// dealt with the request (false: serve it normally).
func (o *Org) serveFault(w http.ResponseWriter, r *http.Request, body []byte) bool {
	f, ok := o.takeFault(r)
	if !ok {
		return false
	}
	switch f.Kind {
	case FaultStatus:
		o.writeFaultStatus(w, r, f.Status, time.Second)
	case FaultRateLimitBurst:
		o.writeFaultStatus(w, r, http.StatusTooManyRequests, orDefault(f.Delay, time.Second))
	case FaultReset:
		dropConnection(w)
	case FaultResetAfterWrite:
		o.serveAPI(httptest.NewRecorder(), r, body)
		dropConnection(w)
	case FaultHang:
		var after <-chan time.Time
		if f.Delay > 0 {
			after = time.After(f.Delay)
		}
		select {
		case <-r.Context().Done():
		case <-after:
		}
		dropConnection(w)
	case FaultLatency:
		select {
		case <-r.Context().Done():
			dropConnection(w) // the client has gone
			return true
		case <-time.After(f.Delay):
		}
		return false
	}
	return true
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// writeFaultStatus answers status with the body it comes with from Okta or its edge.
func (o *Org) writeFaultStatus(w http.ResponseWriter, r *http.Request, status int, reset time.Duration) {
	w.Header().Set("X-Okta-Request-Id", newID("sim"))
	switch status {
	case http.StatusTooManyRequests:
		now := o.now()
		h := w.Header()
		h.Set("X-Rate-Limit-Limit", strconv.Itoa(o.opts.RateLimitPerMinute))
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("X-Rate-Limit-Reset", strconv.FormatInt((now.Add(reset).UnixNano()+int64(time.Second)-1)/int64(time.Second), 10))
		h.Set("Date", now.Format(http.TimeFormat))
		writeError(w, status, "E0000047", "API call exceeded rate limit due to too many requests.", nil)
	case http.StatusBadRequest:
		writeError(w, status, "E0000003", "The request body was not well-formed.", nil)
	case http.StatusUnauthorized:
		writeError(w, status, "E0000011", "Invalid token provided", nil)
	case http.StatusForbidden:
		writeError(w, status, "E0000006", "You do not have permission to perform the requested action", nil)
	case http.StatusNotFound:
		notFound(w, r.URL.Path)
	case http.StatusMethodNotAllowed:
		methodNotAllowed(w)
	case http.StatusInternalServerError:
		writeError(w, status, "E0000009", "Internal Server Error", nil)
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n</body>\r\n</html>\r\n", text, text)
	default: // 503 and the rest: no body, as an edge answers
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
	}
}

// dropConnection ends the request without an answer: a TCP reset when the connection
// can be taken over, else an aborted handler (the server closes the connection).
func dropConnection(w http.ResponseWriter) {
	if rec, ok := w.(*statusRecorder); ok {
		rec.status = 0
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// Unwrap lets http.ResponseController reach the connection (for dropConnection).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
