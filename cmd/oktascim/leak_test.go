package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/simenv"
)

// TestNoSecretLeaksFromAnyCommand runs every command (text, JSON, --debug) with known
// secret values — the Okta token, the SCIM token and password — including failures
// that make Okta and a SCIM server echo what they were sent, and fails if any value
// appears in stdout, stderr or a file the tool wrote.
func TestNoSecretLeaksFromAnyCommand(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	// A SCIM server that echoes the Authorization header back in its error body.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"bad credentials: ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer echo.Close()
	dir := t.TempDir()
	good := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("basic", "2.0", "basic", "swa")))
	echoing := writeFile(t, fileOf(strings.Replace(integrationYAML("echo", "2.0", "oauth", "saml"), "${OKTASCIM_SIM_SCIM_URL}", echo.URL+"/scim/v2", 1)))
	vars := envVars(env, nil)
	secrets := []string{env.Token, env.SCIMToken, env.SCIMPassword}
	var all strings.Builder
	runAll := func(vars map[string]string, args ...string) {
		for _, extra := range [][]string{nil, {"-o", "json"}, {"--debug"}} {
			r := cli(t, vars, append(append([]string{}, args...), extra...)...)
			all.WriteString(r.allOutput)
		}
	}
	for _, args := range [][]string{
		{"validate", "-f", good},
		{"plan", "-f", good},
		{"apply", "-f", good, "--yes"},
		{"apply", "-f", good, "--yes", "--show-secrets"}, // shows SCIM secrets on purpose, but never the Okta token
		{"plan", "-f", good, "--prune"},
		{"status", "-f", good},
		{"status", "--all"},
		{"test", "-f", good},
		{"logs", "-f", good, "--name", "acme"},
		{"doctor", "-f", good},
		{"apply", "-f", echoing, "--yes"},
		{"test", "-f", echoing},
		{"doctor", "-f", echoing},
		{"scim", "check", "-f", good, "--name", "acme"},
		{"scim", "check", "-f", echoing, "--name", "echo"},
		{"scim", "check", "--base-url", env.SCIM20.URL, "--token-env", "OKTASCIM_SIM_SCIM_TOKEN", "--crud"},
		{"config", "schema"},
		{"version"},
	} {
		if args[len(args)-1] == "--show-secrets" {
			r := cli(t, vars, args...)
			assertNoSecrets(t, r.allOutput, env.Token)
			continue
		}
		runAll(vars, args...)
	}
	// A refused Okta token, echoed nowhere.
	runAll(envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00refused-token-value-1234"}), "plan", "-f", good)
	secrets = append(secrets, "00refused-token-value-1234")
	out := filepath.Join(dir, "imported.yaml")
	r := cli(t, vars, "import", "--label", "acme app", "--out", out)
	all.WriteString(r.allOutput)
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, r.allOutput)
	}
	all.Write(written)
	runAll(vars, "destroy", "-f", good, "--yes")
	assertNoSecrets(t, all.String(), secrets...)
	if !strings.Contains(all.String(), "(sensitive)") {
		t.Fatal("no output masked anything: the test did not exercise the secrets")
	}
}
