package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

var (
	svcKeysOnce            sync.Once
	svcKey, otherKey       *rsa.PrivateKey
	svcKeyPEM, otherKeyPEM string
)

// serviceAppKeys are the e2e tests' service app key and a key Okta does not know.
func serviceAppKeys(t *testing.T) {
	t.Helper()
	svcKeysOnce.Do(func() {
		svcKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		otherKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		b, _ := x509.MarshalPKCS8PrivateKey(svcKey)
		svcKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
		otherKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(otherKey)}))
	})
}

const svcClientID = "0oaservice0app0e2e01"

var allScopes = []string{"okta.apps.read", "okta.apps.manage", "okta.groups.read", "okta.logs.read"}

// startOAuthEnv starts the stand-ins with a service app granted scopes.
func startOAuthEnv(t *testing.T, granted ...string) *simenv.Env {
	t.Helper()
	serviceAppKeys(t)
	return startEnv(t, simenv.Options{AcceptConnectionAPI: true, Org: oktaorg.Options{
		ServiceApps: []oktaorg.ServiceApp{{ClientID: svcClientID, PublicKey: &svcKey.PublicKey, KeyID: "e2e-key", Scopes: granted}}}})
}

// pkVars are the environment of a run in PrivateKey mode (the SDK's variables) with
// no API token around.
func pkVars(env *simenv.Env, key string, extra ...string) map[string]string {
	vars := envVars(env, map[string]string{
		"OKTA_CLIENT_AUTHORIZATIONMODE": "PrivateKey", "OKTA_CLIENT_CLIENTID": svcClientID, "OKTA_CLIENT_PRIVATEKEY": key,
		"OKTA_CLIENT_PRIVATEKEYID": "e2e-key", "OKTA_CLIENT_SCOPES": strings.Join(allScopes, ","),
	})
	delete(vars, "OKTA_CLIENT_TOKEN")
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return vars
}

// oauthSecrets are what must never be printed: the keys (whole, and their base64
// body lines), every client assertion and access token the org saw, the API token.
func oauthSecrets(env *simenv.Env) []string {
	out := []string{env.Token, env.SCIMToken, env.SCIMPassword}
	for _, k := range []string{svcKeyPEM, otherKeyPEM} {
		out = append(out, k)
		lines := strings.Split(k, "\n")
		out = append(out, lines[1], lines[len(lines)/2])
	}
	for _, r := range env.Org.Requests() {
		if r.Path == oktaorg.TokenPath {
			form, _ := url.ParseQuery(string(r.Body))
			out = append(out, form.Get("client_assertion"))
			// The JWT's signature alone.
			if parts := strings.Split(form.Get("client_assertion"), "."); len(parts) == 3 {
				out = append(out, parts[2])
			}
		}
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			out = append(out, tok)
		}
	}
	return out
}

func bearerOnly(t *testing.T, env *simenv.Env) {
	t.Helper()
	tokens := 0
	for _, r := range env.Org.Requests() {
		switch {
		case r.Path == oktaorg.TokenPath:
			tokens++
		case strings.HasPrefix(r.Path, "/api/") && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "):
			t.Fatalf("%s %s sent without an access token: %q", r.Method, r.Path, strings.SplitN(r.Header.Get("Authorization"), " ", 2)[0])
		}
	}
	if tokens == 0 {
		t.Fatal("no token request")
	}
}

func TestPrivateKeyPlanApplyWhoami(t *testing.T) {
	env := startOAuthEnv(t, allScopes...)
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := pkVars(env, svcKeyPEM)
	var all strings.Builder
	run := func(want int, args ...string) result {
		t.Helper()
		r := cli(t, vars, args...)
		all.WriteString(r.allOutput)
		if r.code != want {
			t.Fatalf("%s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, want, r.allOutput)
		}
		return r
	}
	run(exitcode.OK, "plan", "-f", path)
	r := run(exitcode.OK, "apply", "-f", path, "--yes")
	if got := outcomes(r.stdout); got["acme/app"] != "done" || got["acme/provisioning"] != "done" || got["acme/groups"] != "done" {
		t.Fatalf("outcomes %v\n%s", got, r.stdout)
	}
	if len(env.Org.Apps()) != 1 {
		t.Fatalf("%d apps", len(env.Org.Apps()))
	}
	run(exitcode.OK, "plan", "-f", path, "--detailed-exitcode")
	bearerOnly(t, env)

	r = run(exitcode.OK, "whoami", "-f", path)
	for _, want := range []string{"org:      " + env.OrgURL + " (org 00osimorg00000000001, Identity Engine)", "auth:     OAuth 2.0 service app (PrivateKey",
		"identity: service app " + svcClientID + " (key id e2e-key)", "scopes:   " + strings.Join(allScopes, " ") + " (granted)",
		"from:     url: env OKTA_CLIENT_ORGURL", "mode: env OKTA_CLIENT_AUTHORIZATIONMODE", "privateKey: env OKTA_CLIENT_PRIVATEKEY", "scopes: env OKTA_CLIENT_SCOPES"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("whoami lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(exitcode.OK, "whoami", "-o", "json")
	var doc whoami
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.AuthMode != "PrivateKey" || doc.Identity.Type != "serviceApp" || doc.Identity.ClientID != svcClientID || doc.Org.ID != "00osimorg00000000001" ||
		doc.Scopes == nil || len(doc.Scopes.Granted) != 4 || len(doc.Scopes.NotGranted) != 0 || doc.Sources["clientId"] != "env OKTA_CLIENT_CLIENTID" || doc.Error != "" {
		t.Fatalf("%+v", doc)
	}
	r = run(exitcode.OK, "doctor", "--debug")
	for name, want := range map[string]string{"API token": "PASS", "may list apps": "PASS", "may read groups": "PASS", "may read the System Log": "PASS", "may create and change apps": "PASS"} {
		if got := doctorLine(t, r.stdout, name); got != want {
			t.Errorf("doctor %s: %s\n%s", name, got, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "PrivateKey: service app "+svcClientID+" got an access token with") || !strings.Contains(r.stderr, "POST /oauth2/v1/token → 200") {
		t.Fatalf("doctor:\n%s", r.allOutput)
	}
	run(exitcode.OK, "destroy", "-f", path, "--yes", "--debug")
	bearerOnly(t, env)
	assertNoSecrets(t, all.String(), oauthSecrets(env)...)
}

func TestPrivateKeyWrongKeyIsRefused(t *testing.T) {
	env := startOAuthEnv(t, allScopes...)
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := pkVars(env, otherKeyPEM)
	var all strings.Builder
	for _, args := range [][]string{{"plan", "-f", path}, {"apply", "-f", path, "--yes"}, {"whoami"}, {"whoami", "-o", "json"}, {"plan", "-f", path, "-o", "json", "--debug"}} {
		r := cli(t, vars, args...)
		all.WriteString(r.allOutput)
		if r.code != exitcode.AuthRefused {
			t.Fatalf("%s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, exitcode.AuthRefused, r.allOutput)
		}
		if !strings.Contains(r.allOutput, "401 invalid_client") || !strings.Contains(r.allOutput, "The client_assertion signature is invalid.") ||
			!strings.Contains(r.allOutput, "private key belongs to a public key registered on the app") {
			t.Fatalf("%s: no clear reason\n%s", strings.Join(args, " "), r.allOutput)
		}
	}
	for _, w := range writes(env) {
		if w != "POST "+oktaorg.TokenPath {
			t.Fatalf("a write after a refused token: %s", w)
		}
	}
	if len(env.Org.Apps()) != 0 {
		t.Fatal("an app was created")
	}
	r := cli(t, vars, "doctor")
	all.WriteString(r.allOutput)
	// A refused token exits 4 in doctor too, as in every other command.
	if r.code != exitcode.AuthRefused || doctorLine(t, r.stdout, "API token") != "FAIL" || doctorLine(t, r.stdout, "may list apps") != "SKIP" ||
		!strings.Contains(r.stdout, "PrivateKey: get an access token for service app") || !strings.Contains(r.stdout, "Client authentication Public key / Private key") {
		t.Fatalf("doctor exit %d\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(t, all.String(), oauthSecrets(env)...)
}

func TestPrivateKeyMissingScope(t *testing.T) {
	// Granted everything but okta.apps.manage; the tool asks for all of them.
	env := startOAuthEnv(t, "okta.apps.read", "okta.groups.read", "okta.logs.read")
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	vars := pkVars(env, svcKeyPEM)
	var all strings.Builder
	r := cli(t, vars, "plan", "-f", path)
	all.WriteString(r.allOutput)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "acme") {
		t.Fatalf("plan exit %d\n%s", r.code, r.allOutput)
	}
	r = cli(t, vars, "apply", "-f", path, "--yes")
	all.WriteString(r.allOutput)
	if r.code != exitcode.AuthRefused {
		t.Fatalf("apply exit %d, want %d\n%s", r.code, exitcode.AuthRefused, r.allOutput)
	}
	for _, want := range []string{"403", "needs: okta.apps.manage", "Grant okta.apps.manage on the service app's Okta API Scopes tab"} {
		if !strings.Contains(unwrapped(r.allOutput), want) {
			t.Errorf("apply output lacks %q\n%s", want, r.allOutput)
		}
	}
	if len(env.Org.Apps()) != 0 {
		t.Fatal("an app was created without okta.apps.manage")
	}
	r = cli(t, vars, "whoami")
	all.WriteString(r.allOutput)
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "scopes:   okta.apps.read okta.groups.read okta.logs.read (granted)") || !strings.Contains(r.stdout, "not granted: okta.apps.manage") {
		t.Fatalf("whoami exit %d\n%s", r.code, r.allOutput)
	}
	r = cli(t, vars, "doctor")
	all.WriteString(r.allOutput)
	if r.code != exitcode.Failure || doctorLine(t, r.stdout, "API token") != "PASS" || doctorLine(t, r.stdout, "may list apps") != "PASS" ||
		doctorLine(t, r.stdout, "may create and change apps") != "FAIL" || !strings.Contains(r.stdout, "(not granted: okta.apps.manage)") {
		t.Fatalf("doctor exit %d\n%s", r.code, r.allOutput)
	}
	// Without the System Log scope, that check fails with Okta's 403, naming it.
	env2 := startOAuthEnv(t, "okta.apps.manage", "okta.groups.read")
	r = cli(t, pkVars(env2, svcKeyPEM), "doctor")
	all.WriteString(r.allOutput)
	if doctorLine(t, r.stdout, "may read the System Log") != "FAIL" || !strings.Contains(r.stdout, "needs: okta.logs.read") || doctorLine(t, r.stdout, "may list apps") != "PASS" {
		t.Fatalf("doctor without okta.logs.read:\n%s", r.allOutput)
	}
	// None of the requested scopes granted: the token request itself is refused.
	r = cli(t, pkVars(env, svcKeyPEM, "OKTA_CLIENT_SCOPES", "okta.apps.manage"), "whoami")
	all.WriteString(r.allOutput)
	if r.code != exitcode.AuthRefused || !strings.Contains(r.allOutput, "consent_required") || !strings.Contains(r.allOutput, "Okta API Scopes tab (requested: okta.apps.manage)") {
		t.Fatalf("whoami exit %d\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(t, all.String(), append(oauthSecrets(env), oauthSecrets(env2)...)...)
}

func TestWhoamiWithAnAPIToken(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{ReadOnlyTokens: []string{"00readonly-token-whoami"}}})
	r := cli(t, envVars(env, nil), "whoami")
	if r.code != exitcode.OK {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	for _, want := range []string{"auth:     API token (SSWS)", "identity: admin@sim.example (00usimadmin000000001)", "from:     url: env OKTA_CLIENT_ORGURL", "token: env OKTA_CLIENT_TOKEN"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lacks %q:\n%s", want, r.stdout)
		}
	}
	r = cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00readonly-token-whoami"}), "whoami", "-o", "json")
	var doc whoami
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitcode.OK {
		t.Fatalf("%v exit %d\n%s", err, r.code, r.allOutput)
	}
	if doc.AuthMode != "SSWS" || doc.Identity.Type != "user" || doc.Identity.Login != "auditor@sim.example" || doc.Scopes != nil || doc.Sources["token"] != "env OKTA_CLIENT_TOKEN" {
		t.Fatalf("%+v", doc)
	}
	r = cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00refused-whoami-token"}), "whoami", "-o", "json")
	if r.code != exitcode.AuthRefused || !json.Valid([]byte(r.stdout)) || !strings.Contains(r.stdout, `"error"`) {
		t.Fatalf("refused token: exit %d\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(t, r.allOutput, "00refused-whoami-token", env.Token)
	r = cli(t, map[string]string{"OKTA_CLIENT_ORGURL": env.OrgURL}, "whoami", "-f", filepath.Join(t.TempDir(), "none.yaml"))
	if r.code != exitcode.Invalid {
		t.Fatalf("missing -f file: exit %d\n%s", r.code, r.allOutput)
	}
}

// Profiles and the order settings are taken in, end to end: two orgs, a profile
// for each (one with an API token, one with a service app), the SDK's variables,
// OKTASCIM_PROFILE, a file's org block and ~/.okta/okta.yaml.
func TestProfilesAndPrecedence(t *testing.T) {
	dev := startEnv(t, simenv.Options{})
	prod := startOAuthEnv(t, allScopes...)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "prod.pem")
	if err := os.WriteFile(keyFile, []byte(svcKeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	configFile := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(configFile, []byte(`profiles:
  dev:
    url: `+dev.OrgURL+`
    token: { env: DEV_OKTA_TOKEN }
  prod:
    url: `+prod.OrgURL+`
    auth:
      mode: privateKey
      clientId: `+svcClientID+`
      keyId: e2e-key
      privateKey: { file: prod.pem }
      scopes: [okta.apps.manage, okta.groups.read, okta.logs.read]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"OKTASCIM_CONFIG": configFile, "DEV_OKTA_TOKEN": dev.Token, "OKTASCIM_SIM_SCIM_URL": prod.SCIM20.URL, "OKTASCIM_SIM_SCIM_TOKEN": prod.SCIMToken}
	env := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	fileWithOrg := writeFile(t, "version: 1\norg:\n  url: "+dev.OrgURL+"\n  token: { env: DEV_OKTA_TOKEN }\nintegrations:\n"+integrationYAML("acme", "2.0", "header", "saml"))
	var all strings.Builder
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		code    int
		org     string
		want    []string
		profile string
	}{
		{"--profile with a service app", env(), []string{"--profile", "prod"}, exitcode.OK, prod.OrgURL,
			[]string{"identity: service app " + svcClientID, "scopes:   okta.apps.manage okta.groups.read okta.logs.read (granted)", "profile:  prod", "privateKey: profile prod (file " + keyFile + ")"}, "prod"},
		{"--profile with an API token", env(), []string{"--profile", "dev"}, exitcode.OK, dev.OrgURL,
			[]string{"identity: admin@sim.example", "token: profile dev (env DEV_OKTA_TOKEN)"}, "dev"},
		{"--profile beats OKTA_CLIENT_*", env("OKTA_CLIENT_ORGURL", dev.OrgURL, "OKTA_CLIENT_TOKEN", dev.Token), []string{"--profile", "prod"}, exitcode.OK, prod.OrgURL,
			[]string{"url: profile prod", "mode: profile prod"}, "prod"},
		{"OKTA_CLIENT_* beat OKTASCIM_PROFILE", env("OKTASCIM_PROFILE", "prod", "OKTA_CLIENT_ORGURL", dev.OrgURL, "OKTA_CLIENT_TOKEN", dev.Token), nil, exitcode.OK, dev.OrgURL,
			[]string{"url: env OKTA_CLIENT_ORGURL", "token: env OKTA_CLIENT_TOKEN", "profile:  prod"}, "prod"},
		{"OKTASCIM_PROFILE beats the file", env("OKTASCIM_PROFILE", "prod"), []string{"-f", fileWithOrg}, exitcode.OK, prod.OrgURL,
			[]string{"url: profile prod (OKTASCIM_PROFILE)"}, "prod"},
		{"the file without a profile", env(), []string{"-f", fileWithOrg}, exitcode.OK, dev.OrgURL,
			[]string{"url: oktascim.yaml", "token: oktascim.yaml (env DEV_OKTA_TOKEN)"}, ""},
		{"--org-url beats --profile", env(), []string{"--profile", "dev", "--org-url", prod.OrgURL}, exitcode.AuthRefused, prod.OrgURL,
			[]string{"url: --org-url", "token: profile dev (env DEV_OKTA_TOKEN)"}, "dev"},
		{"no such profile", env(), []string{"--profile", "staging"}, exitcode.Invalid, "",
			[]string{"error: " + configFile + `:2:3: profiles: no profile "staging" (the file has: dev, prod)`, "1 problem(s); nothing was sent to Okta"}, ""},
		{"no config file", env("OKTASCIM_CONFIG", filepath.Join(dir, "absent.yaml")), []string{"--profile", "dev"}, exitcode.Invalid, "",
			[]string{"absent.yaml does not exist"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, tc.env, append([]string{"whoami"}, tc.args...)...)
			all.WriteString(r.allOutput)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.allOutput)
			}
			if tc.org != "" && !strings.Contains(r.stdout, "org:      "+tc.org) {
				t.Errorf("not org %s:\n%s", tc.org, r.stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.allOutput, w) {
					t.Errorf("lacks %q:\n%s", w, r.allOutput)
				}
			}
			if tc.code == exitcode.OK {
				r := cli(t, tc.env, append([]string{"whoami", "-o", "json"}, tc.args...)...)
				var doc whoami
				if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Profile != tc.profile || doc.Org.URL != tc.org {
					t.Errorf("json: %v %+v", err, doc)
				}
			}
		})
	}
	// A profile drives every command: apply and plan in the service app's org with it.
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml")))
	r := cli(t, env(), "--profile", "prod", "apply", "-f", path, "--yes")
	all.WriteString(r.allOutput)
	if r.code != exitcode.OK || len(prod.Org.Apps()) != 1 || len(dev.Org.Apps()) != 0 {
		t.Fatalf("apply with --profile exit %d\n%s", r.code, r.allOutput)
	}
	r = cli(t, env(), "--profile", "prod", "plan", "-f", path, "--detailed-exitcode")
	all.WriteString(r.allOutput)
	if r.code != exitcode.OK {
		t.Fatalf("plan with --profile exit %d\n%s", r.code, r.allOutput)
	}
	bearerOnlySince(t, prod)
	assertNoSecrets(t, all.String(), append(oauthSecrets(prod), dev.Token)...)
}

// bearerOnlySince checks the org's last requests (from the last token request on)
// carried access tokens.
func bearerOnlySince(t *testing.T, env *simenv.Env) {
	t.Helper()
	reqs := env.Org.Requests()
	last := -1
	for i, r := range reqs {
		if r.Path == oktaorg.TokenPath {
			last = i
		}
	}
	if last < 0 {
		t.Fatal("no token request")
	}
	for _, r := range reqs[last+1:] {
		if strings.HasPrefix(r.Path, "/api/") && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Fatalf("%s %s without an access token", r.Method, r.Path)
		}
	}
}

// The SDK's own file, ~/.okta/okta.yaml, with a service app: found from HOME in the
// tests (config.ResolveOrg takes os.UserHomeDir), below everything else.
func TestOktaYAMLServiceApp(t *testing.T) {
	env := startOAuthEnv(t, allScopes...)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".okta"), 0o700); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(home, ".okta", "key.pem")
	if err := os.WriteFile(keyFile, []byte(svcKeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := "okta:\n  client:\n    orgUrl: " + env.OrgURL + "\n    authorizationMode: PrivateKey\n    clientId: " + svcClientID + "\n    privateKey: " + keyFile + "\n    privateKeyId: e2e-key\n    scopes:\n      - okta.apps.read\n      - okta.logs.read\n"
	if err := os.WriteFile(filepath.Join(home, ".okta", "okta.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	r := cli(t, map[string]string{}, "whoami")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "scopes:   okta.apps.read okta.logs.read (granted)") || !strings.Contains(r.stdout, "privateKey: ~/.okta/okta.yaml") {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	// OKTA_CLIENT_* override it setting by setting: here the scopes.
	r = cli(t, map[string]string{"OKTA_CLIENT_SCOPES": "okta.apps.read"}, "whoami")
	if r.code != exitcode.OK || !strings.Contains(r.stdout, "scopes:   okta.apps.read (granted)") || !strings.Contains(r.stdout, "scopes: env OKTA_CLIENT_SCOPES") {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(t, r.allOutput, oauthSecrets(env)...)
}
