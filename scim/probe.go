package scim

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/oktascim/oktascim/internal/redact"
)

// AuthMethod is how the credentials are sent: "basic", "header" or "oauth".
type AuthMethod string

// Authentication methods, as named in the config file.
const (
	AuthBasic  AuthMethod = "basic"
	AuthHeader AuthMethod = "header"
	AuthOAuth  AuthMethod = "oauth"
)

// Credentials are what the admin enters in the app's Provisioning tab.
type Credentials struct {
	Method                    AuthMethod
	Token, Username, Password string
}

// Target is the SCIM server to probe.
type Target struct {
	BaseURL     string
	Version     string // "2.0" or "1.1"
	Credentials Credentials
}

// Problem classifies a failed probe.
type Problem string

// Problems a probe can report.
const (
	ProblemNone            Problem = ""
	ProblemDNS             Problem = "dns"
	ProblemConnect         Problem = "connect"
	ProblemTimeout         Problem = "timeout"
	ProblemTLS             Problem = "tls"
	ProblemUnauthorized    Problem = "unauthorized"
	ProblemForbidden       Problem = "forbidden"
	ProblemNotFound        Problem = "not_found"
	ProblemServerError     Problem = "server_error"
	ProblemNotJSON         Problem = "not_json"
	ProblemNotListResponse Problem = "not_list_response"
	ProblemRedirect        Problem = "redirect"
)

// Result is the outcome of a probe. No field ever contains a credential.
type Result struct {
	OK          bool
	Status      int // HTTP status, 0 when no response
	ContentType string
	URL         string  // the URL requested
	Problem     Problem // "" when OK
	Detail      string  // one line: what went wrong
	Hint        string  // one line: what to do
	Excerpt     string  // start of the body, credentials replaced by "(sensitive)"
}

const (
	maxBody       = 1 << 20
	excerptLen    = 200
	sensitive     = "(sensitive)"
	listURN20     = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	core11URN     = "urn:scim:schemas:core:1.0"
	defaultTimout = 30 * time.Second
)

// AuthorizationHeader is the Authorization header Okta sends for c: the token verbatim
// for header auth, "Bearer "+token for oauth, "Basic "+base64(user:pass) for basic.
func AuthorizationHeader(c Credentials) (string, error) {
	var h string
	switch AuthMethod(strings.ToLower(string(c.Method))) {
	case AuthHeader:
		if c.Token == "" {
			return "", errors.New("header auth needs a token")
		}
		h = c.Token
	case AuthOAuth:
		if c.Token == "" {
			return "", errors.New("oauth auth needs a token")
		}
		h = "Bearer " + c.Token
	case AuthBasic:
		if c.Username == "" || c.Password == "" {
			return "", errors.New("basic auth needs a username and a password")
		}
		if strings.Contains(c.Username, ":") {
			return "", errors.New("basic auth: the username must not contain ':'")
		}
		h = "Basic " + base64.StdEncoding.EncodeToString([]byte(c.Username+":"+c.Password))
	case "":
		return "", errors.New("no auth method: use basic, header or oauth")
	default:
		return "", fmt.Errorf("unknown auth method %q: use basic, header or oauth", sanitizeLine(string(c.Method)))
	}
	if strings.ContainsAny(h, "\r\n\x00") {
		return "", errors.New("the credentials contain a line break or NUL, which cannot be sent in an HTTP header")
	}
	return h, nil
}

// Probe sends what Okta's "Test API Credentials" sends — GET {base}/Users?count=2&startIndex=1
// with the credentials — and checks the answer is a SCIM list. hc may be nil (a client
// with a 30 s timeout is used); redirects are never followed.
func Probe(ctx context.Context, hc *http.Client, t Target) Result {
	red := newRedactor(t.Credentials)
	res := probe(ctx, hc, t, red)
	res.URL = red.String(res.URL)
	res.ContentType = red.String(res.ContentType)
	res.Detail = red.String(res.Detail)
	res.Hint = red.String(res.Hint)
	res.Excerpt = red.String(res.Excerpt)
	return res
}

func probe(ctx context.Context, hc *http.Client, t Target, red *redact.Set) Result {
	v11 := t.Version == "1.1"
	base := strings.TrimRight(strings.TrimSpace(t.BaseURL), "/")
	res := Result{URL: base + "/Users?count=2&startIndex=1"}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		res.Problem = ProblemConnect
		res.Detail = "the base URL is not an absolute http(s) URL"
		res.Hint = "set the base URL to the SCIM root, e.g. https://scim.example.com/scim/v2"
		return res
	}
	authz, err := AuthorizationHeader(t.Credentials)
	if err != nil {
		res.Problem = ProblemUnauthorized
		res.Detail = "no request sent: " + err.Error()
		res.Hint = "complete the credentials for the chosen auth method"
		return res
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, res.URL, nil)
	if err != nil {
		res.Problem = ProblemConnect
		res.Detail = "cannot build the request: " + err.Error()
		res.Hint = "set the base URL to the SCIM root, e.g. https://scim.example.com/scim/v2"
		return res
	}
	accept := "application/scim+json"
	if v11 {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Authorization", authz)
	req.Header.Set("User-Agent", "oktascim")

	resp, err := noRedirects(hc).Do(req)
	if err != nil {
		classifyTransport(&res, u, err)
		return res
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	tooBig := len(body) > maxBody
	if tooBig {
		body = body[:maxBody]
	}
	res.Status = resp.StatusCode
	res.ContentType = sanitizeLine(resp.Header.Get("Content-Type"))
	res.Excerpt = excerpt(red.String(string(body))) // redact before cutting, so no fragment survives
	status := fmt.Sprintf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	root := exampleRoot(u, v11)

	switch code := resp.StatusCode; {
	case code >= 300 && code < 400:
		res.Problem = ProblemRedirect
		loc := resp.Header.Get("Location")
		if loc == "" {
			res.Detail = status + " without a Location"
		} else {
			if l, err := req.URL.Parse(loc); err == nil {
				loc = l.String()
			}
			res.Detail = status + ": redirected to " + sanitizeLine(loc)
		}
		res.Hint = "Okta does not follow redirects: set the base URL to the address the server redirects to (often https:// instead of http://, or a different path)"
		return res
	case code == http.StatusUnauthorized:
		res.Problem = ProblemUnauthorized
		res.Detail = status + ": the server refused the credentials"
		if ch := challenge(resp.Header.Get("WWW-Authenticate")); ch != "" {
			res.Detail += " (it asks for " + ch + " authentication)"
		}
		res.Hint = "the SCIM server refused the credentials: check the token (or username and password); for header auth the value is sent verbatim, so include any 'Bearer ' prefix your server expects"
		return res
	case code == http.StatusForbidden:
		res.Problem = ProblemForbidden
		res.Detail = status + ": the credentials were accepted but may not list users"
		res.Hint = "the credentials were accepted but lack permission: grant the SCIM token (or user) permission to read and manage /Users and /Groups"
		return res
	case code == http.StatusNotFound:
		res.Problem = ProblemNotFound
		res.Detail = status + ": nothing at " + sanitizeLine(req.URL.Path)
		if strings.HasSuffix(strings.ToLower(u.Path), "/users") {
			res.Detail += " (the base URL already ends with /Users)"
		}
		res.Hint = "wrong base path: the base URL should be the SCIM root, e.g. " + root + ", without /Users"
		return res
	case code >= 500:
		res.Problem = ProblemServerError
		res.Detail = status + ": the SCIM server failed while listing users"
		res.Hint = "the request and credentials reached the SCIM server but it failed: check the server's logs for GET /Users?count=2&startIndex=1"
		return res
	case code != http.StatusOK:
		res.Problem = ProblemNotListResponse
		res.Detail = status + ": Okta's test expects 200 with a list of users"
		res.Hint = "the SCIM server must answer GET /Users?count=2&startIndex=1 with 200 and a ListResponse (count and startIndex are paging parameters it must accept)"
		return res
	}
	if readErr != nil {
		res.Problem = ProblemConnect
		res.Detail = status + ", but reading the body failed: " + sanitizeLine(rootCause(readErr).Error())
		res.Hint = "the connection broke mid-response: check proxies or load balancers between Okta and the SCIM server"
		return res
	}

	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	trimmed := bytes.TrimSpace(body)
	isHTML := mt == "text/html" || mt == "application/xhtml+xml" || bytes.HasPrefix(trimmed, []byte("<"))
	if mt != "application/scim+json" && mt != "application/json" {
		res.Problem = ProblemNotJSON
		ct := res.ContentType
		if ct == "" {
			ct = "no Content-Type"
		}
		if isHTML {
			if mt == "" {
				ct = "no Content-Type"
			}
			res.Detail = "got HTML (" + ct + ") instead of SCIM JSON"
			res.Hint = "the URL serves a web page (login page, proxy or wrong host), not the SCIM API: check the host and path of the base URL"
		} else {
			res.Detail = "got " + ct + " instead of SCIM JSON"
			res.Hint = "the SCIM server must answer with Content-Type application/scim+json (or application/json)"
		}
		return res
	}
	if tooBig {
		res.Problem = ProblemNotListResponse
		res.Detail = "the body is larger than 1 MiB for count=2"
		res.Hint = "the SCIM server must honour the count parameter and return at most 2 users"
		return res
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		res.Problem = ProblemNotJSON
		res.Detail = "the body is not valid JSON although the Content-Type is " + res.ContentType
		if isHTML {
			res.Detail = "got HTML labelled as " + res.ContentType
			res.Hint = "the URL serves a web page (login page, proxy or wrong host), not the SCIM API: check the host and path of the base URL"
		} else {
			res.Hint = "the SCIM server must return a JSON ListResponse for GET /Users"
		}
		return res
	}
	if detail := checkList(doc, v11); detail != "" {
		res.Problem = ProblemNotListResponse
		res.Detail = detail
		if v11 {
			res.Hint = `GET /Users must return a SCIM 1.1 list: {"schemas":["urn:scim:schemas:core:1.0"],"totalResults":N,"Resources":[...]}`
		} else {
			res.Hint = `GET /Users must return a SCIM 2.0 ListResponse: {"schemas":["` + listURN20 + `"],"totalResults":N,"Resources":[...]}`
			if m, ok := doc.(map[string]any); ok && hasString(m["schemas"], core11URN) {
				res.Hint = "the server answers in SCIM 1.1 (schemas urn:scim:schemas:core:1.0): set the integration's SCIM version to 1.1"
			}
		}
		return res
	}
	res.OK = true
	return res
}

// checkList returns "" when doc is a SCIM list, else what is wrong.
func checkList(doc any, v11 bool) string {
	m, ok := doc.(map[string]any)
	if !ok {
		if _, isArr := doc.([]any); isArr {
			return "the body is a bare JSON array, not a SCIM list object"
		}
		return "the body is not a JSON object"
	}
	if !v11 && !hasString(m["schemas"], listURN20) {
		return "schemas does not contain " + listURN20
	}
	total, ok := m["totalResults"].(float64)
	if !ok {
		return "totalResults is missing or not a number"
	}
	if _, ok := m["Resources"].([]any); !ok && (total > 0 || v11 && m["Resources"] != nil) {
		return fmt.Sprintf("totalResults is %g but Resources is missing or not an array", total)
	}
	return ""
}

func hasString(v any, s string) bool {
	arr, _ := v.([]any)
	for _, x := range arr {
		if x == s {
			return true
		}
	}
	return false
}

func exampleRoot(u *url.URL, v11 bool) string {
	p := "/scim/v2"
	if v11 {
		p = "/scim/v1"
	}
	return u.Scheme + "://" + u.Host + p
}

// challenge returns the auth scheme of a WWW-Authenticate header ("Basic", "Bearer").
func challenge(h string) string {
	h = strings.TrimSpace(h)
	if i := strings.IndexAny(h, " ,"); i >= 0 {
		h = h[:i]
	}
	if len(h) > 20 {
		return ""
	}
	return sanitizeLine(h)
}

func classifyTransport(res *Result, u *url.URL, err error) {
	cause := sanitizeLine(rootCause(err).Error())
	host := u.Hostname()
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		res.Problem = ProblemDNS
		res.Detail = "cannot resolve " + host + ": " + cause
		res.Hint = "check the host name in the base URL; Okta's cloud resolves it in public DNS, so internal-only names do not work"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		res.Problem = ProblemTimeout
		res.Detail = "no answer from " + u.Host + " in time: " + cause
		res.Hint = "check that the SCIM server is running and reachable from the internet on that port, and that no firewall silently drops the traffic"
	case errors.Is(err, context.Canceled):
		res.Problem = ProblemTimeout
		res.Detail = "the request was canceled before " + u.Host + " answered"
		res.Hint = "run the test again and let it finish"
	case isTLS(err):
		res.Problem = ProblemTLS
		res.Detail = "TLS with " + u.Host + " failed: " + cause
		if strings.Contains(err.Error(), "HTTP response to HTTPS client") {
			res.Hint = "the port speaks plain HTTP: use an https endpoint with a valid certificate (Okta requires https), or http:// only for local tests"
		} else {
			res.Hint = "Okta needs a certificate from a public CA that matches the host name and a complete chain; self-signed, expired or private-CA certificates are refused"
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		res.Problem = ProblemConnect
		res.Detail = "connection to " + u.Host + " refused"
		res.Hint = "nothing listens on that host and port: check the port in the base URL and that the SCIM server is running"
	default:
		res.Problem = ProblemConnect
		res.Detail = "cannot connect to " + u.Host + ": " + cause
		res.Hint = "check the host and port in the base URL and that the SCIM server is reachable from the internet"
	}
}

func isTLS(err error) bool {
	var (
		ua    x509.UnknownAuthorityError
		he    x509.HostnameError
		ci    x509.CertificateInvalidError
		cve   *tls.CertificateVerificationError
		rhe   tls.RecordHeaderError
		alert tls.AlertError
	)
	if errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) || errors.As(err, &cve) || errors.As(err, &rhe) || errors.As(err, &alert) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "tls:") || strings.Contains(s, "x509:") || strings.Contains(s, "HTTP response to HTTPS client")
}

// rootCause unwraps *url.Error so the message does not repeat the URL.
func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// excerpt is the first ~200 characters of body as one line.
func excerpt(body string) string {
	s := strings.ToValidUTF8(body[:min(len(body), 4*excerptLen)], "\uFFFD")
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) > excerptLen {
		r := []rune(s)
		s = string(r[:excerptLen]) + "…"
	}
	return s
}

// sanitizeLine makes s one printable line.
func sanitizeLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// newRedactor masks every form of the credentials (see redact.Set), and whatever
// looks like a credential.
func newRedactor(c Credentials) *redact.Set {
	red := &redact.Set{}
	red.Add(c.Token)
	if c.Username != "" || c.Password != "" {
		red.AddBasic(c.Username, c.Password)
	}
	return red
}

// noRedirects is the client every request to a SCIM server goes through: hc (or one
// with the default timeout) that never follows a redirect, so the credentials go only
// to the base URL the file names.
func noRedirects(hc *http.Client) *http.Client {
	client := &http.Client{Timeout: defaultTimout}
	if hc != nil {
		c := *hc
		client = &c
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return client
}
