package scimserver

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SCIM URNs used by the server.
const (
	urnUser20        = "urn:ietf:params:scim:schemas:core:2.0:User"
	urnGroup20       = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnListResponse  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	urnError         = "urn:ietf:params:scim:api:messages:2.0:Error"
	urnPatchOp       = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	urnEnterprise    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	urnSPConfig20    = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	urnResourceType  = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	urnSchema20      = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	urnCore11        = "urn:scim:schemas:core:1.0"
	urnListResponse1 = "urn:scim:schemas:core:1.0:ListResponse"

	maxBody = 1 << 20 // request bodies are capped at 1 MiB

	// maxRequests bounds the request log of a long-running server (oktascim sim).
	maxRequests = 10000

	contentType20 = "application/scim+json"
	contentType11 = "application/json"
)

// Auth is the credential the server demands.
type Auth struct {
	// Mode is "bearer" (Authorization: Bearer <Token>), "header" (the Authorization
	// header equals Token verbatim), "basic" (Username and Password) or "none".
	// An empty Mode means "none" when no credential is set, else "bearer" when Token
	// is set, else "basic".
	Mode                      string
	Token, Username, Password string
}

func (a Auth) mode() string {
	if a.Mode != "" {
		return strings.ToLower(a.Mode)
	}
	switch {
	case a.Token != "":
		return "bearer"
	case a.Username != "" || a.Password != "":
		return "basic"
	}
	return "none"
}

// Options configure a Server.
type Options struct {
	Version  string // "2.0" (default) or "1.1"
	Auth     Auth
	BasePath string // default "/scim/v2" for 2.0, "/scim/v1" for 1.1
}

// Request is one request the server received, as recorded by Requests.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Status                 int
}

// Server is an in-memory SCIM service provider; it implements http.Handler and is safe
// for concurrent use.
type Server struct {
	v11      bool
	basePath string

	mu     sync.Mutex
	auth   Auth
	users  *store
	groups *store
	reqs   []Request
	seq    int64
}

// New returns a server configured by opts.
func New(opts Options) *Server {
	s := &Server{v11: opts.Version == "1.1", auth: opts.Auth, users: newStore(), groups: newStore()}
	bp := opts.BasePath
	if bp == "" {
		bp = "/scim/v2"
		if s.v11 {
			bp = "/scim/v1"
		}
	}
	bp = "/" + strings.Trim(bp, "/")
	if bp == "/" {
		bp = ""
	}
	s.basePath = bp
	return s
}

// Running is a Server listening on a loopback port.
type Running struct {
	*Server
	URL string // base URL including the base path, e.g. http://127.0.0.1:PORT/scim/v2

	srv *http.Server
}

// Start serves a new Server on 127.0.0.1 at a free port.
func Start(opts Options) (*Running, error) {
	s := New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return &Running{Server: s, URL: "http://" + ln.Addr().String() + s.basePath, srv: hs}, nil
}

// Close stops the listener and closes open connections.
func (r *Running) Close() error { return r.srv.Close() }

// SetAuth replaces the credential the server demands.
func (s *Server) SetAuth(a Auth) {
	s.mu.Lock()
	s.auth = a
	s.mu.Unlock()
}

// Users returns a snapshot of the users, in creation order.
func (s *Server) Users() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users.snapshot()
}

// Groups returns a snapshot of the groups, in creation order.
func (s *Server) Groups() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groups.snapshot()
}

// Requests returns the requests received so far, oldest first (the most recent
// 5,000 to 10,000 once more than 10,000 arrived). Headers are recorded as received,
// credentials included: the log stays in memory and is never written anywhere.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.reqs))
	for i, r := range s.reqs {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// store keeps resources in creation order.
type store struct {
	order []string
	byID  map[string]map[string]any
}

func newStore() *store { return &store{byID: map[string]map[string]any{}} }

func (st *store) list() []map[string]any {
	out := make([]map[string]any, 0, len(st.order))
	for _, id := range st.order {
		out = append(out, st.byID[id])
	}
	return out
}

func (st *store) snapshot() []map[string]any {
	out := make([]map[string]any, 0, len(st.order))
	for _, id := range st.order {
		out = append(out, deepCopy(st.byID[id]))
	}
	return out
}

func (st *store) put(id string, r map[string]any) {
	if _, ok := st.byID[id]; !ok {
		st.order = append(st.order, id)
	}
	st.byID[id] = r
}

func (st *store) delete(id string) {
	delete(st.byID, id)
	for i, x := range st.order {
		if x == id {
			st.order = append(st.order[:i:i], st.order[i+1:]...)
			break
		}
	}
}

// recorder captures the status written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// apiError is a SCIM error response.
type apiError struct {
	status   int
	scimType string
	detail   string
}

func (e *apiError) Error() string { return e.detail }

func errorf(status int, scimType, format string, args ...any) *apiError {
	return &apiError{status: status, scimType: scimType, detail: fmt.Sprintf(format, args...)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	s.serve(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	s.mu.Lock()
	if len(s.reqs) >= maxRequests {
		s.reqs = append(s.reqs[:0:0], s.reqs[len(s.reqs)-maxRequests/2:]...)
	}
	s.reqs = append(s.reqs, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Status: rec.status})
	s.mu.Unlock()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	auth := s.auth
	s.mu.Unlock()
	if !authorized(auth, r.Header.Get("Authorization")) {
		switch auth.mode() {
		case "basic":
			w.Header().Set("WWW-Authenticate", `Basic realm="scim"`)
		default:
			w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
		}
		s.writeError(w, errorf(http.StatusUnauthorized, "", "authorization failure: missing or invalid credentials"))
		return
	}
	path := r.URL.Path
	if s.basePath != "" {
		if path != s.basePath && !strings.HasPrefix(path, s.basePath+"/") {
			s.writeError(w, errorf(http.StatusNotFound, "", "no SCIM endpoint at %s; the base path is %s", path, s.basePath))
			return
		}
		path = strings.TrimPrefix(path, s.basePath)
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) > 2 || parts[0] == "" {
		s.writeError(w, errorf(http.StatusNotFound, "", "no SCIM endpoint at %s", r.URL.Path))
		return
	}
	id := ""
	if len(parts) == 2 {
		id = parts[1]
	}
	var err error
	switch parts[0] {
	case "Users":
		err = s.resource(w, r, true, id)
	case "Groups":
		err = s.resource(w, r, false, id)
	case "ServiceProviderConfig", "ServiceProviderConfigs":
		if (parts[0] == "ServiceProviderConfigs") != s.v11 || id != "" {
			err = errorf(http.StatusNotFound, "", "no SCIM endpoint at %s", r.URL.Path)
			break
		}
		err = s.discovery(w, r, func() any { return s.spConfig(auth) })
	case "ResourceTypes":
		err = s.discovery(w, r, func() any { return s.resourceTypes(r, id) })
	case "Schemas":
		err = s.discovery(w, r, func() any { return s.schemas(id) })
	default:
		err = errorf(http.StatusNotFound, "", "no SCIM endpoint at %s", r.URL.Path)
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errorf(http.StatusInternalServerError, "", "%v", err)
		}
		s.writeError(w, ae)
	}
}

func authorized(a Auth, got string) bool {
	eq := func(x, y string) bool { return subtle.ConstantTimeCompare([]byte(x), []byte(y)) == 1 }
	switch a.mode() {
	case "none":
		return true
	case "bearer":
		return a.Token != "" && eq(got, "Bearer "+a.Token)
	case "header":
		return a.Token != "" && eq(got, a.Token)
	case "basic":
		return eq(got, "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	}
	return false
}

func (s *Server) contentType() string {
	if s.v11 {
		return contentType11
	}
	return contentType20
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"detail":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", s.contentType())
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	status := strconv.Itoa(e.status)
	if s.v11 {
		// SCIM 1.1 errors; "detail" as well, because Okta's SCIM 1.1 SPEC test asserts it.
		s.writeJSON(w, e.status, map[string]any{
			"Errors": []any{map[string]any{"description": e.detail, "code": status}},
			"detail": e.detail,
		})
		return
	}
	body := map[string]any{"schemas": []string{urnError}, "detail": e.detail, "status": status}
	if e.scimType != "" {
		body["scimType"] = e.scimType
	}
	s.writeJSON(w, e.status, body)
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request, body func() any) error {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		return errorf(http.StatusMethodNotAllowed, "", "method %s is not allowed on %s", r.Method, r.URL.Path)
	}
	v := body()
	if e, ok := v.(*apiError); ok {
		return e
	}
	s.writeJSON(w, http.StatusOK, v)
	return nil
}

// readBody decodes a JSON object from the request body (at most 1 MiB).
func readBody(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != contentType20 && mt != contentType11) {
			return nil, errorf(http.StatusUnsupportedMediaType, "", "unsupported Content-Type %q: send application/scim+json or application/json", ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "tooLarge", "request body exceeds %d bytes", maxBody)
		}
		return nil, errorf(http.StatusBadRequest, "invalidSyntax", "request body is not a JSON object: %v", err)
	}
	if m == nil {
		return nil, errorf(http.StatusBadRequest, "invalidSyntax", "request body is not a JSON object")
	}
	return m, nil
}

func (s *Server) newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		s.seq++
		return fmt.Sprintf("id-%d", s.seq)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

func baseURL(r *http.Request, basePath string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + basePath
}

func (s *Server) resource(w http.ResponseWriter, r *http.Request, isUser bool, id string) error {
	st, kind, endpoint := s.groups, "Group", "Groups"
	if isUser {
		st, kind, endpoint = s.users, "User", "Users"
	}
	if id == "" {
		switch r.Method {
		case http.MethodGet:
			return s.list(w, r, st)
		case http.MethodPost:
			body, err := readBody(w, r)
			if err != nil {
				return err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			res, err := s.prepare(body, isUser)
			if err != nil {
				return err
			}
			if err := s.unique(st, res, isUser, ""); err != nil {
				return err
			}
			id := s.newID()
			res["id"] = id
			ts := now()
			s.seq++
			loc := baseURL(r, s.basePath) + "/" + endpoint + "/" + id
			res["meta"] = map[string]any{"resourceType": kind, "created": ts, "lastModified": ts, "location": loc, "version": fmt.Sprintf(`W/"%d"`, s.seq)}
			st.put(id, res)
			w.Header().Set("Location", loc)
			w.Header().Set("ETag", fmt.Sprintf(`W/"%d"`, s.seq))
			s.writeJSON(w, http.StatusCreated, res)
			return nil
		}
		w.Header().Set("Allow", "GET, POST")
		return errorf(http.StatusMethodNotAllowed, "", "method %s is not allowed on %s", r.Method, r.URL.Path)
	}
	var body map[string]any
	switch r.Method {
	case http.MethodPut, http.MethodPatch:
		var err error
		if body, err = readBody(w, r); err != nil {
			return err
		}
	case http.MethodGet, http.MethodDelete:
	default:
		w.Header().Set("Allow", "GET, PUT, PATCH, DELETE")
		return errorf(http.StatusMethodNotAllowed, "", "method %s is not allowed on %s", r.Method, r.URL.Path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := st.byID[id]
	if !ok {
		return errorf(http.StatusNotFound, "", "%s %s not found", kind, id)
	}
	var next map[string]any
	switch r.Method {
	case http.MethodGet:
		s.writeJSON(w, http.StatusOK, cur)
		return nil
	case http.MethodDelete:
		st.delete(id)
		if isUser {
			s.dropMember(id)
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	case http.MethodPut:
		var err error
		if next, err = s.prepare(body, isUser); err != nil {
			return err
		}
	case http.MethodPatch:
		next = deepCopy(cur)
		var err error
		if s.v11 {
			err = patch11(next, body)
		} else {
			err = patch20(next, body)
		}
		if err != nil {
			return err
		}
		if next, err = s.prepare(next, isUser); err != nil {
			return err
		}
	}
	if err := s.unique(st, next, isUser, id); err != nil {
		return err
	}
	next["id"] = id
	meta, _ := deepCopy(map[string]any{"m": cur["meta"]})["m"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	s.seq++
	meta["lastModified"] = now()
	meta["version"] = fmt.Sprintf(`W/"%d"`, s.seq)
	next["meta"] = meta
	st.put(id, next)
	w.Header().Set("ETag", fmt.Sprintf(`W/"%d"`, s.seq))
	s.writeJSON(w, http.StatusOK, next)
	return nil
}

// prepare validates a client-supplied resource and strips server-owned attributes.
func (s *Server) prepare(body map[string]any, isUser bool) (map[string]any, error) {
	res := deepCopy(body)
	delete(res, "id")
	delete(res, "meta")
	for k := range res {
		if strings.EqualFold(k, "schemas") && k != "schemas" {
			res["schemas"] = res[k]
			delete(res, k)
		}
	}
	if _, ok := res["schemas"].([]any); !ok {
		switch {
		case s.v11:
			res["schemas"] = []any{urnCore11}
		case isUser:
			res["schemas"] = []any{urnUser20}
		default:
			res["schemas"] = []any{urnGroup20}
		}
	}
	if isUser {
		un, _ := get(res, "userName").(string)
		if strings.TrimSpace(un) == "" {
			return nil, errorf(http.StatusBadRequest, "invalidValue", "userName is required")
		}
		if k, v := key(res, "active"), get(res, "active"); v == nil {
			res["active"] = true
		} else if b, ok := toBool(v); ok {
			res[k] = b
		} else {
			return nil, errorf(http.StatusBadRequest, "invalidValue", "active must be a boolean")
		}
	} else {
		dn, _ := get(res, "displayName").(string)
		if strings.TrimSpace(dn) == "" {
			return nil, errorf(http.StatusBadRequest, "invalidValue", "displayName is required")
		}
		if m := get(res, "members"); m != nil {
			if _, ok := m.([]any); !ok {
				return nil, errorf(http.StatusBadRequest, "invalidValue", "members must be an array")
			}
		}
	}
	return res, nil
}

// unique enforces userName uniqueness (case-insensitive) among users other than self.
func (s *Server) unique(st *store, res map[string]any, isUser bool, self string) error {
	if !isUser {
		return nil
	}
	un, _ := get(res, "userName").(string)
	for _, id := range st.order {
		if id == self {
			continue
		}
		if other, _ := get(st.byID[id], "userName").(string); strings.EqualFold(other, un) {
			return errorf(http.StatusConflict, "uniqueness", "userName %q is already taken", un)
		}
	}
	return nil
}

// dropMember removes a deleted user from every group.
func (s *Server) dropMember(userID string) {
	for _, g := range s.groups.byID {
		k := key(g, "members")
		ms, ok := g[k].([]any)
		if !ok {
			continue
		}
		kept := ms[:0:0]
		for _, m := range ms {
			if mm, ok := m.(map[string]any); ok && get(mm, "value") == userID {
				continue
			}
			kept = append(kept, m)
		}
		g[k] = kept
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, st *store) error {
	q := r.URL.Query()
	startIndex, count := 1, -1
	if v := q.Get("startIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errorf(http.StatusBadRequest, "invalidValue", "startIndex must be an integer")
		}
		startIndex = max(n, 1)
	}
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errorf(http.StatusBadRequest, "invalidValue", "count must be an integer")
		}
		count = max(n, 0)
	}
	var match func(map[string]any) bool
	if f := q.Get("filter"); f != "" {
		var err error
		if match, err = parseFilter(f); err != nil {
			return err
		}
	}
	s.mu.Lock()
	var all []map[string]any
	for _, res := range st.list() {
		if match == nil || match(res) {
			all = append(all, res)
		}
	}
	total := len(all)
	page := []map[string]any{}
	if startIndex <= total {
		page = all[startIndex-1:]
	} else {
		page = page[:0]
	}
	if count >= 0 && count < len(page) {
		page = page[:count]
	}
	resources := make([]any, len(page))
	for i, p := range page {
		resources[i] = deepCopy(p)
	}
	s.mu.Unlock()
	schemas := []string{urnListResponse}
	if s.v11 {
		schemas = []string{urnCore11}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{
		"schemas":      schemas,
		"totalResults": total,
		"itemsPerPage": len(resources),
		"startIndex":   startIndex,
		"Resources":    resources,
	})
	return nil
}

// parseFilter supports `attr eq "value"` for userName, displayName, externalId and id.
func parseFilter(f string) (func(map[string]any) bool, error) {
	bad := errorf(http.StatusBadRequest, "invalidFilter", "unsupported filter %q: supported are userName, displayName, externalId and id with eq and a quoted value", f)
	f = strings.TrimSpace(f)
	i := strings.IndexAny(f, " \t")
	if i < 0 {
		return nil, bad
	}
	attr, rest := f[:i], strings.TrimSpace(f[i:])
	j := strings.IndexAny(rest, " \t")
	if j < 0 || !strings.EqualFold(rest[:j], "eq") {
		return nil, bad
	}
	lit := strings.TrimSpace(rest[j:])
	var val string
	if err := json.Unmarshal([]byte(lit), &val); err != nil || !strings.HasPrefix(lit, `"`) {
		return nil, bad
	}
	var caseExact bool
	switch strings.ToLower(attr) {
	case "username", "displayname":
	case "externalid", "id":
		caseExact = true
	default:
		return nil, bad
	}
	return func(res map[string]any) bool {
		got, ok := get(res, attr).(string)
		if !ok {
			return false
		}
		if caseExact {
			return got == val
		}
		return strings.EqualFold(got, val)
	}, nil
}

// key returns the key of m matching name case-insensitively, or name.
func key(m map[string]any, name string) string {
	if _, ok := m[name]; ok {
		return name
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

func get(m map[string]any, name string) any { return m[key(m, name)] }

func toBool(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func deepCopy(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return deepCopy(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}
