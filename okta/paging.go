package okta

import (
	"fmt"
	"net/url"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
)

// maxPages bounds any listing: 10 000 pages of 200 is two million objects.
const maxPages = 10000

// pager guards Link paging against answers that would never end or would send the
// token elsewhere: a next link seen before (a loop), one on another host (the SDK
// keeps only the path of a link today; this holds if that changes), or too many.
type pager struct {
	org   *url.URL
	seen  map[string]bool
	pages int
}

func (c *Client) pager() *pager {
	u, _ := url.Parse(c.orgURL)
	return &pager{org: u, seen: map[string]bool{}}
}

// more reports whether resp has a next page that may be followed, or why not.
func (p *pager) more(resp *sdk.Response) (bool, error) {
	if resp == nil || !resp.HasNextPage() {
		return false, nil
	}
	next, err := url.Parse(resp.NextPage)
	switch {
	case err != nil:
		return false, fmt.Errorf("Okta's next-page link is not a URL")
	case next.Host != "" && (next.Scheme != p.org.Scheme || next.Host != p.org.Host):
		// Following it would send the API token to another host.
		return false, fmt.Errorf("Okta's next-page link points to %s://%s, not the org; refusing to follow it", next.Scheme, next.Host)
	case p.seen[resp.NextPage]:
		return false, fmt.Errorf("Okta's next-page links loop (page %d links back to an earlier page); refusing to page forever", p.pages+1)
	case p.pages >= maxPages:
		return false, fmt.Errorf("more than %d pages; refusing to page further", maxPages)
	}
	p.seen[resp.NextPage] = true
	p.pages++
	return true, nil
}
