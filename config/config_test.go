package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// copyValid copies testdata/valid to a temp dir with the secret file at mode perm
// (git does not keep 0600).
func copyValid(t *testing.T, perm os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"full.yaml", "secrets/legacy.pw"} {
		b, err := os.ReadFile(filepath.Join("testdata/valid", name))
		if err != nil {
			t.Fatal(err)
		}
		_ = os.MkdirAll(filepath.Join(dir, "secrets"), 0o700)
		if err := os.WriteFile(filepath.Join(dir, name), b, perm); err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(filepath.Join(dir, name), perm)
	}
	return dir
}

func TestLoadFullFile(t *testing.T) {
	dir := copyValid(t, 0o600)
	path := filepath.Join(dir, "full.yaml")
	f, err := Load(path, LoadOptions{LookupEnv: testEnv})
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || f.Dir != dir || f.Path != path {
		t.Errorf("file = version %d dir %q path %q", f.Version, f.Dir, f.Path)
	}
	if f.Org == nil || f.Org.URL != "https://acme.okta.com" || f.Org.Token.Env != "OKTA_API_TOKEN" {
		t.Fatalf("org = %+v", f.Org)
	}
	if len(f.Integrations) != 2 {
		t.Fatalf("%d integrations", len(f.Integrations))
	}
	acme := f.Integrations[0]
	acme.SCIM.Auth.Token = nil
	want := Integration{
		Name: "acme", Kind: KindTemplate, Label: "Acme (SCIM)",
		SCIM:         SCIM{Version: "2.0", BaseURL: "https://scim.acme.example/scim/v2", Auth: Auth{Method: "header"}, AppName: "scim2headerauth", UserIDField: "email"},
		SignOn:       SignOn{Mode: "saml", SAML: &SAML{ACSURL: "https://acme.example/saml/acs", Audience: "https://acme.example"}},
		Visibility:   Visibility{HideWeb: Bool(true), HideMobile: Bool(false), AutoLogin: Bool(true)},
		Provisioning: Provisioning{CreateUsers: true, DeactivateUsers: true, SyncPassword: Bool(true), PushGroups: Bool(true), ImportUsers: Bool(true)},
		Groups:       []string{"Engineering", "Sales Team"},
		Pos:          Position{path, 6, 5},
	}
	if !reflect.DeepEqual(acme, want) {
		t.Errorf("acme =\n%+v\nwant\n%+v", acme, want)
	}
	legacy := f.Integrations[1]
	if legacy.Label != "legacy-app" || legacy.SCIM.Version != "1.1" || legacy.SCIM.UserIDField != "userName" ||
		legacy.SCIM.Auth.Username != "okta-provisioner" || legacy.SCIM.Auth.Password.File != filepath.Join(dir, "secrets/legacy.pw") {
		t.Errorf("legacy defaults = %+v", legacy)
	}
	if legacy.SignOn.SWA == nil || legacy.SignOn.SWA.LoginURL != "https://legacy.example/login?next=${HOME}" {
		t.Errorf("$${ escape: %+v", legacy.SignOn.SWA)
	}
	if p := legacy.Provisioning; !p.CreateUsers || !p.UpdateUsers || !p.DeactivateUsers || p.SyncPassword != nil || p.PushGroups != nil || p.ImportUsers != nil ||
		!reflect.DeepEqual(p.Defaulted, DefaultActions()) || legacy.Visibility != (Visibility{}) {
		t.Errorf("provisioning defaults = %+v", p)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].String(), "full.yaml:36:16: integrations[1].scim.baseUrl: http:// without TLS is accepted only because 127.0.0.1 is a loopback address") {
		t.Errorf("warnings = %v", f.Warnings)
	}
	if legacy.SCIM.AppName != "scim11basic_example" {
		t.Errorf("appName = %s", legacy.SCIM.AppName)
	}
	pw, err := legacy.SCIM.Auth.Password.Resolve()
	if err != nil || pw.Value() != "s3cret-basic-pw" {
		t.Errorf("file secret = %v, %v", pw.Value(), err)
	}
	tok, err := f.Integrations[0].SCIM.Auth.Token.Resolve()
	if err != nil || tok.Value() != "scim-token-value" {
		t.Errorf("env secret = %v, %v", tok.Value(), err)
	}
}

// TestSharedSecretFile: like ssh with a private key, a secret file group or others
// can read is refused (nothing loads) unless the user allowed it explicitly; then it
// is read, with a warning.
func TestSharedSecretFile(t *testing.T) {
	dir := copyValid(t, 0o644)
	_, err := Load(filepath.Join(dir, "full.yaml"), LoadOptions{LookupEnv: testEnv})
	var problems Problems
	if !errors.As(err, &problems) || len(problems) != 1 || !strings.Contains(problems[0].String(),
		"full.yaml:40:27: integrations[1].scim.auth.password.file: "+dir+"/secrets/legacy.pw is accessible by group or others (mode 0644); a secret file must be the user's alone") {
		t.Fatalf("Load = %v, want the shared secret file refused", err)
	}
	f, err := Load(filepath.Join(dir, "full.yaml"), LoadOptions{LookupEnv: testEnv, AllowSharedSecretFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 2 || !strings.Contains(f.Warnings[1].String(), "integrations[1].scim.auth.password.file: "+dir+"/secrets/legacy.pw is accessible by group or others (mode 0644); read anyway, as --allow-shared-secret-files asks") {
		t.Errorf("warnings = %v", f.Warnings)
	}
	if pw, err := f.Integrations[1].SCIM.Auth.Password.Resolve(); err != nil || pw.Value() != "s3cret-basic-pw" {
		t.Errorf("allowed secret = %v", err)
	}
	// The file may change between validation and use: the rule holds at use too.
	if err := os.Chmod(filepath.Join(dir, "secrets", "legacy.pw"), 0o640); err != nil {
		t.Fatal(err)
	}
	ref := *f.Integrations[1].SCIM.Auth.Password
	ref.allowShared = false
	if _, err := ref.Resolve(); err == nil || !strings.Contains(err.Error(), "mode 0640") {
		t.Errorf("Resolve of a shared file = %v", err)
	}
}

func TestDefaultAppName(t *testing.T) {
	for _, c := range []struct{ version, method, want string }{
		{"2.0", "oauth", "scim2testapp"}, {"2.0", "header", "scim2headerauth"}, {"2.0", "basic", "scim2testapp_basic"},
		{"1.1", "oauth", "scim1testapp"}, {"1.1", "basic", ""}, {"1.1", "header", ""}, // no 1.1 header/basic template name is known
	} {
		if got := DefaultAppName(c.version, c.method); got != c.want {
			t.Errorf("DefaultAppName(%s, %s) = %s, want %s", c.version, c.method, got, c.want)
		}
	}
}

func TestStdinSecretIsReadOnce(t *testing.T) {
	data := []byte(`version: 1
integrations:
  - name: acme
    scim: { baseUrl: https://scim.example.com/scim/v2, auth: { method: oauth, token: { stdin: true } } }
    signOn: { mode: swa, swa: { loginUrl: https://a.example/login } }
`)
	f, err := Parse("x.yaml", data, t.TempDir(), LoadOptions{LookupEnv: testEnv, Stdin: strings.NewReader("from-stdin\n")})
	if err != nil {
		t.Fatal(err)
	}
	ref := f.Integrations[0].SCIM.Auth.Token
	for i := 0; i < 2; i++ {
		s, err := ref.Resolve()
		if err != nil || s.Value() != "from-stdin" {
			t.Fatalf("resolve %d = %q, %v", i, s.Value(), err)
		}
	}
	if ref.Describe() != "stdin" {
		t.Errorf("Describe = %s", ref.Describe())
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("hunter2")
	b, _ := json.Marshal(map[string]any{"s": s})
	outs := []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s), string(b)}
	for _, o := range outs {
		if strings.Contains(o, "hunter2") || !strings.Contains(o, "(sensitive)") {
			t.Errorf("secret printed as %q", o)
		}
	}
	if s.Value() != "hunter2" || s.IsZero() || !NewSecret("").IsZero() {
		t.Error("Value/IsZero")
	}
}

func TestSecretResolveErrorsNameTheSource(t *testing.T) {
	ref := &SecretRef{Env: "GONE", Field: "integrations[0].scim.auth.token", lookup: func(string) (string, bool) { return "", false }}
	_, err := ref.Resolve()
	if err == nil || err.Error() != "integrations[0].scim.auth.token: env GONE: is not set" {
		t.Errorf("err = %v", err)
	}
}

func TestExpand(t *testing.T) {
	env := func(n string) (string, bool) { v, ok := map[string]string{"A": "x", "EMPTY": ""}[n]; return v, ok }
	for in, want := range map[string]string{
		"plain": "plain", "${A}": "x", "a${A}b${A}": "axbx", "$${A}": "${A}", "${EMPTY}": "", "$A": "$A",
	} {
		got, err := expand(in, env)
		if err != nil || got != want {
			t.Errorf("expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"${B}", "${", "${1X}"} {
		if _, err := expand(bad, env); err == nil {
			t.Errorf("expand(%q) succeeded", bad)
		}
	}
}

func TestLoopbackHTTP(t *testing.T) {
	// http is allowed exactly where the one loopback predicate says so.
	for u, loop := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://[::1]:9": true, "http://localhost": true, "http://127.1.2.3": true,
		"http://10.0.0.1": false, "http://localhost.evil.com": false, "http://127.evil.example.com": false,
	} {
		_, problem, warning := checkURL(u)
		if loop != (problem == "" && warning != "") {
			t.Errorf("checkURL(%s): problem %q, warning %q; want loopback=%v", u, problem, warning, loop)
		}
	}
}
