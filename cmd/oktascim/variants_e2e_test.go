package main

import (
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// TestSimVariantFlags: --sim-variant and `sim --variant` take NAME=VALUE, refuse an
// unknown name or value with exit 2 naming the known ones, and a run under a variant
// the quickstart converges on works.
func TestSimVariantFlags(t *testing.T) {
	for _, args := range [][]string{
		{"apply", "--sim", "-f", "../../examples/quickstart.yaml", "--sim-variant", "nope=1"},
		{"apply", "--sim", "-f", "../../examples/quickstart.yaml", "--sim-variant", "group-push=later"},
		{"sim", "--variant", "group-push"},
	} {
		r := cli(t, map[string]string{}, args...)
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, "variant") || !strings.Contains(r.allOutput, "group-push") {
			t.Errorf("%v: exit %d, want 2 with the known variants\n%s", args, r.code, r.allOutput)
		}
	}
	r := cli(t, map[string]string{}, "apply", "--sim", "-f", "../../examples/quickstart.yaml", "--sim-admin-delay", "10ms",
		"--poll-interval", "20ms", "--sim-variant", "actions-after-enable=all-off", "--sim-variant", "group-push=async")
	if r.code != exitcode.OK {
		t.Fatalf("apply --sim under variants: exit %d\n%s", r.code, r.allOutput)
	}
}
