package apply

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// planUses are the plan identifiers apply may use: the plan's types, its deciders
// (Decide*, FindManaged, Compute) and verifiers, and what the report prints. A
// comparison of declared and observed state (plan.AppChanges, UserProvisioningChanges,
// IntegrationActionChanges, MappingChanges, PushChanges, Missing, MissingAppProperties,
// …) is the plan's alone: apply calls the decider that uses it, so that no step's
// outcome is decided in two places.
var planUses = map[string]bool{
	// types
	"Plan": true, "Integration": true, "Observed": true, "Match": true, "Steps": true, "AppRef": true,
	"FieldChange": true, "ManualStep": true, "ManualField": true, "ProvisioningValues": true, "PushWant": true,
	"ActionEvidence": true, "ActionsStep": true, "MappingsStep": true, "PushStep": true, "ProvisioningStep": true,
	"NotKeptError": true, "PushFailedError": true, "ErrNoUserProvisioning": true, "Action": true,
	// constants
	"AppCreate": true, "AppUnchanged": true, "AppUpdate": true,
	"ProvisioningUnchanged": true, "ProvisioningSetConnection": true, "ProvisioningTryAPI": true,
	"ConnectionInactive": true, "ConnectionUnsupported": true, "ConnectionUnshown": true,
	"Create": true, "Adopt": true, "Update": true, "Unchanged": true, "Error": true,
	"SignOnSAML": true, "SignOnSWA": true, "SignOnCustomSWA": true,
	"SecretToken": true, "SecretPassword": true, "SecretClientSecret": true,
	// the manual steps the plan builds (apply prints them and fills in the secrets)
	"EnableProvisioningStep": true, "ConsoleActionsStep": true, "ConsolePushStep": true,
	// observing: what to read, not what it means
	"DesiredApp": true, "DeclaredGroups": true, "SearchPrefixes": true, "NeedsPushTab": true, "NeedsFeaturesList": true,
	// deciders and verifiers
	"FindManaged": true, "Compute": true, "DecideActions": true, "DecideMappings": true, "DecidePush": true,
	"VerifyPush": true, "PushAnswerShort": true, "FindPush": true, "ConsoleDone": true, "PushGroupsSeemOff": true, "PushGroupsSign": true, "ChecksPushGroups": true,
	// the report's words
	"Summarize": true, "SortedKeys": true, "DeclaredActions": true, "FileField": true,
}

// disallowedPlanUses lists the plan identifiers the sources use that planUses does
// not allow, with where.
func disallowedPlanUses(t *testing.T, sources map[string]any) (bad []string, seen int) {
	t.Helper()
	fset := token.NewFileSet()
	used := map[string][]string{}
	for name, src := range sources {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			if im.Path.Value == `"github.com/oktascim/oktascim/plan"` && im.Name != nil && im.Name.Name != "plan" {
				bad = append(bad, "plan imported as "+im.Name.Name+" in "+name+" (the check reads plan.X)")
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "plan" {
				used[sel.Sel.Name] = append(used[sel.Sel.Name], fset.Position(sel.Pos()).String())
			}
			return true
		})
	}
	for id, at := range used {
		if !planUses[id] {
			bad = append(bad, "plan."+id+" at "+strings.Join(at, ", "))
		}
	}
	sort.Strings(bad)
	return bad, len(used)
}

// TestApplyDecidesNothing fails when apply's code (tests aside) uses a plan identifier
// that is not in planUses: a comparison apply would make itself.
func TestApplyDecidesNothing(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]any{}
	for _, name := range files {
		if !strings.HasSuffix(name, "_test.go") {
			sources[name] = nil // read from the file
		}
	}
	bad, seen := disallowedPlanUses(t, sources)
	if len(bad) > 0 {
		t.Fatalf("apply uses plan identifiers that decide or compare (let a plan decider or verifier do it, or add it to planUses if it decides nothing):\n%s", strings.Join(bad, "\n"))
	}
	if seen < 10 {
		t.Fatalf("found only %d plan identifiers in apply: the test is not reading the package", seen)
	}
}

// The check catches the old second derivations, planted in a file.
func TestApplyDecidesNothingCatchesAComparison(t *testing.T) {
	src := "package apply\nfunc f() { _ = plan.AppChanges(want, got); _ = plan.Missing(a, b); _ = plan.Summarize(nil) }\n"
	bad, _ := disallowedPlanUses(t, map[string]any{"planted.go": src})
	if len(bad) != 2 || !strings.HasPrefix(bad[0], "plan.AppChanges at planted.go:2") || !strings.HasPrefix(bad[1], "plan.Missing") {
		t.Fatalf("planted comparisons found as %q", bad)
	}
	renamed := "package apply\nimport p \"github.com/oktascim/oktascim/plan\"\nvar _ = p.AppChanges\n"
	if bad, _ := disallowedPlanUses(t, map[string]any{"renamed.go": renamed}); len(bad) != 1 {
		t.Fatalf("plan imported under another name passes: %q", bad)
	}
}
