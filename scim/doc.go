// Package scim is the client side of SCIM: it talks to an integration's SCIM server the
// way Okta does. The probe sends what Okta's "Test API Credentials" sends (the same
// Authorization header per auth mode, built by AuthorizationHeader) and explains the
// answer; the user and group lookups serve apply's group push check and the round trip
// (which also deletes its disposable user); AddressWarning says when a base URL is one
// Okta's cloud cannot reach. Every request goes through one client that never follows
// a redirect (the file's credentials must not go to another server), and answers are
// bounded and redacted. Okta's published conformance suites are run by scim/conformance.
//
// It never talks to Okta and holds no server side: the SCIM test server is
// sim/scimserver.
package scim
