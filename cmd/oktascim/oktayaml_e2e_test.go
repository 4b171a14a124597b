//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
)

// TestOktaYAMLIsASecretFile: ~/.okta/okta.yaml is held to the rule of every secret
// file once a secret (the token, an inline private key) is taken from it: group- or
// world-readable, it is refused (exit 2, naming the file, its mode and the fix) before
// any request; 0600 works; a shared one that gives only the org URL is fine; the
// override reads it, with the warning the other secret files get. A private key named
// by path is the key file's business, not okta.yaml's (a shared one allowed warns too).
func TestOktaYAMLIsASecretFile(t *testing.T) {
	env := startOAuthEnv(t, allScopes...)
	home := t.TempDir()
	dir := filepath.Join(home, ".okta")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	oktaYAML := filepath.Join(dir, "okta.yaml")
	write := func(content string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(oktaYAML, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(oktaYAML, mode); err != nil { // WriteFile's mode is masked by the umask
			t.Fatal(err)
		}
	}
	withToken := "okta:\n  client:\n    orgUrl: " + env.OrgURL + "\n    token: " + env.Token + "\n"
	indented := "      " + strings.ReplaceAll(strings.TrimSpace(svcKeyPEM), "\n", "\n      ")
	withKey := "okta:\n  client:\n    orgUrl: " + env.OrgURL + "\n    authorizationMode: PrivateKey\n    clientId: " + svcClientID + "\n    privateKey: |\n" + indented + "\n"
	keyFile := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, []byte(svcKeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	withKeyPath := "okta:\n  client:\n    orgUrl: " + env.OrgURL + "\n    authorizationMode: PrivateKey\n    clientId: " + svcClientID + "\n    privateKey: " + keyFile + "\n"
	const warning = "read anyway, as --allow-shared-secret-files asks"

	for _, c := range []struct {
		name, yaml string
		what       string // the secret named in the refusal
	}{
		{"token", withToken, "Okta API token"},
		{"inline private key", withKey, "service app private key"},
	} {
		write(c.yaml, 0o644)
		before := len(env.Org.Requests())
		r := cli(t, map[string]string{}, "whoami")
		if r.code != exitcode.Invalid || !strings.Contains(r.stderr, c.what+" (from ~/.okta/okta.yaml): "+oktaYAML+" is accessible by group or others (mode 0644)") ||
			!strings.Contains(r.stderr, "chmod 600") || !strings.Contains(r.stderr, "--allow-shared-secret-files") {
			t.Errorf("%s in a 0644 okta.yaml: exit %d, want 2 naming the file, its mode and the fix\n%s", c.name, r.code, r.allOutput)
		}
		if n := len(env.Org.Requests()) - before; n != 0 {
			t.Errorf("%s in a 0644 okta.yaml: %d request(s) reached the org", c.name, n)
		}
		assertNoSecrets(t, r.allOutput, oauthSecrets(env)...)

		for _, run := range []struct {
			name string
			vars map[string]string
			args []string
		}{
			{"--allow-shared-secret-files", map[string]string{}, []string{"whoami", "--allow-shared-secret-files"}},
			{"OKTASCIM_ALLOW_SHARED_SECRET_FILES=1", map[string]string{"OKTASCIM_ALLOW_SHARED_SECRET_FILES": "1"}, []string{"whoami"}},
		} {
			r = cli(t, run.vars, run.args...)
			if r.code != exitcode.OK || !strings.Contains(r.stderr, oktaYAML+" is accessible by group or others (mode 0644); "+warning) {
				t.Errorf("%s in a 0644 okta.yaml with %s: exit %d, want 0 with a warning\n%s", c.name, run.name, r.code, r.allOutput)
			}
			assertNoSecrets(t, r.allOutput, oauthSecrets(env)...)
		}

		write(c.yaml, 0o600)
		if r = cli(t, map[string]string{}, "whoami"); r.code != exitcode.OK || strings.Contains(r.stderr, warning) {
			t.Errorf("%s in a 0600 okta.yaml: exit %d, want 0 without a warning\n%s", c.name, r.code, r.allOutput)
		}
	}

	// Only the org URL from a shared okta.yaml, the token from the environment: no
	// secret is in the file, so nothing to refuse or warn about.
	write("okta:\n  client:\n    orgUrl: "+env.OrgURL+"\n", 0o644)
	r := cli(t, map[string]string{"OKTA_CLIENT_TOKEN": env.Token}, "whoami")
	if r.code != exitcode.OK || strings.Contains(r.stderr, warning) || !strings.Contains(r.allOutput, "~/.okta/okta.yaml") {
		t.Errorf("url from a 0644 okta.yaml, token from env: exit %d, want 0 without a warning\n%s", r.code, r.allOutput)
	}
	// A shared okta.yaml that holds the token but is not where the token comes from.
	write(withToken, 0o644)
	if r = cli(t, map[string]string{"OKTA_CLIENT_TOKEN": env.Token}, "whoami"); r.code != exitcode.OK || strings.Contains(r.stderr, warning) {
		t.Errorf("token from env over a 0644 okta.yaml's: exit %d, want 0 without a warning\n%s", r.code, r.allOutput)
	}

	// The key by path: the key file (0600) holds the secret, okta.yaml only names it.
	write(withKeyPath, 0o644)
	if r = cli(t, map[string]string{}, "whoami"); r.code != exitcode.OK || strings.Contains(r.stderr, warning) {
		t.Errorf("key path in a 0644 okta.yaml, key file 0600: exit %d, want 0\n%s", r.code, r.allOutput)
	}
	// …and a shared key file is refused as ever.
	if err := os.Chmod(keyFile, 0o640); err != nil {
		t.Fatal(err)
	}
	if r = cli(t, map[string]string{}, "whoami"); r.code != exitcode.Invalid || !strings.Contains(r.stderr, keyFile) || !strings.Contains(r.stderr, "(mode 0640)") {
		t.Errorf("key path in okta.yaml, key file 0640: exit %d, want 2 naming the key file\n%s", r.code, r.allOutput)
	}
	// Allowed, a shared key file is read with the warning every shared secret file gets,
	// whether okta.yaml or OKTA_CLIENT_PRIVATEKEY names it.
	keyWarning := keyFile + " is accessible by group or others (mode 0640); " + warning
	if r = cli(t, map[string]string{}, "whoami", "--allow-shared-secret-files"); r.code != exitcode.OK || !strings.Contains(r.stderr, keyWarning) || strings.Contains(r.stderr, oktaYAML+" is") {
		t.Errorf("key path in okta.yaml, key file 0640, allowed: exit %d, want 0 with a warning about the key file alone\n%s", r.code, r.allOutput)
	}
	write("", 0o600)
	keyEnv := map[string]string{"OKTA_CLIENT_ORGURL": env.OrgURL, "OKTA_CLIENT_AUTHORIZATIONMODE": "PrivateKey", "OKTA_CLIENT_CLIENTID": svcClientID,
		"OKTA_CLIENT_PRIVATEKEY": keyFile, "OKTASCIM_ALLOW_SHARED_SECRET_FILES": "1"}
	if r = cli(t, keyEnv, "whoami"); r.code != exitcode.OK || !strings.Contains(r.stderr, keyWarning) || !strings.Contains(r.stderr, "env OKTA_CLIENT_PRIVATEKEY") {
		t.Errorf("OKTA_CLIENT_PRIVATEKEY naming a 0640 key file, allowed: exit %d, want 0 with a warning\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(t, r.allOutput, oauthSecrets(env)...)
}
