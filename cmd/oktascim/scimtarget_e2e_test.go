package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/scimserver"
	"github.com/oktascim/oktascim/sim/simenv"
)

// authRecorder is a SCIM server that demands one Authorization header and remembers
// every one it was sent.
type authRecorder struct {
	mu   sync.Mutex
	seen []string
	next http.Handler
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.seen = append(a.seen, r.Header.Get("Authorization"))
	a.mu.Unlock()
	a.next.ServeHTTP(w, r)
}

// take returns the distinct headers seen since the last take.
func (a *authRecorder) take() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := map[string]bool{}
	var out []string
	for _, h := range a.seen {
		if !set[h] {
			set[h] = true
			out = append(out, h)
		}
	}
	a.seen = nil
	return out
}

// TestSCIMTargetOneHeaderEverywhere: apply's connection test (here `test`), doctor and
// `scim check -f` send the SCIM server the Authorization header Okta sends for the
// file's auth — a custom app's HTTP Header mode `Bearer <token>`, a template Header
// Auth app the token verbatim — because all three take it from apply.SCIMTarget.
func TestSCIMTargetOneHeaderEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name, label string
		file        func() string
		converge    func(t *testing.T, env *simenv.Env, path string)
		okta        func(token string) scimserver.Auth // what Okta sends, as the server demands it
	}{
		{"custom app, HTTP Header", "hr app", func() string { return fileOf(customYAML("hr", "header", "saml")) },
			func(t *testing.T, env *simenv.Env, path string) { convergeCustom(t, env, path, "hr app", "header") },
			func(tok string) scimserver.Auth { return scimserver.Auth{Mode: "bearer", Token: tok} }},
		{"template app, Header Auth", "hr app", func() string { return fileOf(integrationYAML("hr", "2.0", "header", "saml")) },
			func(t *testing.T, env *simenv.Env, path string) {
				converge(t, env, path, map[string][2]string{"hr app": {"2.0", "header"}})
			},
			func(tok string) scimserver.Auth { return scimserver.Auth{Mode: "header", Token: tok} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := startEnv(t, simenv.Options{})
			path := writeFile(t, tc.file())
			tc.converge(t, env, path)
			want := tc.okta(env.SCIMToken)
			rec := &authRecorder{next: scimserver.New(scimserver.Options{Auth: want})}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			wantHeader := want.Token
			if want.Mode == "bearer" {
				wantHeader = "Bearer " + want.Token
			}
			vars := envVars(env, map[string]string{simenv.VarSCIMURL: srv.URL + "/scim/v2"})

			r := cli(t, vars, "test", "-f", path)
			if r.code != exitcode.OK {
				t.Fatalf("test: exit %d\n%s", r.code, r.allOutput)
			}
			if got := rec.take(); len(got) != 1 || got[0] != wantHeader {
				t.Fatalf("the connection test sent Authorization %q, Okta sends %q", got, wantHeader)
			}
			r = cli(t, vars, "doctor", "-f", path)
			if !strings.Contains(r.stdout, "PASS  hr: SCIM server answers Test API Credentials") {
				t.Fatalf("doctor's SCIM probe did not pass:\n%s", r.allOutput)
			}
			if got := rec.take(); len(got) != 1 || got[0] != wantHeader {
				t.Fatalf("doctor sent Authorization %q, Okta sends %q", got, wantHeader)
			}
			// Okta's suite also sends a wrong token once, to see the 401 ("Check status 401").
			r = cli(t, vars, "scim", "check", "-f", path, "--name", "hr")
			if got := rec.take(); len(got) != 2 || got[0] != wantHeader || !strings.Contains(r.stdout, "PASS  Required Test: Check status 401") {
				t.Fatalf("scim check sent Authorization %q, Okta sends %q\n%s", got, wantHeader, r.allOutput)
			}
			assertNoSecrets(t, r.allOutput, env.SCIMToken)
		})
	}
}
