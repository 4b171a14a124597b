// Package simenv starts the built-in stand-ins on 127.0.0.1 and wires them together for
// `apply --sim`, `oktascim sim` (with its env file and detached mode) and the
// end-to-end tests: the Okta org simulator with its Admin Console (sim/oktaorg), a SCIM
// server per SCIM version that accepts the environment's credentials in every auth
// form (sim/scimserver), their OAuth 2 authorization server, and the admin stand-in
// that does manual steps (AdminStandIn, given an AdminStep in the console's own terms).
// It provides the variables config files and examples/ reference.
//
// Like every package under sim/ it imports nothing of the engine (sim/imports_test.go):
// the engine's manual step is converted to an AdminStep in cmd/oktascim. It listens on
// loopback only.
package simenv
