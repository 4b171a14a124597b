// Package openapicheck checks HTTP requests against Okta's published OpenAPI spec, so
// tests can prove that every request oktascim sends is one the real API documents.
//
// Beyond the spec's own schemas it reports what Okta would silently ignore (a body
// property or query parameter the spec does not name) and read-only fields in app
// bodies. The few places where the published spec and real Okta disagree are listed,
// each with its reason, in KnownExceptions; they are narrow and never switch
// validation off as a whole.
//
// Typical use in a test, with requests captured by RequestFrom in a recording handler:
//
//	p := openapicheck.DefaultSpecPath()
//	if p == "" {
//		t.Skip("Okta OpenAPI spec not found")
//	}
//	v, err := openapicheck.Load(p) // loaded once per process
//	if err != nil {
//		t.Fatal(err)
//	}
//	for _, err := range v.ValidateAll(recorded) {
//		t.Error(err)
//	}
package openapicheck
