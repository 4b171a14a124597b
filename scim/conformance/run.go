package conformance

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/oktascim/oktascim/internal/redact"
)

// Status is a check's outcome.
type Status string

// Check outcomes.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // not sent: a variable it needs is missing, or the server is down
)

const (
	// MaxBody caps how much of a response is read.
	MaxBody = 1 << 20
	// DefaultTimeout bounds each request.
	DefaultTimeout = 15 * time.Second
	excerptBytes   = 300
	userAgent      = "oktascim scim check"
	specBaseVar    = "SCIMBaseURL"
	specAuthVar    = "auth"
)

// Options configure a run.
type Options struct {
	BaseURL string // the SCIM root, e.g. https://scim.example.com/scim/v2
	Version string // "2.0" (default) or "1.1"
	// Authorization is the Authorization header Okta sends (scim.AuthorizationHeader).
	Authorization string
	// Secrets are masked, in every form they may be echoed in, wherever a response is
	// quoted; the Authorization value is always masked.
	Secrets []string
	// CRUD also runs the CRUD suite's user lifecycle (it creates, changes and
	// deactivates a user).
	CRUD bool
	// KeepUsers leaves the users the run created; by default they are deactivated and
	// deleted at the end.
	KeepUsers bool
	// Client sends the requests; nil means TLS verified, proxies from the environment.
	// Redirects are never followed, whatever the client says.
	Client *http.Client
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// OnCheck is called as each check completes, in order.
	OnCheck func(Check)
	// SPEC replaces the embedded SPEC suite of Version (e.g. with another export of it).
	SPEC *Suite
}

// Check is the outcome of one request step.
type Check struct {
	Suite    string
	Name     string // the step's name in the suite
	Method   string
	URL      string // as sent, secrets masked
	Status   Status
	Failures []Failure // every assertion that did not hold, in the step's order
	Reason   string    // why a check was skipped
	Excerpt  string    // for a failure: status, Content-Type and the start of the body, masked
	Hint     string    // what usually causes the failure
	Duration time.Duration
}

// Expected and Got describe the first failed assertion ("" when none).
func (c Check) Expected() string {
	if len(c.Failures) == 0 {
		return ""
	}
	return c.Failures[0].Expected
}

// Got is what the response had where the first failed assertion looked.
func (c Check) Got() string {
	if len(c.Failures) == 0 {
		return ""
	}
	return c.Failures[0].Got
}

// Cleanup is what happened to a user the run created.
type Cleanup struct {
	ID, UserName string
	Deleted      bool
	Outcome      string // one line
}

// Result is a whole run.
type Result struct {
	Suites                  []string
	Checks                  []Check
	Passed, Failed, Skipped int
	Cleanup                 []Cleanup
}

// OK reports whether every check passed.
func (r *Result) OK() bool { return r.Passed > 0 && r.Failed == 0 && r.Skipped == 0 }

// LeftBehind lists the users the run created and did not delete.
func (r *Result) LeftBehind() []Cleanup {
	var out []Cleanup
	for _, c := range r.Cleanup {
		if !c.Deleted {
			out = append(out, c)
		}
	}
	return out
}

type created struct{ id, userName string }

type runner struct {
	opts    Options
	client  *http.Client
	red     *redact.Set
	v11     bool
	res     *Result
	created []created
	// why is, for each variable a step should set but did not, the reason.
	why map[string]string
	// down is set after a request got no answer at all: the rest is skipped.
	down string
}

// Run runs the SPEC suite of opts.Version against opts.BaseURL (and, with CRUD, the
// CRUD suite's lifecycle), then removes the users it created. The error is for
// options that cannot run; a server's failures are in the Result.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Version == "" {
		opts.Version = "2.0"
	}
	if opts.Version != "2.0" && opts.Version != "1.1" {
		return nil, fmt.Errorf("SCIM version %q: use 2.0 or 1.1", opts.Version)
	}
	opts.BaseURL = strings.TrimRight(strings.TrimSpace(opts.BaseURL), "/")
	if u, err := url.Parse(opts.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("base URL %q: give the SCIM root as an absolute http(s) URL without a query", opts.BaseURL)
	}
	if opts.Authorization == "" || strings.ContainsAny(opts.Authorization, "\r\n\x00") {
		return nil, errors.New("the Authorization value is empty or contains a line break")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	spec := opts.SPEC
	if spec == nil {
		var err error
		if spec, err = loadEmbedded(SPECFile(opts.Version)); err != nil {
			return nil, err
		}
	}
	r := &runner{opts: opts, v11: opts.Version == "1.1", res: &Result{}, why: map[string]string{}}
	r.client = client(opts.Client)
	r.red = masker(opts.Authorization, opts.Secrets)

	vars := specVars()
	vars[specBaseVar], vars[specAuthVar] = opts.BaseURL, opts.Authorization
	r.suite(ctx, spec.Name, spec.Steps, vars, specBaseVar)

	if opts.CRUD {
		crud, err := loadEmbedded(CRUDFile(opts.Version))
		if err != nil {
			return nil, err
		}
		steps, err := crudSteps(crud, r.v11)
		if err != nil {
			return nil, err
		}
		cvars := crudVars()
		cvars[scimBaseVar], cvars[scimAuthVar] = opts.BaseURL, opts.Authorization
		r.why = map[string]string{}
		r.suite(ctx, crud.Name, steps, cvars, scimBaseVar)
	}
	if !opts.KeepUsers {
		r.cleanup(context.WithoutCancel(ctx))
	} else {
		for _, c := range r.created {
			r.res.Cleanup = append(r.res.Cleanup, Cleanup{ID: c.id, UserName: c.userName, Outcome: "kept, as asked"})
		}
	}
	return r.res, nil
}

// client copies c (or builds one) so that redirects come back as responses.
func client(c *http.Client) *http.Client {
	var out http.Client
	if c != nil {
		out = *c
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		out.Transport = tr
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &out
}

// masker masks each secret in the forms a server may echo it in (see redact.Set).
func masker(authorization string, secrets []string) *redact.Set {
	set := &redact.Set{}
	set.Add(authorization)
	set.Add(secrets...)
	return set
}

func (r *runner) suite(ctx context.Context, name string, steps []Step, vars map[string]string, baseVar string) {
	r.res.Suites = append(r.res.Suites, name)
	for _, st := range steps {
		if !st.IsRequest() {
			continue // pauses are not needed: every request waits for its answer
		}
		c := r.step(ctx, name, st, vars, baseVar)
		switch c.Status {
		case Pass:
			r.res.Passed++
		case Fail:
			r.res.Failed++
		default:
			r.res.Skipped++
		}
		r.res.Checks = append(r.res.Checks, c)
		if r.opts.OnCheck != nil {
			r.opts.OnCheck(c)
		}
	}
}

// needs lists the variables a step uses.
func needs(st Step) []string {
	texts := []string{st.URL, st.Body}
	for _, vals := range st.Headers {
		texts = append(texts, vals...)
	}
	for _, a := range st.Assertions {
		texts = append(texts, valueString(a.Value))
	}
	var out []string
	for _, t := range texts {
		for _, n := range refs(t) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

func (r *runner) step(ctx context.Context, suite string, st Step, vars map[string]string, baseVar string) Check {
	c := Check{Suite: suite, Name: st.Name(), Method: st.Method}
	if r.down != "" {
		c.Status, c.Reason = Skip, r.down
		return c
	}
	if ctx.Err() != nil {
		c.Status, c.Reason = Skip, "interrupted"
		return c
	}
	for _, n := range needs(st) {
		if _, ok := vars[n]; !ok {
			c.Status = Skip
			if why, ok := r.why[n]; ok {
				c.Reason = "needs {{" + n + "}}, which " + why
			} else {
				c.Reason = "needs {{" + n + "}}, which nothing defines"
			}
			return c
		}
	}
	fail := func(f Failure) Check {
		c.Status, c.Failures = Fail, []Failure{f}
		return c
	}
	u, err := buildURL(st.URL, vars, baseVar)
	if err != nil {
		return fail(Failure{Expected: "a request URL", Got: r.red.String(err.Error())})
	}
	c.URL = r.red.String(u)

	rctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	var body io.Reader
	if st.Body != "" {
		body = strings.NewReader(subst(st.Body, vars, jsonEscape))
	}
	req, err := http.NewRequestWithContext(rctx, st.Method, u, body)
	if err != nil {
		return fail(Failure{Expected: "a request", Got: r.red.String(err.Error())})
	}
	for k, vals := range st.Headers {
		for _, v := range vals {
			req.Header.Add(k, subst(v, vars, nil))
		}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", userAgent)
	}

	begin := time.Now()
	resp, err := r.client.Do(req)
	if err != nil {
		c.Duration = time.Since(begin)
		return r.noAnswer(ctx, c, err)
	}
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	resp.Body.Close()
	c.Duration = time.Since(begin)
	if readErr != nil {
		return r.noAnswer(ctx, c, readErr)
	}
	doc, jsonOK := parseJSON(raw)
	c.Failures = r.assess(st, vars, resp, raw, doc, jsonOK, c.Duration)
	r.extract(st, c.Name, len(c.Failures) > 0, vars, doc, jsonOK)
	if st.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/Users") && resp.StatusCode/100 == 2 {
		r.noteCreated(doc)
	}
	if len(c.Failures) == 0 {
		c.Status = Pass
		return c
	}
	c.Status = Fail
	c.Excerpt = r.excerpt(resp, raw)
	c.Hint = r.hint(st, c, resp)
	return c
}

// noAnswer fails a check whose request got no (complete) response. A timeout fails
// just this check; anything else (refused, DNS, TLS) means the server cannot be
// reached, and the remaining checks are skipped.
func (r *runner) noAnswer(ctx context.Context, c Check, err error) Check {
	if ctx.Err() != nil {
		c.Status, c.Reason = Skip, "interrupted"
		r.down = "interrupted"
		return c
	}
	c.Status = Fail
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	cause := r.red.String(oneLine(err.Error()))
	var ne interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		c.Failures = []Failure{{Expected: "a response within " + r.opts.Timeout.String(), Got: "no response in time"}}
		c.Hint = "the server did not answer in time; Okta gives up on slow SCIM servers too"
		return c
	}
	c.Failures = []Failure{{Expected: "a response", Got: "no response: " + cause}}
	c.Hint = "check the base URL's host and port, that the server is running, and (for https) that its certificate is valid for the host"
	r.down = "not sent: the server did not answer an earlier request (" + cause + ")"
	return c
}

// assess applies the step's assertions (and scripts) to the response.
func (r *runner) assess(st Step, vars map[string]string, resp *http.Response, raw []byte, doc any, jsonOK bool, elapsed time.Duration) []Failure {
	var fails []Failure
	if readsJSON(st) {
		if f := r.contentType(resp.Header.Get("Content-Type")); f != nil {
			fails = append(fails, *f)
		}
	}
	notJSONSaid := false
	for _, a := range st.Assertions {
		want := subst(valueString(a.Value), vars, nil)
		switch a.Source {
		case "response_status":
			if !compareNumber(a.Comparison, float64(resp.StatusCode), want) {
				fails = append(fails, Failure{Expected: "status " + strings.ReplaceAll(want, ",", " or "), Got: statusText(resp.StatusCode)})
			}
		case "response_time":
			ms := float64(elapsed.Microseconds()) / 1000
			if !compareNumber(a.Comparison, ms, want) {
				fails = append(fails, Failure{Expected: "a response in less than " + want + " ms", Got: strconv.FormatFloat(ms, 'f', 0, 64) + " ms"})
			}
		case "response_json":
			if !jsonOK {
				if !notJSONSaid {
					fails = append(fails, Failure{Expected: "a JSON body (to check " + a.Property + ")", Got: notJSON(raw)})
					notJSONSaid = true
				}
				continue
			}
			got, found := lookup(doc, a.Property)
			if f := compareJSON(a.Comparison, a.Property, got, found, want); f != nil {
				fails = append(fails, *f)
			}
		default:
			fails = append(fails, Failure{Expected: "assertion on " + a.Source, Got: "a source oktascim does not implement"})
		}
	}
	for _, sc := range st.Scripts {
		if strings.TrimSpace(sc) == "" {
			continue
		}
		fn, ok := lookupScript(sc)
		if !ok {
			fails = append(fails, Failure{Expected: "a known post-response script", Got: "a script oktascim does not run"})
			continue
		}
		if f := fn(doc, jsonOK, vars); f != nil {
			fails = append(fails, *f)
		}
	}
	return fails
}

// readsJSON reports whether a step reads the response body as JSON.
func readsJSON(st Step) bool {
	for _, a := range st.Assertions {
		if a.Source == "response_json" {
			return true
		}
	}
	for _, v := range st.Variables {
		if v.Name != "" && v.Source == "response_json" {
			return true
		}
	}
	for _, s := range st.Scripts {
		if strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}

// contentType: a body the suite reads as JSON must be labelled as JSON. SCIM 2.0
// names application/scim+json (RFC 7644 §3.1), 1.1 application/json; Okta accepts
// either, so either passes.
func (r *runner) contentType(ct string) *Failure {
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/scim+json" || mt == "application/json") {
		return nil
	}
	want := "Content-Type application/scim+json"
	if r.v11 {
		want = "Content-Type application/json"
	}
	got := "Content-Type " + cut(oneLine(ct), 80)
	if strings.TrimSpace(ct) == "" {
		got = "no Content-Type"
	}
	return &Failure{Expected: want, Got: got}
}

func parseJSON(raw []byte) (any, bool) {
	if len(raw) > MaxBody {
		return nil, false
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, false
	}
	return doc, true
}

func notJSON(raw []byte) string {
	switch {
	case len(strings.TrimSpace(string(raw))) == 0:
		return "an empty body"
	case len(raw) > MaxBody:
		return "a body larger than 1 MiB"
	case strings.HasPrefix(strings.TrimSpace(string(raw)), "<"):
		return "HTML or XML, not JSON"
	}
	return "a body that is not JSON"
}

func statusText(code int) string {
	s := "status " + strconv.Itoa(code)
	if t := http.StatusText(code); t != "" {
		s += " (" + t + ")"
	}
	return s
}

// extract sets the step's variables from the response; a variable it cannot set is
// removed, with the reason, so later steps that need it are skipped rather than sent
// with a stale or empty value.
func (r *runner) extract(st Step, name string, failed bool, vars map[string]string, doc any, jsonOK bool) {
	for _, v := range st.Variables {
		if v.Name == "" {
			continue
		}
		if jsonOK && v.Source == "response_json" {
			if got, found := lookup(doc, v.Property); found && valueString(got) != "" {
				vars[v.Name] = valueString(got)
				delete(r.why, v.Name)
				continue
			}
		}
		delete(vars, v.Name)
		why := fmt.Sprintf("%q did not set (no %s in its response)", name, v.Property)
		if failed {
			why = fmt.Sprintf("%q did not set (it failed)", name)
		}
		r.why[v.Name] = why
	}
}

func (r *runner) noteCreated(doc any) {
	m, _ := doc.(map[string]any)
	id, _ := m["id"].(string)
	if id == "" {
		return
	}
	for _, c := range r.created {
		if c.id == id {
			return
		}
	}
	name, _ := m["userName"].(string)
	r.created = append(r.created, created{id: id, userName: name})
}

// excerpt is the response in one masked line: status, Content-Type, start of the body.
func (r *runner) excerpt(resp *http.Response, raw []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "none"
	}
	body := raw[:min(len(raw), 4*excerptBytes)]
	text := oneLine(strings.ToValidUTF8(r.red.String(string(body)), "\uFFFD"))
	if len(text) > excerptBytes {
		end := excerptBytes
		for end > 0 && !isRuneStart(text[end]) {
			end--
		}
		text = text[:end] + "…"
	} else if len(raw) > len(body) {
		text += "…"
	}
	if text == "" {
		text = "(empty)"
	}
	line := fmt.Sprintf("HTTP %d, Content-Type: %s, body: %s", resp.StatusCode, cut(oneLine(ct), 80), text)
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
		line += ", Location: " + cut(oneLine(loc), 200)
	}
	return r.red.String(line)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// oneLine folds white space and control characters into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// hint names the usual cause of a failure, when there is a clear one.
func (r *runner) hint(st Step, c Check, resp *http.Response) string {
	first := c.Failures[0]
	code := resp.StatusCode
	switch {
	case code/100 == 3:
		return "Okta does not follow redirects: use the URL the server redirects to as the base URL"
	case code == http.StatusUnauthorized && !strings.Contains(first.Expected, "401"):
		return "the server refused the credentials: check the token (or user and password) and the auth method"
	case strings.HasPrefix(first.Expected, "Content-Type"):
		if strings.Contains(first.Got, "html") {
			return "an HTML answer usually comes from a login page, a proxy or a wrong path, not from the SCIM API"
		}
		return "label every SCIM response with Content-Type application/scim+json (SCIM 1.1: application/json)"
	case code == http.StatusNotFound && !strings.Contains(first.Expected, "404"):
		return "nothing at that path: the base URL should be the SCIM root (e.g. https://host/scim/v2), without /Users"
	case strings.HasPrefix(first.Expected, "Resources not empty") && strings.HasSuffix(st.URL, "/Users?count=1&startIndex=1"):
		return "Okta's suite needs at least one user on the server: create one, then run the check again"
	case strings.HasPrefix(first.Expected, "totalResults") && strings.Contains(st.URL, "filter="):
		return "the server must apply the filter: userName eq \"x\" must return only the users named x"
	case strings.Contains(first.Expected, "ListResponse"):
		return `list responses must have "schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`
	case strings.Contains(first.Expected, "at least one group"):
		return "Okta's SCIM 1.1 suite needs at least one group on the server: create one, then run the check again"
	case strings.Contains(first.Expected, "messages:2.0:Error"):
		return `error responses must be SCIM errors: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"…"}`
	}
	return ""
}

// cleanup deactivates and deletes each user the run created, and says what is left.
func (r *runner) cleanup(ctx context.Context) {
	for _, c := range r.created {
		out := Cleanup{ID: c.id, UserName: c.userName}
		deactivated, why := r.deactivate(ctx, c.id)
		status, err := r.send(ctx, http.MethodDelete, "/Users/"+url.PathEscape(c.id), "")
		switch {
		case err == nil && status/100 == 2:
			after, err := r.send(ctx, http.MethodGet, "/Users/"+url.PathEscape(c.id), "")
			if err == nil && after == http.StatusNotFound {
				out.Deleted, out.Outcome = true, "deleted"
			} else {
				out.Outcome = fmt.Sprintf("DELETE answered %d but the user is still there (GET: %s)", status, sentStatus(after, err))
			}
		default:
			out.Outcome = "not deleted (DELETE: " + sentStatus(status, err) + ")"
		}
		if !out.Deleted {
			if deactivated {
				out.Outcome = "deactivated, " + out.Outcome
			} else {
				out.Outcome = "still active (deactivation: " + why + "), " + out.Outcome
			}
		}
		r.res.Cleanup = append(r.res.Cleanup, out)
	}
}

func sentStatus(status int, err error) string {
	if err != nil {
		return "no response"
	}
	return strconv.Itoa(status)
}

// deactivate sets active to false the way Okta does: a PatchOp in 2.0, a PUT of the
// whole user in 1.1.
func (r *runner) deactivate(ctx context.Context, id string) (bool, string) {
	path := "/Users/" + url.PathEscape(id)
	if !r.v11 {
		status, err := r.send(ctx, http.MethodPatch, path, fmt.Sprintf(patchActive20, false))
		return err == nil && status/100 == 2, "PATCH: " + sentStatus(status, err)
	}
	status, body, err := r.sendRead(ctx, http.MethodGet, path, "")
	if err != nil || status != http.StatusOK {
		return false, "GET: " + sentStatus(status, err)
	}
	var user map[string]any
	if json.Unmarshal(body, &user) != nil || user == nil {
		return false, "GET: not a JSON user"
	}
	user["active"] = false
	delete(user, "meta")
	b, _ := json.Marshal(user)
	status, err = r.send(ctx, http.MethodPut, path, string(b))
	return err == nil && status/100 == 2, "PUT: " + sentStatus(status, err)
}

func (r *runner) send(ctx context.Context, method, path, body string) (int, error) {
	status, _, err := r.sendRead(ctx, method, path, body)
	return status, err
}

// sendRead sends one cleanup request to base URL + path with the credentials.
func (r *runner) sendRead(ctx context.Context, method, path, body string) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.opts.BaseURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	ct := "application/scim+json"
	if r.v11 {
		ct = "application/json"
	}
	req.Header.Set("Authorization", r.opts.Authorization)
	req.Header.Set("Accept", ct)
	if body != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	return resp.StatusCode, b, err
}

// specVars are the variables Okta's Runscope initial script sets for the SPEC suites
// (that script is JavaScript and not published; its values are described in
// shared/reference/SOURCES.md): a random user, a user name that does not exist and an
// id that does not exist.
func specVars() map[string]string {
	given := "Runscope" + digits(3)
	family := strings.ToUpper(letters(1)) + letters(8) + digits(3)
	email := given + family + "@atko.com"
	return map[string]string{
		"randomGivenName":        given,
		"randomFamilyName":       family,
		"randomEmail":            email,
		"randomUsername":         email,
		"randomUsernameCaps":     strings.ToUpper(email),
		"InvalidUserEmail":       "abcdefgh@atko.com",
		"UserIdThatDoesNotExist": "010101001010101011001010101011",
	}
}

// crudVars are the CRUD suites' initial variables: the user the lifecycle works on.
func crudVars() map[string]string {
	first := "Runscope" + digits(3)
	last := strings.ToUpper(letters(1)) + letters(8) + digits(3)
	update := first + "Updated"
	email := strings.ToLower(first+"."+last) + "@atko.com"
	return map[string]string{
		"okta_user_firstname":        first,
		"okta_user_lastname":         last,
		"okta_user_fullname":         first + " " + last,
		"okta_user_firstname_update": update,
		"okta_user_fullname_update":  update + " " + last,
		"okta_user_email":            email,
		"okta_user_title":            "Engineer",
		"okta_user_primaryphone":     "415.123.4567",
	}
}

func digits(n int) string { return randomFrom("0123456789", n) }

func letters(n int) string { return randomFrom("abcdefghijklmnopqrstuvwxyz", n) }

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}
