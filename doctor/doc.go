// Package doctor checks, one by one, what oktascim needs: an Okta org that answers, a
// token that works and may do what the tool does (roles, or an OAuth service app's
// granted scopes), and SCIM servers that Okta's cloud can reach and that answer Okta's
// "Test API Credentials" request. Each failed check says how to fix it. It only reads:
// it writes nothing to the org or to a SCIM server, and knows nothing of plans.
package doctor
