package config

import (
	"os"
	"testing"
)

// TestMain sets the fixtures' secret files to what the rules ask: git checks them out
// 0644, and a secret file must be the user's alone (0600). shared.pw stays readable
// by others, for the test that it is refused.
func TestMain(m *testing.M) {
	for path, mode := range map[string]os.FileMode{
		"testdata/valid/secrets/legacy.pw":       0o600,
		"testdata/valid/secrets/service-app.pem": 0o600,
		"testdata/invalid/secrets/empty.pw":      0o600,
		"testdata/invalid/secrets/shared.pw":     0o644,
	} {
		if err := os.Chmod(path, mode); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
