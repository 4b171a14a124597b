package openapicheck

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Request is one HTTP request as a recorder saw it. Path is the URL path only
// (e.g. /api/v1/apps/0oa123); the host does not matter.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// String names the request without its query, headers or body, which may hold
// secrets.
func (r Request) String() string { return r.Method + " " + r.Path }

// httpRequest builds a fresh *http.Request for one validation pass; the body can be
// read once, so each pass needs its own.
func (r Request) httpRequest() (*http.Request, error) {
	u := &url.URL{Scheme: "http", Host: "127.0.0.1", RawQuery: r.RawQuery}
	// Keep escaped path segments (e.g. %2F inside an id) as sent.
	if err := setPath(u, r.Path); err != nil {
		return nil, err
	}
	var body io.Reader = http.NoBody
	if len(r.Body) > 0 {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequest(r.Method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid request: %w", r, err)
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	return req, nil
}

func setPath(u *url.URL, escaped string) error {
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return fmt.Errorf("path %q is not validly escaped: %w", escaped, err)
	}
	u.Path, u.RawPath = p, escaped
	return nil
}

// RequestFrom captures an incoming request (e.g. in a recording handler). It reads
// the body and puts an unread copy back, so the handler can still use it.
func RequestFrom(req *http.Request) (Request, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return Request{}, fmt.Errorf("read body of %s %s: %w", req.Method, req.URL.Path, err)
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		body = b
	}
	return Request{
		Method:   req.Method,
		Path:     req.URL.EscapedPath(),
		RawQuery: req.URL.RawQuery,
		Header:   req.Header.Clone(),
		Body:     body,
	}, nil
}
