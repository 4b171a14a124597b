package scim

import (
	"net/netip"
	"net/url"
	"strings"
)

// AddressWarning returns a warning when baseURL names a host Okta's cloud cannot reach
// (a loopback, private, unique-local, link-local or unspecified IP literal, localhost,
// *.localhost, *.local or *.internal), else "".
func AddressWarning(baseURL string) string {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if host == "" {
		return ""
	}
	shown, kind := addressKind(host)
	if kind == "" {
		return ""
	}
	return "Okta's cloud cannot reach " + shown + " (" + kind + "); this works only with the simulator or an on-premises provisioning agent"
}

// addressKind returns the host as shown in the warning and why it is unreachable.
func addressKind(host string) (string, string) {
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.WithZone("").Unmap()
		switch {
		case ip.IsLoopback():
			return host, "loopback"
		case ip.IsUnspecified():
			return host, "unspecified address"
		case ip.IsLinkLocalUnicast():
			return host, "link-local"
		case ip.IsPrivate() && ip.Is4():
			return host, "private network"
		case ip.IsPrivate():
			return host, "unique local address"
		}
		return "", ""
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	switch {
	case name == "localhost" || strings.HasSuffix(name, ".localhost"):
		return name, "loopback"
	case strings.HasSuffix(name, ".local"):
		return name, "local network name"
	case strings.HasSuffix(name, ".internal"):
		return name, "internal name"
	}
	return "", ""
}
