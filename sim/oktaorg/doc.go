// Package oktaorg is the Okta org simulator: an in-memory Okta org served over HTTP on
// 127.0.0.1 with the Management API paths the tool uses, their JSON shapes, error bodies,
// Link paging, rate-limit headers and 429s, OAuth 2 service apps and scopes, the System
// Log, and the same limits real Okta has (the provisioning connection API answers
// UNKNOWN for SCIM template apps; features refuse until provisioning is on; active apps
// cannot be deleted). Beside the API it has an Admin Console stand-in (console.go) and
// the admin's actions as methods (EnableProvisioning, EnableSCIM, PushGroup, …), which
// really call the SCIM server as Okta's credential test and provisioning do; faults to
// inject; and named variants for every behaviour the references do not confirm
// (variants.go, docs/variants.md), so the tool is made to converge under each.
//
// It is built to Okta's documentation, its OpenAPI spec and recorded traffic
// (../shared/reference; contract_test.go and recorded_test.go replay and check them),
// never to what the tool sends, and imports nothing of the engine (sim/imports_test.go).
package oktaorg
