package config

import (
	"os"
	"testing"

	"github.com/oktascim/oktascim/internal/fixtures"
)

func TestMain(m *testing.M) {
	if err := fixtures.SetSecretModes(".."); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
