// Package openapicheck checks HTTP requests against Okta's published OpenAPI spec, so
// tests can prove that every request oktascim sends is one the real API documents.
//
// Beyond the spec's own schemas it reports what Okta would silently ignore (a body
// property or query parameter the spec does not name) and read-only fields in app
// bodies. The few places where the published spec and real Okta disagree are listed,
// each with its reason, in KnownExceptions; they are narrow and never switch
// validation off as a whole.
package openapicheck
