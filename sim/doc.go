// Package sim holds no code: its folder is the home of the stand-ins oktascim ships for
// `apply --sim`, `oktascim sim` and the tests — sim/oktaorg (the Okta org simulator and
// its Admin Console), sim/scimserver (the SCIM test server) and sim/simenv (both wired
// together with the admin stand-in). A stand-in must not import the engine (apply,
// plan, okta, scim, config, …): it is a second opinion of what Okta does, built to the
// docs and the recordings, and imports_test.go keeps it so.
package sim
