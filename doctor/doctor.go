package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/loopback"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/scim"
)

// Status of a check.
type Status string

// The statuses.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // works here, but not as Okta's cloud will see it
	Skip Status = "skip" // an earlier check failed
)

// Check is one line of the report.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
	// Err is Okta's answer that failed the check, if any: it decides the exit code.
	Err error `json:"-"`
}

// Target is one integration's SCIM server.
type Target struct {
	Integration string
	scim.Target
	// NoProbe, when set, is why no Test API Credentials request can be sent.
	NoProbe string
}

// Options are what to check and how to reach it.
type Options struct {
	// OrgURL as resolved; OrgErr is why it could not be (the org checks then fail).
	OrgURL string
	OrgErr error
	Client *okta.Client // nil when OrgErr is set
	SCIM   []Target
	// SCIMClient sends the Test API Credentials request (nil: 15 s timeout client).
	SCIMClient *http.Client
	// LookupIP resolves SCIM host names (nil: the system resolver).
	LookupIP func(ctx context.Context, host string) ([]net.IP, error)
	// Roots verify SCIM TLS certificates (nil: the system's public roots).
	Roots *x509.CertPool
	Now   func() time.Time
}

// Run performs every check, in order.
func Run(ctx context.Context, o Options) []Check {
	if o.LookupIP == nil {
		o.LookupIP = func(ctx context.Context, host string) ([]net.IP, error) {
			return net.DefaultResolver.LookupIP(ctx, "ip", host)
		}
	}
	if o.SCIMClient == nil {
		o.SCIMClient = &http.Client{Timeout: 15 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	checks := orgChecks(ctx, o)
	orgLoopback := false
	if u, err := url.Parse(o.OrgURL); err == nil {
		orgLoopback = loopback.Host(u.Hostname())
	}
	for _, t := range o.SCIM {
		checks = append(checks, scimChecks(ctx, o, t, orgLoopback)...)
	}
	return checks
}

// ExitCode is doctor's exit code: OK when no check fails; else the worst of the failed
// checks' codes, each by the one mapping (exitcode.Of) of the answer that failed it — a
// refused token or permission is AuthRefused — and Failure for a check failed without one.
func ExitCode(cs []Check) int {
	code := exitcode.OK
	for _, c := range cs {
		if c.Status != Fail {
			continue
		}
		one := exitcode.Failure
		if c.Err != nil {
			one = exitcode.Of(c.Err)
		}
		if code == exitcode.OK {
			code = one // Worst does not rank every code (e.g. Invalid)
		} else {
			code = exitcode.Worst(code, one)
		}
	}
	return code
}

func orgChecks(ctx context.Context, o Options) []Check {
	names := []string{"org URL", "org answers as Okta", "API token", "may list apps", "may read groups", "may read the System Log", "may create and change apps", usersCheckName}
	skipRest := func(out []Check, why string) []Check {
		for _, n := range names[len(out):] {
			out = append(out, Check{Name: n, Status: Skip, Detail: why})
		}
		return out
	}
	var out []Check
	if o.OrgErr != nil {
		out = append(out, Check{Name: names[0], Status: Fail, Detail: o.OrgErr.Error(),
			Fix: "set the org URL as https://YOUR-ORG.okta.com (not the -admin URL) with --org-url, OKTA_CLIENT_ORGURL, the file's org.url or ~/.okta/okta.yaml, and the token with OKTA_CLIENT_TOKEN"})
		return skipRest(out, "no usable org URL")
	}
	out = append(out, Check{Name: names[0], Status: Pass, Detail: o.OrgURL})
	c := o.Client
	meta, err := c.Metadata(ctx)
	switch {
	case err == nil && meta.ID != "":
		out = append(out, Check{Name: names[1], Status: Pass, Detail: fmt.Sprintf("org %s (%s)", meta.ID, engine(meta.Pipeline))})
	case err == nil || okta.IsNotFound(err) || isAPIError(err):
		out = append(out, Check{Name: names[1], Status: Fail, Detail: "the host answers, but not /.well-known/okta-organization as an Okta org does",
			Fix: "use the org's own URL (https://YOUR-ORG.okta.com or its custom domain), not another site"})
		return skipRest(out, "not an Okta org")
	default:
		out = append(out, Check{Name: names[1], Status: Fail, Detail: "cannot reach the org: " + err.Error(),
			Fix: "check the URL, DNS, and any proxy or firewall between here and Okta"})
		return skipRest(out, "org not reachable")
	}
	var last func() []Check // may create and change apps, may manage users
	if c.AuthMode() == okta.AuthPrivateKey {
		token, may := serviceAppCheck(ctx, c, names[2], names[6])
		out = append(out, token)
		if token.Status == Fail {
			return skipRest(out, "no access token")
		}
		users := serviceAppUsersCheck(ctx, c)
		last = func() []Check { return []Check{may, users} }
	} else {
		me, err := c.Me(ctx)
		if err != nil {
			fix := "create an API token (Security > API > Tokens) as an admin who may manage apps, and set OKTA_CLIENT_TOKEN (or use an OAuth service app: see the README)"
			if okta.IsAuth(err) {
				// The error's hint already says to create a token; say what it does not.
				fix = "a token works only in the org that issued it (" + o.OrgURL + ") and Okta revokes one unused for 30 days: check which token OKTA_CLIENT_TOKEN, the file's org block or ~/.okta/okta.yaml supplies (or use an OAuth service app: see the README)"
			}
			out = append(out, Check{Name: names[2], Status: Fail, Detail: "SSWS: " + err.Error(), Fix: fix, Err: err})
			return skipRest(out, "the token does not work")
		}
		out = append(out, Check{Name: names[2], Status: Pass, Detail: "SSWS: works; the token acts as " + me.Login})
		last = func() []Check { return roleChecks(ctx, c, me, names[6]) }
	}
	for i, probe := range []struct{ path, fix string }{
		{"/api/v1/apps?limit=1", "the token's admin needs a role that can view apps (Read-only, App or Super Administrator); OAuth: scope okta.apps.read"},
		{"/api/v1/groups?limit=1", "the token's admin needs a role that can view groups; OAuth: scope okta.groups.read"},
		{"/api/v1/logs?limit=1", "the token's admin needs a role that can view the System Log (Report, Read-only or Super Administrator); OAuth: scope okta.logs.read"},
	} {
		name := names[3+i]
		if err := c.TryRead(ctx, name, probe.path); err != nil {
			out = append(out, Check{Name: name, Status: Fail, Detail: err.Error(), Fix: probe.fix, Err: err})
			continue
		}
		out = append(out, Check{Name: name, Status: Pass, Detail: "GET " + strings.SplitN(probe.path, "?", 2)[0] + " → 200"})
	}
	out = append(out, last()...)
	return out
}

// appRoles are the standard admin roles that may create and change apps.
var appRoles = map[string]string{"SUPER_ADMIN": "Super Administrator", "ORG_ADMIN": "Organization Administrator", "APP_ADMIN": "Application Administrator"}

// roleChecks read the admin's roles: no harmless request can probe a write, and a
// write to find out would not be harmless.
func roleChecks(ctx context.Context, c *okta.Client, me okta.Admin, name string) []Check {
	const fix = "creating and changing apps needs the Super Administrator, Organization Administrator or Application Administrator role for the token's admin (OAuth: scope okta.apps.manage)"
	roles, err := c.AdminRoles(ctx, me.ID)
	if err != nil {
		why := "could not read the admin's roles to tell: " + err.Error()
		return []Check{{Name: name, Status: Warn, Detail: why, Fix: fix}, {Name: usersCheckName, Status: Warn, Detail: why, Fix: usersRoleFix}}
	}
	apps := Check{Name: name, Status: Fail, Detail: me.Login + " has " + rolesText(roles), Fix: fix}
	for _, r := range roles {
		if label, ok := appRoles[r]; ok {
			apps = Check{Name: name, Status: Pass, Detail: me.Login + " is " + label}
			break
		}
	}
	return []Check{apps, usersRoleCheck(me, roles)}
}

func rolesText(roles []string) string {
	if len(roles) == 0 {
		return "no admin role"
	}
	return strings.Join(roles, ", ")
}

func engine(pipeline string) string {
	if pipeline == "idx" {
		return "Identity Engine"
	}
	return "Classic Engine"
}

func isAPIError(err error) bool {
	var ae *okta.APIError
	return errors.As(err, &ae) && ae.Status != 0
}

func scimChecks(ctx context.Context, o Options, t Target, orgLoopback bool) []Check {
	prefix := t.Integration + ": "
	names := []string{"SCIM base URL resolves", "SCIM server is on a public address", "SCIM TLS certificate", "SCIM server answers Test API Credentials"}
	for i := range names {
		names[i] = prefix + names[i]
	}
	var out []Check
	skipRest := func(why string) []Check {
		for _, n := range names[len(out):] {
			out = append(out, Check{Name: n, Status: Skip, Detail: why})
		}
		return out
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil || u.Hostname() == "" {
		out = append(out, Check{Name: names[0], Status: Fail, Detail: fmt.Sprintf("%q is not a URL", t.BaseURL), Fix: "fix scim.baseUrl in the file"})
		return skipRest("no URL")
	}
	host := u.Hostname()
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IP{ip}
		out = append(out, Check{Name: names[0], Status: Pass, Detail: host + " is an IP address"})
	} else if ips, err = o.LookupIP(ctx, host); err != nil || len(ips) == 0 {
		out = append(out, Check{Name: names[0], Status: Fail, Detail: fmt.Sprintf("%s does not resolve: %v", host, err), Fix: "publish the host name in public DNS (Okta resolves it from its cloud)"})
		return skipRest("the host does not resolve")
	} else {
		out = append(out, Check{Name: names[0], Status: Pass, Detail: fmt.Sprintf("%s → %s", host, joinIPs(ips))})
	}
	switch bad, loopback := privateIPs(ips); {
	case len(bad) == 0:
		out = append(out, Check{Name: names[1], Status: Pass, Detail: joinIPs(ips) + " is public"})
	case loopback && orgLoopback:
		out = append(out, Check{Name: names[1], Status: Warn, Detail: "loopback: reachable by the local org simulator only",
			Fix: "a real Okta org needs a public URL (or the Okta On-Prem Provisioning agent)"})
	default:
		out = append(out, Check{Name: names[1], Status: Fail, Detail: joinIPs(bad) + " is not a public address; Okta's cloud cannot reach it",
			Fix: "expose the SCIM server on a public address with a public certificate, or provision through the Okta On-Prem Provisioning agent"})
		return skipRest("Okta cannot reach a private address")
	}
	if u.Scheme == "https" {
		out = append(out, tlsCheck(ctx, o, u, names[2]))
		if out[len(out)-1].Status == Fail {
			return skipRest("Okta refuses an untrusted certificate")
		}
	} else {
		out = append(out, Check{Name: names[2], Status: Warn, Detail: "http:// without TLS (allowed for loopback only)", Fix: "real Okta needs https:// with a valid public certificate"})
	}
	if t.NoProbe != "" {
		return append(out, Check{Name: names[3], Status: Skip, Detail: t.NoProbe})
	}
	res := scim.Probe(ctx, o.SCIMClient, t.Target)
	if res.OK {
		out = append(out, Check{Name: names[3], Status: Pass, Detail: "GET " + res.URL + " → 200 SCIM ListResponse"})
	} else {
		out = append(out, Check{Name: names[3], Status: Fail, Detail: fmt.Sprintf("GET %s → %s", res.URL, res.Detail), Fix: res.Hint})
	}
	return out
}

// tlsCheck verifies the certificate chain and host name as Okta would, and warns when
// it expires within two weeks.
func tlsCheck(ctx context.Context, o Options, u *url.URL, name string) Check {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: &tls.Config{ServerName: u.Hostname(), RootCAs: o.Roots, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return Check{Name: name, Status: Fail, Detail: err.Error(), Fix: "serve a certificate for " + u.Hostname() + " from a public CA (with the full chain); self-signed certificates are refused"}
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	leaf := certs[0]
	left := leaf.NotAfter.Sub(o.Now())
	detail := fmt.Sprintf("valid for %s, issued by %s, expires %s", u.Hostname(), leaf.Issuer.CommonName, leaf.NotAfter.UTC().Format("2006-01-02"))
	if left < 14*24*time.Hour {
		return Check{Name: name, Status: Warn, Detail: detail, Fix: "renew the certificate before it expires"}
	}
	return Check{Name: name, Status: Pass, Detail: detail}
}

// privateIPs returns the addresses Okta's cloud cannot reach, and whether they are all
// loopback.
func privateIPs(ips []net.IP) ([]net.IP, bool) {
	var bad []net.IP
	loopback := true
	cgnat := &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}
	for _, ip := range ips {
		if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() || cgnat.Contains(ip) {
			bad = append(bad, ip)
			loopback = loopback && ip.IsLoopback()
		}
	}
	return bad, loopback && len(bad) > 0
}

func joinIPs(ips []net.IP) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ", ")
}
