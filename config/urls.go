package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/oktascim/oktascim/internal/loopback"
)

// checkURL: absolute, with a host, https — or http on a loopback host, which comes
// back as a warning. It returns the URL without a trailing slash.
func checkURL(raw string) (clean, problem, warning string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "must not be empty", ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return raw, fmt.Sprintf("%q is not an absolute URL (like https://host/path)", raw), ""
	}
	if u.User != nil {
		return raw, "must not carry credentials in the URL; use the auth block", ""
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			return raw, "must be https (http is allowed only for 127.0.0.1, ::1 or localhost)", ""
		}
		warning = fmt.Sprintf("http:// without TLS is accepted only because %s is a loopback address", u.Hostname())
	default:
		return raw, fmt.Sprintf("must be an https URL, not %s://", u.Scheme), ""
	}
	return strings.TrimRight(raw, "/"), "", warning
}

// hideValue takes a value that came from the environment out of a problem about it,
// unless it looks like a URL: a token put where a URL belongs (baseUrl: ${SCIM_TOKEN},
// OKTA_CLIENT_ORGURL set to the token) must not be printed by the error about it.
func hideValue(problem, value, name string) string {
	if strings.Contains(value, "://") && !strings.ContainsAny(value, " \t") {
		return problem
	}
	return strings.ReplaceAll(problem, fmt.Sprintf("%q", value), fmt.Sprintf("the value of %s (%d characters, not shown: it has no scheme://host and may be a secret)", name, len([]rune(value))))
}

// CheckBaseURL applies the URL rules to a SCIM base URL, which must be the SCIM root.
func CheckBaseURL(raw string) (clean, problem, warning string) {
	clean, problem, warning = checkURL(raw)
	if problem != "" {
		return
	}
	u, _ := url.Parse(clean)
	if u.RawQuery != "" || u.Fragment != "" {
		return clean, "must not have a query or fragment; give the SCIM root, e.g. https://host/scim/v2", ""
	}
	for _, suffix := range []string{"/users", "/groups"} {
		if strings.HasSuffix(strings.ToLower(u.Path), suffix) {
			return clean, fmt.Sprintf("give the SCIM root without %s (Okta appends /Users and /Groups itself)", u.Path[len(u.Path)-len(suffix):]), ""
		}
	}
	return clean, "", warning
}

// CheckOrgURL applies the URL rules to an Okta org URL: the org itself, not its
// admin host, and no path.
func CheckOrgURL(raw string) (clean, problem, warning string) {
	clean, problem, warning = checkURL(raw)
	if problem != "" {
		return
	}
	u, _ := url.Parse(clean)
	host := strings.ToLower(u.Hostname())
	if label, _, _ := strings.Cut(host, "."); strings.HasSuffix(label, "-admin") {
		return clean, fmt.Sprintf("%s is the Admin Console host; use the org URL without -admin (https://%s%s)", host, strings.TrimSuffix(label, "-admin"), host[len(label):]), ""
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return clean, fmt.Sprintf("must be the org URL only, like https://%s, without a path", u.Host), ""
	}
	return clean, "", warning
}
