package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// doctorLine returns the status word of the check whose name ends with name.
func doctorLine(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^(PASS|FAIL|WARN|SKIP)  ` + regexp.QuoteMeta(name) + `\s`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no check %q:\n%s", name, out)
	}
	return m[1]
}

func TestDoctorAllGoodAgainstTheSimulator(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	path := writeFile(t, fileOf(integrationYAML("acme", "2.0", "header", "saml"), integrationYAML("legacy", "1.1", "oauth", "swa")))
	vars := envVars(env, nil)
	r := cli(t, vars, "doctor", "-f", path)
	if r.code != exitcode.OK {
		t.Fatalf("doctor exit %d\n%s", r.code, r.allOutput)
	}
	for _, name := range []string{"org URL", "org answers as Okta", "API token", "may list apps", "may read groups", "may read the System Log",
		"may create and change apps", "acme: SCIM base URL resolves", "acme: SCIM server answers Test API Credentials", "legacy: SCIM server answers Test API Credentials"} {
		if got := doctorLine(t, r.stdout, name); got != "PASS" {
			t.Errorf("%s: %s\n%s", name, got, r.stdout)
		}
	}
	if got := doctorLine(t, r.stdout, "acme: SCIM server is on a public address"); got != "WARN" {
		t.Errorf("loopback SCIM behind the simulator: %s", got)
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("doctor wrote to the org: %v", w)
	}
	assertNoSecrets(t, r.allOutput, env.Token, env.SCIMToken, env.SCIMPassword)
	r = cli(t, vars, "doctor", "-f", path, "-o", "json")
	var doc struct {
		Checks []struct{ Name, Status string }
		Failed int
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Failed != 0 || len(doc.Checks) != 8+2*4 {
		t.Fatalf("json: %v %+v", err, doc)
	}
}

func TestDoctorBadOrgURLs(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	notOkta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>nothing here</html>"))
	}))
	defer notOkta.Close()
	for _, tc := range []struct{ url, check, want string }{
		{"https://acme-admin.okta.com", "org URL", "-admin"},
		{"http://127.0.0.1:1", "org answers as Okta", "cannot reach the org"},
		{notOkta.URL, "org answers as Okta", "not /.well-known/okta-organization"},
	} {
		r := cli(t, map[string]string{"OKTA_CLIENT_TOKEN": env.Token}, "doctor", "--org-url", tc.url, "-f", "/nonexistent/none.yaml")
		if r.code != exitcode.Invalid {
			// -f names a missing file: that is invalid input, before any check.
			t.Fatalf("%s: missing -f file: exit %d", tc.url, r.code)
		}
		r = cli(t, map[string]string{"OKTA_CLIENT_TOKEN": env.Token}, "doctor", "--org-url", tc.url)
		if r.code != exitcode.Failure || doctorLine(t, r.stdout, tc.check) != "FAIL" || !strings.Contains(r.stdout, tc.want) || !strings.Contains(r.stdout, "fix:") {
			t.Fatalf("%s: exit %d\n%s", tc.url, r.code, r.allOutput)
		}
		if doctorLine(t, r.stdout, "API token") != "SKIP" {
			t.Fatalf("%s: later checks not skipped\n%s", tc.url, r.stdout)
		}
	}
	if len(env.Org.Requests()) != 0 {
		t.Fatal("a check reached the simulator though the URL pointed elsewhere")
	}
}

func TestDoctorBadTokenAndReadOnlyToken(t *testing.T) {
	env := startEnv(t, simenv.Options{Org: oktaorg.Options{ReadOnlyTokens: []string{"00readonly-token-abcdef"}}})
	r := cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00not-a-valid-token"}), "doctor")
	if r.code != exitcode.AuthRefused || doctorLine(t, r.stdout, "API token") != "FAIL" || !strings.Contains(r.stdout, "401") {
		t.Fatalf("bad token: exit %d, want %d\n%s", r.code, exitcode.AuthRefused, r.allOutput)
	}
	assertNoSecrets(t, r.allOutput, "00not-a-valid-token")

	r = cli(t, envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00readonly-token-abcdef"}), "doctor")
	if r.code != exitcode.Failure {
		t.Fatalf("read-only token: exit %d\n%s", r.code, r.allOutput)
	}
	for name, want := range map[string]string{"API token": "PASS", "may list apps": "PASS", "may read groups": "PASS", "may read the System Log": "PASS", "may create and change apps": "FAIL"} {
		if got := doctorLine(t, r.stdout, name); got != want {
			t.Errorf("%s: %s, want %s\n%s", name, got, want, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "READ_ONLY_ADMIN") || !strings.Contains(r.stdout, "Application Administrator") || !strings.Contains(r.stdout, "okta.apps.manage") {
		t.Fatalf("no useful fix for the missing role:\n%s", r.stdout)
	}
	if w := writes(env); len(w) > 0 {
		t.Fatalf("doctor wrote: %v", w)
	}
}

func TestDoctorSCIMOnAPrivateAddress(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	in := strings.Replace(integrationYAML("intranet", "2.0", "header", "saml"), "${OKTASCIM_SIM_SCIM_URL}", "https://10.20.30.40/scim/v2", 1)
	path := writeFile(t, fileOf(in))
	r := cli(t, envVars(env, nil), "doctor", "-f", path)
	if r.code != exitcode.Failure || doctorLine(t, r.stdout, "intranet: SCIM server is on a public address") != "FAIL" || !strings.Contains(r.stdout, "On-Prem Provisioning agent") {
		t.Fatalf("exit %d\n%s", r.code, r.allOutput)
	}
	if doctorLine(t, r.stdout, "intranet: SCIM server answers Test API Credentials") != "SKIP" || doctorLine(t, r.stdout, "may create and change apps") != "PASS" {
		t.Fatalf("\n%s", r.stdout)
	}
}

// TestDoctorRefusedTokenExits4: a token Okta refuses exits 4 (the README's table, by
// exitcode.Of) in text and -o json, and the fix adds to the error's hint instead of
// repeating it.
func TestDoctorRefusedTokenExits4(t *testing.T) {
	env := startEnv(t, simenv.Options{})
	vars := envVars(env, map[string]string{"OKTA_CLIENT_TOKEN": "00wrong-token-0123456789"})
	r := cli(t, vars, "doctor")
	if r.code != exitcode.AuthRefused {
		t.Fatalf("text: exit %d, want %d\n%s", r.code, exitcode.AuthRefused, r.allOutput)
	}
	r = cli(t, vars, "doctor", "-o", "json")
	var doc struct {
		ExitCode int `json:"exitCode"`
		Checks   []struct{ Name, Status, Detail, Fix string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("doctor -o json: %v\n%s", err, r.stdout)
	}
	if r.code != exitcode.AuthRefused || doc.ExitCode != exitcode.AuthRefused {
		t.Fatalf("json: exit %d, exitCode %d, want %d\n%s", r.code, doc.ExitCode, exitcode.AuthRefused, r.allOutput)
	}
	for _, c := range doc.Checks {
		if c.Name != "API token" {
			continue
		}
		// The detail ends with the error's hint ("…: the API token is invalid…").
		hint := c.Detail[strings.LastIndex(c.Detail, ": ")+2:]
		if c.Status != "fail" || !strings.Contains(hint, "Security > API > Tokens") || c.Fix == "" {
			t.Fatalf("API token check: %+v", c)
		}
		if strings.Contains(c.Fix, "Security > API > Tokens") || strings.Contains(c.Detail, c.Fix) {
			t.Fatalf("the fix repeats the error's hint:\ndetail: %s\nfix: %s", c.Detail, c.Fix)
		}
		assertNoSecrets(t, r.allOutput, "00wrong-token-0123456789")
		return
	}
	t.Fatalf("no API token check:\n%s", r.stdout)
}
