package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/sim/simenv"
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

// TestNoSecretLeaksFromEchoes: a SCIM server and an Okta proxy that echo what they are
// sent, in every shape seen in the wild — the Authorization value, the credential
// after its scheme word, URL-escaped (Bearer%20X, token=X in a redirect), JSON-escaped
// in an error body, in System Log reasons (status --all, with no file to name the
// secrets) — and validation errors that would quote a secret put where a URL belongs.
// Secrets hold ", \, spaces, / and + so each encoding differs from the value. Every
// output of every command (text, JSON, --debug) is searched for each secret, each part
// after a scheme word and each encoded form; and no raw control character from a
// value reaches the output.
func TestNoSecretLeaksFromEchoes(t *testing.T) {
	env := startEnv(t, simenv.Options{AcceptConnectionAPI: true})
	const (
		scimToken = `scim"tok\en/with+odd chars 42`
		password  = `pa"ss\word/+ 99`
		username  = "okta-user"
	)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		_, cred, _ := strings.Cut(auth, " ")
		if strings.HasSuffix(r.URL.Path, "/Groups") {
			http.Redirect(w, r, "https://elsewhere.example/cb?token="+url.QueryEscape(cred)+"&auth="+url.PathEscape(auth), http.StatusFound)
			return
		}
		jsonAuth, _ := json.Marshal(auth)
		w.Header().Set("Content-Type", "application/scim+json")
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="token `+cred+` expired"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"bad credentials %s | %s | %s | %s \u001b[2J"}`,
			strings.Trim(string(jsonAuth), `"`), url.PathEscape(auth), url.QueryEscape(cred), strings.Trim(string(jsonAuth), `"`)[len("Bearer "):])
	}))
	defer echo.Close()
	org, _ := url.Parse(env.OrgURL)
	forward := httputil.NewSingleHostReverseProxy(org)
	appID := regexp.MustCompile(`0oa[A-Za-z0-9]+`)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/connections/default"):
			// Okta (or a proxy) quoting the request body, JSON-escaped, in its error.
			body, _ := io.ReadAll(r.Body)
			var sent struct {
				Profile struct {
					Token string `json:"token"`
				} `json:"profile"`
			}
			_ = json.Unmarshal(body, &sent)
			b, _ := json.Marshal(map[string]any{"errorCode": "E0000001", "errorSummary": "Api validation failed: " + string(body),
				"errorCauses": []map[string]string{{"errorSummary": "token=" + url.QueryEscape(sent.Profile.Token) + " header " + r.Header.Get("Authorization")}}})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(b)
		case r.URL.Path == "/api/v1/logs":
			// System Log reasons that carry credentials the tool was never told about.
			var events []map[string]any
			for i, id := range appID.FindAllString(r.URL.Query().Get("filter"), -1) {
				events = append(events, map[string]any{"uuid": fmt.Sprintf("ev%d", i), "published": time.Now().UTC().Format(time.RFC3339), "eventType": "application.provision.user.push",
					"displayMessage": "Push user", "outcome": map[string]string{"result": "FAILURE",
						"reason": "Authorization: Bearer " + scimToken + " refused; retry with token=" + url.QueryEscape(scimToken) + "&password=" + url.QueryEscape(password) + " client_secret=abcd1234efgh"},
					"target": []map[string]string{{"id": id, "type": "AppInstance"}}})
			}
			if events == nil {
				events = []map[string]any{}
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(events)
		default:
			forward.ServeHTTP(w, r)
		}
	}))
	defer proxy.Close()

	echoing := fileOf(
		strings.NewReplacer("${OKTASCIM_SIM_SCIM_URL}", echo.URL+"/scim/v2", "OKTASCIM_SIM_SCIM_TOKEN", "ECHO_TOKEN").Replace(integrationYAML("hdr", "2.0", "header", "saml")),
		strings.NewReplacer("${OKTASCIM_SIM_SCIM_URL}", echo.URL+"/scim/v2", "${OKTASCIM_SIM_SCIM_USERNAME}", username, "OKTASCIM_SIM_SCIM_PASSWORD", "ECHO_PASSWORD").Replace(integrationYAML("bas", "2.0", "basic", "swa")),
		strings.NewReplacer("${OKTASCIM_SIM_SCIM_URL}", echo.URL+"/scim/v2", "OKTASCIM_SIM_SCIM_TOKEN", "ECHO_BARE").Replace(integrationYAML("oau", "2.0", "oauth", "saml")),
	)
	// A group name arriving through a variable, with terminal controls in it.
	echoing = strings.Replace(echoing, "groups: [Engineering, Sales]", "groups: [Engineering, \"${HOSTILE_GROUP}\"]", 1)
	good := writeFile(t, echoing)
	misplaced := writeFile(t, strings.Replace(echoing, echo.URL+"/scim/v2", "${ECHO_TOKEN}", 1))
	vars := envVars(env, map[string]string{"OKTA_CLIENT_ORGURL": proxy.URL, "ECHO_TOKEN": "Bearer " + scimToken, "ECHO_BARE": scimToken,
		"ECHO_PASSWORD": password, "HOSTILE_GROUP": "Sales\x1b[2J\x1b]0;pwned\x07\rFAKE"})
	var all strings.Builder
	for _, args := range [][]string{
		{"validate", "-f", good},
		{"validate", "-f", misplaced},
		{"plan", "-f", good},
		{"apply", "-f", good, "--yes"},
		{"test", "-f", good},
		{"doctor", "-f", good},
		{"scim", "check", "-f", good, "--name", "hdr"},
		{"scim", "check", "-f", good, "--name", "bas"},
		{"status", "-f", good},
		{"status", "--all"},
		{"logs", "-f", good, "--name", "hdr"},
	} {
		for _, extra := range [][]string{nil, {"-o", "json"}, {"--debug"}} {
			all.WriteString(cli(t, vars, append(append([]string{}, args...), extra...)...).allOutput)
		}
	}
	// The org URL set to the token by mistake.
	mis := map[string]string{}
	for k, v := range vars {
		mis[k] = v
	}
	mis["OKTA_CLIENT_ORGURL"] = env.Token
	all.WriteString(cli(t, mis, "plan", "-f", good).allOutput)
	out := all.String()

	for _, s := range []string{env.Token, scimToken, password} {
		for _, form := range encodedForms(s) {
			if strings.Contains(out, form) {
				i := strings.Index(out, form)
				t.Errorf("secret form %q appears in the output: …%s…", form, out[max(0, i-200):min(len(out), i+len(form)+50)])
			}
		}
	}
	if basic := base64.StdEncoding.EncodeToString([]byte(username + ":" + password)); strings.Contains(out, basic) {
		t.Errorf("the Basic credentials' base64 appears in the output")
	}
	if strings.Contains(out, "abcd1234efgh") {
		t.Errorf("a client_secret= from a System Log reason appears in the output")
	}
	for _, raw := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\rFAKE"} {
		if strings.Contains(out, raw) {
			t.Errorf("a raw control sequence %q reaches the output", raw)
		}
	}
	if !strings.Contains(out, `Sales\x1b[2J`) {
		t.Errorf("the hostile group name is not shown escaped")
	}
	for _, want := range []string{"(sensitive)", "the value of ${ECHO_TOKEN}", "Okta org URL (from env OKTA_CLIENT_ORGURL): the value of env OKTA_CLIENT_ORGURL"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q: the test did not exercise that echo", want)
		}
	}
}

// encodedForms are the ways a secret can be echoed, written out here on their own
// (not by the redactor under test): as is, the part after a scheme word, URL query-
// and path-escaped, JSON-escaped with and without HTML escaping.
func encodedForms(s string) []string {
	parts := []string{s}
	for _, scheme := range []string{"Bearer ", "Basic ", "SSWS "} {
		if rest, ok := strings.CutPrefix(s, scheme); ok {
			parts = append(parts, rest)
		}
	}
	var out []string
	for _, p := range parts {
		j, _ := json.Marshal(p)
		var noHTML bytes.Buffer
		enc := json.NewEncoder(&noHTML)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(p)
		out = append(out, p, url.QueryEscape(p), url.PathEscape(p), strings.Trim(string(j), `"`), strings.Trim(strings.TrimSpace(noHTML.String()), `"`))
	}
	return out
}
