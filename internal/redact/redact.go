// Package redact is the one place every output path goes through so that no secret
// value reaches a terminal, a log, a JSON document or an error message, and no value
// from outside (a file, an environment variable, Okta, a SCIM server) can drive the
// terminal.
//
// A Set masks each registered secret in every form it can take on the way out (as is,
// each part after a scheme word, URL path- and query-escaped, JSON-escaped, base64 of
// Basic credentials), and always masks recognisable credential shapes (Authorization
// headers, Bearer/Basic/SSWS values, token=, password=, client_secret=, JWTs), so a
// secret the tool was never told about (status --all, a System Log reason) is masked
// too.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask is what a secret is replaced with.
const Mask = "(sensitive)"

// minLen: shorter values are not masked (they would mangle ordinary text, and are not
// secrets anyone should use).
const minLen = 4

// Set is a set of secret values to mask. It is safe for concurrent use; the zero
// value is ready (it masks credential shapes only).
type Set struct {
	mu       sync.RWMutex
	secrets  map[string]bool
	sorted   []string
	replacer *strings.Replacer
}

// Add registers secret values, each in every form it may be echoed in.
func (s *Set) Add(values ...string) {
	var forms []string
	for _, v := range values {
		forms = append(forms, Forms(v)...)
	}
	s.addForms(forms)
}

// AddBasic registers Basic credentials: the password in every form, and the base64
// of user:pass that an Authorization header carries.
func (s *Set) AddBasic(user, password string) {
	s.Add(password)
	if password != "" {
		s.addForms([]string{base64.StdEncoding.EncodeToString([]byte(user + ":" + password))})
	}
}

func (s *Set) addForms(forms []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets == nil {
		s.secrets = map[string]bool{}
	}
	changed := false
	for _, f := range forms {
		if len(f) >= minLen && f != Mask && !s.secrets[f] {
			s.secrets[f] = true
			s.sorted = append(s.sorted, f)
			changed = true
		}
	}
	if !changed {
		return
	}
	// Longest first: the replacer tries the old strings in argument order at each
	// position, so a secret containing another is masked whole.
	sort.SliceStable(s.sorted, func(i, j int) bool { return len(s.sorted[i]) > len(s.sorted[j]) })
	pairs := make([]string, 0, 2*len(s.sorted))
	for _, v := range s.sorted {
		pairs = append(pairs, v, Mask)
	}
	s.replacer = strings.NewReplacer(pairs...)
}

// schemes are the words an Authorization value starts with.
var schemes = []string{"Bearer", "Basic", "SSWS", "Token"}

// Forms are the ways a secret may appear in text a server or the tool writes: as is,
// each part after a scheme word ("Bearer X" → X), each line of a multi-line value (a
// PEM key, also given with \n escapes), URL query- and path-escaped, JSON-escaped.
func Forms(v string) []string {
	if v == "" {
		return nil
	}
	base := []string{v}
	if scheme, rest, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
		for _, w := range schemes {
			if strings.EqualFold(scheme, w) {
				base = append(base, strings.TrimSpace(rest))
			}
		}
	}
	if whole := strings.ReplaceAll(v, `\n`, "\n"); strings.Contains(whole, "\n") {
		base = append(base, whole)
		for _, line := range strings.Split(whole, "\n") {
			if line = strings.TrimSpace(line); len(line) >= 16 && !strings.HasPrefix(line, "-----") {
				base = append(base, line)
			}
		}
	}
	var out []string
	for _, b := range base {
		out = append(out, b, url.QueryEscape(b), url.PathEscape(b), jsonString(b, true), jsonString(b, false))
	}
	return out
}

// jsonString is v as the inside of a JSON string, with or without Go's escaping of
// <, > and & (other encoders leave them).
func jsonString(v string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v)
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(b.String()), `"`), `"`)
}

// String masks every registered secret and every credential shape in text.
func (s *Set) String(text string) string {
	if s != nil {
		s.mu.RLock()
		r := s.replacer
		s.mu.RUnlock()
		if r != nil {
			text = r.Replace(text)
		}
	}
	return Shapes(text)
}

// Shapes masks what looks like a credential whatever its value: the value of an
// Authorization header, the credential after Bearer/Basic/SSWS, the value of token=,
// password=, client_secret= (and their JSON forms), and JWTs.
func Shapes(text string) string {
	if !maybeShape(text) {
		return text
	}
	for _, sh := range shapes {
		text = sh.re.ReplaceAllStringFunc(text, func(m string) string {
			sub := sh.re.FindStringSubmatch(m)
			cred := sub[len(sub)-1]
			if cred == "" || strings.HasPrefix(cred, Mask) || !sh.credential(cred) {
				return m
			}
			return sub[1] + Mask
		})
	}
	return text
}

// maybeShape is a cheap test that keeps the regular expressions off most lines.
func maybeShape(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"auth", "bearer", "basic", "ssws", "token", "pass", "secret", "eyj", "key"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

type shape struct {
	re *regexp.Regexp // the last group is the credential; group 1 is kept
	// credential tells a credential from ordinary words (Basic authentication).
	credential func(string) bool
}

// credChars: what a token, base64 or URL-escaped value is made of.
const credChars = `[A-Za-z0-9\-._~+/=%]`

var shapes = []shape{
	// Authorization: Bearer X / Authorization: X (a header or its echo), and the
	// same as a JSON member or query parameter.
	{regexp.MustCompile(`(?i)(\bauthorization"?[ \t]*[:=][ \t]*"?(?:(?:bearer|basic|ssws|token)(?:[ \t]+|%20|\+))?)(` + credChars + `{4,})`), notScheme},
	// A scheme word followed by a credential anywhere (a System Log reason, an echo).
	{regexp.MustCompile(`(\b(?i:bearer|basic|ssws)(?:[ \t]+|%20|\+))(` + credChars + `{8,})`), looksLikeCredential},
	// token=X, password=X, client_secret=X in URLs and forms; "password":"X" in JSON.
	{regexp.MustCompile(`(?i)(\b(?:access_token|refresh_token|id_token|token|password|passwd|client_secret|secret|api_key|apikey|private_key)(?:=|%3D|"\s*:\s*"))([^&\s"'<>]{4,})`), always},
	// A JWT (an access token or a client assertion).
	{regexp.MustCompile(`()(\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)`), always},
}

func always(string) bool { return true }

// notScheme: in "Authorization: Bearer <token>" the match that skips the scheme word
// must not take the word itself for the credential.
func notScheme(s string) bool {
	for _, w := range schemes {
		if strings.EqualFold(s, w) {
			return false
		}
	}
	return true
}

// looksLikeCredential: after a scheme word, a credential has a digit or a symbol, or
// is too long for a word; "Basic authentication" is prose.
func looksLikeCredential(s string) bool {
	return len(s) >= 20 || strings.ContainsAny(s, "0123456789-._~+/=%")
}

// Writer wraps w so that everything written through it is masked and its control
// characters escaped (see Escape), except the tool's own control sequences (see
// Control). Writes are buffered up to each newline so a secret split across two Write
// calls is still caught; Flush writes out a trailing partial line.
func (s *Set) Writer(w io.Writer) *Writer { return &Writer{set: s, w: w} }

// Writer masks secrets and escapes control characters line by line.
type Writer struct {
	mu  sync.Mutex
	set *Set
	w   io.Writer
	buf []byte
}

func (rw *Writer) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	if i := strings.LastIndexByte(string(rw.buf), '\n'); i >= 0 {
		out := rw.clean(string(rw.buf[:i+1]))
		rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
		if _, err := io.WriteString(rw.w, out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes out any buffered partial line.
func (rw *Writer) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	out := rw.clean(string(rw.buf))
	rw.buf = rw.buf[:0]
	_, err := io.WriteString(rw.w, out)
	return err
}

func (rw *Writer) clean(s string) string {
	return split(s, func(t string) string { return Escape(rw.set.String(t)) })
}
