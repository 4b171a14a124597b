package scimserver

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/scim/conformance"
)

// Okta's Runscope SPEC suites run against this server through the production
// interpreter (package conformance, which embeds the current suites). The previous 2.0
// suite (-old.json) is read from the shared reference data, not part of the repo; that
// walk is skipped when it is absent.
const runscopeDir = "../../../shared/reference/okta-scim-runscope"

func TestOktaSPECSuites(t *testing.T) {
	for _, tc := range []struct{ file, version string }{
		{conformance.FileSPEC20, "2.0"},
		{conformance.FileSPEC11, "1.1"},
		{"Okta-SCIM-20-SPEC-Test-old.json", "2.0"}, // the previous 2.0 suite
	} {
		var suite *conformance.Suite
		raw, err := conformance.Embedded(tc.file)
		if err != nil {
			if raw, err = os.ReadFile(filepath.Join(runscopeDir, tc.file)); err != nil {
				t.Logf("reference suite not available: %v", err)
				continue
			}
		}
		if suite, err = conformance.Parse(raw); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		for _, a := range []Auth{
			{Mode: "bearer", Token: "spec-token"},
			{Mode: "header", Token: "spec-token"},
			{Mode: "basic", Username: "okta", Password: "spec-pass"},
		} {
			t.Run(strings.TrimSuffix(tc.file, ".json")+"/"+a.Mode, func(t *testing.T) {
				walkSuite(t, suite, tc.version, a)
			})
		}
	}
}

func walkSuite(t *testing.T, suite *conformance.Suite, version string, a Auth) {
	srv, err := Start(Options{Version: version, Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	authz := map[string]string{
		"bearer": "Bearer " + a.Token,
		"header": a.Token,
		"basic":  "Basic " + base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)),
	}[a.Mode]

	// The suites assume the app already has a user (and a group).
	seed := func(path, body string) {
		req := httptest.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", authz)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("seed %s: %d", path, rec.Code)
		}
	}
	seed("/Users", `{"userName":"existing@atko.com","name":{"givenName":"Existing","familyName":"User"},"emails":[{"value":"existing@atko.com","primary":true,"type":"work"}],"active":true}`)
	seed("/Groups", `{"displayName":"Existing Group"}`)

	res, err := conformance.Run(context.Background(), conformance.Options{
		BaseURL: srv.URL, Version: version, Authorization: authz, SPEC: suite, KeepUsers: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Checks {
		if c.Status != conformance.Pass {
			t.Errorf("%s: %s %v %s", c.Name, c.Status, c.Failures, c.Reason)
		}
	}
	if res.Passed < 10 {
		t.Fatalf("only %d checks passed in %s", res.Passed, suite.Name)
	}
	// The suite's own user was created exactly once (the duplicate was refused).
	if len(res.Cleanup) != 1 {
		t.Fatalf("the suite created %d users: %+v", len(res.Cleanup), res.Cleanup)
	}
	n := 0
	for _, u := range srv.Users() {
		if strings.EqualFold(fmt.Sprint(u["userName"]), res.Cleanup[0].UserName) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d users named %s, want 1", n, res.Cleanup[0].UserName)
	}
}
