package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/scim"
	"github.com/oktascim/oktascim/sim/scimserver"
)

func find(t *testing.T, cs []Check, suffix string) Check {
	t.Helper()
	for _, c := range cs {
		if strings.HasSuffix(c.Name, suffix) {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", suffix, cs)
	return Check{}
}

// fakeDNS resolves only the names it knows; nothing leaves the machine.
func fakeDNS(m map[string]string) func(context.Context, string) ([]net.IP, error) {
	return func(_ context.Context, host string) ([]net.IP, error) {
		if ip, ok := m[host]; ok {
			return []net.IP{net.ParseIP(ip)}, nil
		}
		return nil, errors.New("no such host")
	}
}

// TestSCIMAddressChecks: names that do not resolve, or resolve to private addresses,
// fail without any connection being tried.
func TestSCIMAddressChecks(t *testing.T) {
	dialed := false
	hc := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		dialed = true
		return nil, errors.New("no network in tests")
	}}}
	cs := Run(context.Background(), Options{OrgErr: errors.New("not needed"), SCIMClient: hc,
		LookupIP: fakeDNS(map[string]string{"scim.corp.example": "192.168.1.5", "scim.cgnat.example": "100.64.3.4", "scim.v6.example": "fd00::1"}),
		SCIM: []Target{
			{Integration: "corp", Target: scim.Target{BaseURL: "https://scim.corp.example/scim/v2"}},
			{Integration: "cgnat", Target: scim.Target{BaseURL: "https://scim.cgnat.example/scim/v2"}},
			{Integration: "v6", Target: scim.Target{BaseURL: "https://scim.v6.example/scim/v2"}},
			{Integration: "literal", Target: scim.Target{BaseURL: "https://10.1.2.3/scim/v2"}},
			{Integration: "nowhere", Target: scim.Target{BaseURL: "https://scim.nowhere.example/scim/v2"}},
		}})
	for _, n := range []string{"corp", "cgnat", "v6", "literal"} {
		c := find(t, cs, n+": SCIM server is on a public address")
		if c.Status != Fail || !strings.Contains(c.Fix, "On-Prem Provisioning agent") {
			t.Errorf("%s: %+v", n, c)
		}
		if c := find(t, cs, n+": SCIM server answers Test API Credentials"); c.Status != Skip {
			t.Errorf("%s: probe not skipped: %+v", n, c)
		}
	}
	if c := find(t, cs, "nowhere: SCIM base URL resolves"); c.Status != Fail || !strings.Contains(c.Detail, "does not resolve") {
		t.Errorf("nowhere: %+v", c)
	}
	if dialed || ExitCode(cs) == exitcode.OK {
		t.Fatalf("dialed %v, exit code %d", dialed, ExitCode(cs))
	}
}

// TestSCIMTLSCheck: a self-signed certificate fails as Okta would refuse it; trusted,
// it passes and the Test API Credentials request goes through over TLS.
func TestSCIMTLSCheck(t *testing.T) {
	srv := scimserver.New(scimserver.Options{Version: "2.0", Auth: scimserver.Auth{Mode: "bearer", Token: "tls-token"}})
	ts := httptest.NewTLSServer(srv)
	defer ts.Close()
	target := []Target{{Integration: "tls", Target: scim.Target{BaseURL: ts.URL + "/scim/v2", Version: "2.0",
		Credentials: scim.Credentials{Method: "oauth", Token: "tls-token"}}}}
	// The org is a local simulator, so a loopback SCIM server is a warning, not a failure.
	cs := Run(context.Background(), Options{OrgURL: "http://127.0.0.1:9", OrgErr: errors.New("skip the org"), SCIM: target, Roots: x509.NewCertPool()})
	if c := find(t, cs, "tls: SCIM TLS certificate"); c.Status != Fail || !strings.Contains(c.Fix, "public CA") {
		t.Fatalf("untrusted certificate: %+v", c)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	cs = Run(context.Background(), Options{OrgURL: "http://127.0.0.1:9", OrgErr: errors.New("skip the org"), SCIM: target, Roots: pool, SCIMClient: ts.Client()})
	if c := find(t, cs, "tls: SCIM server is on a public address"); c.Status != Warn {
		t.Fatalf("loopback behind a local org: %+v", c)
	}
	if c := find(t, cs, "tls: SCIM TLS certificate"); c.Status != Pass || !strings.Contains(c.Detail, "expires") {
		t.Fatalf("trusted certificate: %+v", c)
	}
	if c := find(t, cs, "tls: SCIM server answers Test API Credentials"); c.Status != Pass {
		t.Fatalf("probe: %+v", c)
	}
}
