package okta

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/oktascim/oktascim/internal/redact"
)

// listing is one list endpoint read page by page. maxPages is what is plausible for
// the list: an answer that keeps linking further is broken or hostile (a proxy, a
// stand-in), and paging on would take minutes before any bound a real org reaches.
type listing struct {
	op       string // what the tool is doing, for errors: "list apps"
	what     string // what the list holds, for messages: "apps"
	path     string // the first page, path and query
	maxPages int
}

// Plausible page counts per list (at the page sizes the tool asks for).
const (
	maxAppPages        = 500  // 200 a page: 100 000 app instances
	maxGroupPages      = 1000 // 200 a page: 200 000 groups matching a prefix
	maxAssignmentPages = 500  // 200 a page: 100 000 groups assigned to one app
	maxGroupAppPages   = 500  // 200 a page: 100 000 apps assigned to one group
	maxPushPages       = 100  // 1000 a page
	maxLogPages        = 100  // callers bound the System Log themselves (LogQuery.MaxPages)
)

// progressAfter: a listing longer than this many pages says how far it got on a
// terminal, so a long wait is never silent.
const progressAfter = 10

// readList reads every page of l, giving each page's items to each; each returns false
// to stop early (the System Log's own bound). Pages follow the Link rel="next" header,
// guarded against answers that would never end or would send the token elsewhere: a
// next link seen before (a loop), one on another host, or more pages than plausible.
// Anything but a JSON list (null included) is an error, never an empty result.
func readList[T any](ctx context.Context, c *Client, l listing, each func([]T) bool) error {
	org, _ := url.Parse(c.orgURL)
	seen := map[string]bool{}
	path := l.path
	defer c.progress.done()
	for page := 1; ; page++ {
		var items []T
		resp, err := c.rawResp(ctx, l.op, http.MethodGet, path, nil, listOf(&items, l.what))
		if err != nil {
			return err
		}
		if page > progressAfter {
			c.progress.show(fmt.Sprintf("%s: page %d", l.op, page))
		}
		if !each(items) {
			return nil
		}
		next, ok, err := nextPage(resp.Response, org)
		switch {
		case err != nil:
			return fmt.Errorf("%s: GET %s: %w", l.op, endpoint(path), err)
		case !ok:
			return nil
		case seen[next]:
			return fmt.Errorf("%s: GET %s: Okta's next-page links loop (page %d links back to an earlier page); refusing to page forever", l.op, endpoint(path), page+1)
		case page >= l.maxPages:
			return fmt.Errorf("%s: GET %s: the answers kept linking to a next page after %d pages, more %s than any org holds; refusing to page further (is the org URL an Okta org, or is a proxy in the way?)", l.op, endpoint(l.path), page, l.what)
		}
		seen[next] = true
		path = next
	}
}

// nextPage is the path and query of the answer's Link rel="next", if any. A link to
// another scheme or host is refused: following it would send the token there.
func nextPage(resp *http.Response, org *url.URL) (string, bool, error) {
	for _, header := range resp.Header.Values("Link") {
		for _, link := range strings.Split(header, ",") {
			target, params, ok := strings.Cut(link, ";")
			if !ok || !isNext(params) {
				continue
			}
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			switch {
			case err != nil:
				return "", false, fmt.Errorf("Okta's next-page link is not a URL")
			case u.Host != "" && (!strings.EqualFold(u.Scheme, org.Scheme) || !strings.EqualFold(u.Host, org.Host)):
				return "", false, fmt.Errorf("Okta's next-page link points to %s://%s, not the org; refusing to follow it (the token must not go elsewhere)", u.Scheme, u.Host)
			}
			return u.RequestURI(), true, nil
		}
	}
	return "", false, nil
}

func isNext(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
			return true
		}
	}
	return false
}

// endpoint is a request path without its query, for messages (a cursor is noise).
func endpoint(pathAndQuery string) string {
	p, _, _ := strings.Cut(pathAndQuery, "?")
	return p
}

// progress draws one line on a terminal while a long listing runs; the zero value
// (no terminal) draws nothing.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	drawn bool
}

func (p *progress) show(line string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s%s…", redact.EraseLine, line)
	if f, ok := p.w.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	p.drawn = true
}

func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.drawn {
		return
	}
	fmt.Fprint(p.w, redact.EraseLine)
	if f, ok := p.w.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	p.drawn = false
}
