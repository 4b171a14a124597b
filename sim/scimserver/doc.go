// Package scimserver is an in-memory SCIM 2.0 and SCIM 1.1 service provider for tests,
// the quickstart and the Okta simulator. It implements the parts of the protocol Okta's
// provisioning uses: /Users and /Groups CRUD, `eq` filters on the identifying attributes,
// paging, PATCH (2.0 PatchOp, 1.1 partial resources) and the discovery endpoints, with
// one auth mode per server (header, bearer or basic), and records the requests it got.
// Its tests run Okta's published SPEC suites against it.
//
// It is a stand-in: it imports nothing of the engine (not the scim client either), so
// the client is checked against an independent server (sim/imports_test.go).
package scimserver
