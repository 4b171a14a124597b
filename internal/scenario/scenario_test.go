package scenario

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
)

var nameRule = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// The longest prefix either side uses (the acceptance suite's oktascim-acc-<8 hex>).
const longPrefix = "oktascim-acc-0123abcd"

var testRefs = Refs{SCIM20URL: "T_SCIM20", SCIM11URL: "T_SCIM11", Token: "T_TOKEN", Username: "T_USER", Password: "T_PASSWORD"}

func TestListIsWellFormed(t *testing.T) {
	all := All()
	seen := map[string]bool{}
	for _, sc := range all {
		if seen[sc.Name] || !nameRule.MatchString(sc.Name) || sc.Doc == "" || len(sc.Integrations) == 0 || len(sc.Steps) == 0 {
			t.Errorf("scenario %q: duplicate, badly named, undocumented or empty", sc.Name)
		}
		seen[sc.Name] = true
		admin := false
		for _, st := range sc.Steps {
			admin = admin || st.Admin
			if len(st.Args) == 0 {
				t.Errorf("%s: a step without a command", sc.Name)
			}
			if st.Admin && !slices.Contains(st.Args, "--wait") {
				t.Errorf("%s: the admin acts during %v, which does not wait for it", sc.Name, st.Args)
			}
		}
		if admin != sc.NeedsAdmin {
			t.Errorf("%s: NeedsAdmin %v, but a step needs the admin: %v", sc.Name, sc.NeedsAdmin, admin)
		}
		keys := map[string]bool{}
		for _, in := range sc.Integrations {
			if keys[in.Key] || !nameRule.MatchString(in.Name(longPrefix)) {
				t.Errorf("%s: integration key %q is repeated or makes a bad name", sc.Name, in.Key)
			}
			keys[in.Key] = true
		}
	}
	// Every auth method × sign-on mode, both SCIM versions, and an unattended scenario that
	// a real org runs without a person at hand.
	covered := map[string]bool{}
	unattended := false
	for _, sc := range all {
		for _, in := range sc.Integrations {
			covered[in.Auth+"/"+in.SignOn] = true
			covered["scim "+in.SCIM] = true
		}
		unattended = unattended || !sc.NeedsAdmin
	}
	for _, a := range auths {
		for _, s := range signOns {
			if !covered[a+"/"+s] {
				t.Errorf("no scenario covers %s auth with %s sign-on", a, s)
			}
		}
	}
	if !covered["scim 2.0"] || !covered["scim 1.1"] || !unattended {
		t.Errorf("covered %v; unattended scenario: %v", covered, unattended)
	}
}

// TestEveryCommandIsRun: between them the scenarios run each command of the lifecycle, and
// the lifecycle ones in the order a user would.
func TestEveryCommandIsRun(t *testing.T) {
	order := []string{"validate", "plan --detailed-exitcode", "apply --yes --wait", "apply --yes", "plan --detailed-exitcode", "test", "destroy --yes"}
	for _, sc := range All() {
		if !sc.NeedsAdmin {
			continue
		}
		next := 0
		for _, st := range sc.Steps {
			if next < len(order) && strings.Join(st.Args, " ") == order[next] {
				next++
			}
		}
		if next != len(order) {
			t.Errorf("%s runs %d of %v in order", sc.Name, next, order)
		}
	}
}

// TestFilesLoad: each scenario's file is a valid oktascim file for either side's prefix,
// with and without groups, and references secrets only by variable.
func TestFilesLoad(t *testing.T) {
	lookup := func(name string) (string, bool) {
		switch name {
		case "T_SCIM20":
			return "https://scim.example.com/scim/v2", true
		case "T_SCIM11":
			return "https://scim.example.com/scim/v1", true
		case "T_TOKEN", "T_USER", "T_PASSWORD":
			return "value-of-" + name, true
		}
		return "", false
	}
	dir := t.TempDir()
	for _, sc := range All() {
		for _, groups := range [][]string{nil, {"Everyone", `Team "A"`}} {
			for _, prefix := range []string{"sim", longPrefix} {
				text := sc.File(prefix, testRefs, groups)
				if strings.Contains(text, "value-of-") {
					t.Fatalf("%s: a secret value in the file", sc.Name)
				}
				path := filepath.Join(dir, sc.Name+".yaml")
				if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				f, err := config.Load(path, config.LoadOptions{LookupEnv: lookup, Stdin: strings.NewReader("")})
				if err != nil {
					t.Fatalf("%s (prefix %s): %v\n%s", sc.Name, prefix, err, text)
				}
				if len(f.Integrations) != len(sc.Integrations) {
					t.Fatalf("%s: %d integrations loaded, want %d", sc.Name, len(f.Integrations), len(sc.Integrations))
				}
				for i, in := range f.Integrations {
					if in.Name != sc.Integrations[i].Name(prefix) || in.Label != sc.Integrations[i].Label(prefix) || len(in.Groups) != len(groups) {
						t.Errorf("%s: integration %d loaded as %q %q %v", sc.Name, i, in.Name, in.Label, in.Groups)
					}
				}
			}
		}
	}
}

func TestCheck(t *testing.T) {
	names := []string{"sim-a"}
	st := Step{Code: 0, Out: []string{"all verified"}, Outcomes: map[string]string{"app": "unchanged"}, NoWrites: true}
	good := Result{Stdout: "sim-a  app           unchanged  0oa1 \"x\"\napply: all verified\n",
		Stderr: "okta: GET /api/v1/apps → 200 in 1ms\nokta: POST /oauth2/v1/token → 200 in 1ms\n"}
	if p := Check(st, names, good, nil, []string{"s3cret"}); len(p) != 0 {
		t.Fatalf("problems with a good result: %v", p)
	}
	bad := Result{Code: 5, Stdout: "sim-a  app           done  0oa1 s3cret\n", Stderr: "okta: PUT /api/v1/apps/0oa1 → 200 in 1ms\n"}
	p := strings.Join(Check(st, names, bad, []string{"PUT /api/v1/apps/0oa1"}, []string{"s3cret"}), "\n")
	for _, want := range []string{"exit 5, want 0", `lacks "all verified"`, `sim-a app: "done", want "unchanged"`, "sent a write: PUT", "the org received a write", "secret value"} {
		if !strings.Contains(p, want) {
			t.Errorf("problems lack %q:\n%s", want, p)
		}
	}
}
