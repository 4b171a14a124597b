package systemlog

import (
	"strings"

	"github.com/oktascim/oktascim/okta"
)

// Event types Okta logs for an app's provisioning (see ../shared/design/okta-api.md §3).
const (
	ConfigurationUpdate = "application.configuration.update"
	AuthFailure         = "application.integration.authentication_failure"
	GeneralFailure      = "application.integration.general_failure"
	RateLimitExceeded   = "application.integration.rate_limit_exceeded"
	UserPush            = "application.provision.user.push"
	UserPushProfile     = "application.provision.user.push_profile"
	UserDeactivate      = "application.provision.user.deactivate"
	UserImport          = "application.provision.user.import"
	GroupMemberAdd      = "application.provision.group_membership.add"
	GroupMemberRemove   = "application.provision.group_membership.remove"
)

// IsProvisioning reports whether an event type is about provisioning to the SCIM server.
func IsProvisioning(eventType string) bool {
	return eventType == ConfigurationUpdate || strings.HasPrefix(eventType, "application.integration.") || strings.HasPrefix(eventType, "application.provision.")
}

// Hint says in one line what to fix for a failed event; "" for an event that did not
// fail or is not about provisioning.
func Hint(e okta.LogEvent) string {
	if !e.Failed() || !IsProvisioning(e.EventType) {
		return ""
	}
	if h := fromReason(e.Reason); h != "" {
		return h
	}
	switch {
	case e.EventType == ConfigurationUpdate:
		return "Okta could not save the provisioning settings because its credential test failed: check the base URL and credentials, then run 'oktascim test'"
	case e.EventType == AuthFailure:
		return "the SCIM server refused the credentials Okta sent: re-enter the token (header auth sends it verbatim) or username and password on the Provisioning tab"
	case e.EventType == RateLimitExceeded:
		return "the SCIM server answered 429: Okta retries later; raise the server's rate limit for Okta's IP ranges"
	case e.EventType == UserPush:
		return "Okta could not create the user on the SCIM server: POST /Users must answer 201 with the user, and 409 only for a userName that exists (Okta then matches it with filter=userName eq)"
	case e.EventType == UserPushProfile:
		return "Okta could not update the user: the server must accept PUT (SCIM 1.1) or PATCH (SCIM 2.0) on /Users/{id} and answer 200 with the user"
	case e.EventType == UserDeactivate:
		return "Okta could not deactivate the user: the server must accept active=false (PATCH on 2.0, PUT on 1.1) on /Users/{id}"
	case e.EventType == UserImport:
		return "Okta could not import users: GET /Users must page with startIndex and count and answer a ListResponse"
	case e.EventType == GroupMemberAdd || e.EventType == GroupMemberRemove:
		return "Okta could not change group membership: the server must accept PATCH on /Groups/{id} with members add/remove operations"
	}
	return "read the SCIM server's own logs for this request; 'oktascim scim check' runs Okta's SCIM conformance tests against it"
}

// fromReason explains the causes Okta names in outcome.reason, whatever the event.
func fromReason(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case r == "":
		return ""
	case strings.Contains(r, "401") || strings.Contains(r, "unauthorized") || strings.Contains(r, "authenticat"):
		return "the SCIM server refused the credentials Okta sent: check the token (header auth sends it verbatim, so include any 'Bearer ' prefix your server expects) or the username and password"
	case strings.Contains(r, "403") || strings.Contains(r, "forbidden"):
		return "the SCIM server accepted the credentials but refused access: give the provisioning account permission to list and create users"
	case strings.Contains(r, "404") || strings.Contains(r, "not found"):
		return "the base URL points at the wrong path: it must be the SCIM root (e.g. https://host/scim/v2), without /Users"
	case strings.Contains(r, "409") || strings.Contains(r, "conflict") || strings.Contains(r, "already exists"):
		return "the SCIM server says the user exists: it must find it with filter=userName eq \"…\" so Okta can link instead of creating it"
	case strings.Contains(r, "certificate") || strings.Contains(r, "ssl") || strings.Contains(r, "tls") || strings.Contains(r, "pkix"):
		return "Okta could not verify the SCIM server's TLS certificate: it must be valid and issued by a public CA"
	case strings.Contains(r, "unknownhost") || strings.Contains(r, "resolve") || strings.Contains(r, "dns"):
		return "Okta could not resolve the SCIM server's host name: it must be public DNS"
	case strings.Contains(r, "timed out") || strings.Contains(r, "timeout") || strings.Contains(r, "connect"):
		return "Okta could not reach the SCIM server: it must be reachable from the internet on 443 (a loopback or private address is reachable only through an on-premises agent)"
	case strings.Contains(r, "429") || strings.Contains(r, "rate limit"):
		return "the SCIM server answered 429: Okta retries later; raise the server's rate limit for Okta's IP ranges"
	case strings.Contains(r, "html") || strings.Contains(r, "json") || strings.Contains(r, "parse"):
		return "the SCIM server did not answer with SCIM JSON: check that the base URL is the SCIM API, not a web page"
	case strings.Contains(r, "400") || strings.Contains(r, "bad request") || strings.Contains(r, "invalidvalue") || strings.Contains(r, "required"):
		return "the SCIM server refused the user Okta sent as invalid: if it requires an attribute Okta does not send, map it (Provisioning > To App > attribute mappings, or mappings.toApp in the file) or make it optional on the server"
	case strings.Contains(r, "500") || strings.Contains(r, "internal server error"):
		return "the SCIM server failed with a 500: its own logs say why"
	}
	return ""
}
