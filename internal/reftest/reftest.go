// Package reftest is for tests that read the shared reference material beside the
// repository (../shared/reference: Okta's OpenAPI spec, recorded Okta traffic, Okta's
// SCIM test suites). Where it is missing such a test skips on a developer's machine,
// but fails when env CI is set, so that CI can never pass by checking nothing.
package reftest

import (
	"os"
	"testing"
)

// Missing ends the test because reference material is missing: a skip, or under CI a
// failure saying what is missing.
func Missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI is set: the reference material (../shared/reference) must be present in CI", what)
	}
	t.Skip(what)
}
