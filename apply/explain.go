package apply

import "strings"

// explainConfigFailure turns the reason Okta logs for a failed provisioning
// configuration into what an admin can act on.
func explainConfigFailure(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case strings.Contains(r, "401") || strings.Contains(r, "unauthorized") || strings.Contains(r, "authenticat"):
		return "the SCIM server refused the credentials Okta sent: check the token (header auth sends it verbatim, so include any 'Bearer ' prefix your server expects) or the username and password"
	case strings.Contains(r, "403") || strings.Contains(r, "forbidden"):
		return "the SCIM server accepted the credentials but refused access: give the provisioning account permission to list and create users"
	case strings.Contains(r, "404") || strings.Contains(r, "not found"):
		return "the base URL points at the wrong path: it must be the SCIM root (e.g. https://host/scim/v2), without /Users"
	case strings.Contains(r, "certificate") || strings.Contains(r, "ssl") || strings.Contains(r, "tls") || strings.Contains(r, "pkix"):
		return "Okta could not verify the SCIM server's TLS certificate: it must be valid and issued by a public CA"
	case strings.Contains(r, "unknownhost") || strings.Contains(r, "resolve") || strings.Contains(r, "dns"):
		return "Okta could not resolve the SCIM server's host name: it must be public DNS"
	case strings.Contains(r, "timed out") || strings.Contains(r, "timeout") || strings.Contains(r, "connect"):
		return "Okta could not reach the SCIM server: it must be reachable from the internet on 443 (a loopback or private address is reachable only through an on-premises agent)"
	case strings.Contains(r, "html") || strings.Contains(r, "json") || strings.Contains(r, "parse"):
		return "the SCIM server did not answer with SCIM JSON: check that the base URL is the SCIM API, not a web page"
	}
	return "open the System Log for the app ('oktascim logs' or Reports > System Log) and check the SCIM server's own logs"
}
