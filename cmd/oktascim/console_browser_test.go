package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/simenv"
)

// chromium finds Debian's chromium. Locally a missing browser skips the browser
// tests; under CI it fails them (.ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing (CI is set: .ci/run installs it with apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
	return ""
}

// browser starts a headless chromium with a fresh profile and no network but loopback.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now, on a context without a deadline
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// walk is one apply --wait running in the background and a browser tab a person uses.
type walk struct {
	t              *testing.T
	ctx            context.Context // the browser tab
	link           string          // the deep link apply printed
	stdout, stderr *syncBuffer
	done           chan int
}

// startWalk runs apply --yes --wait on file in the background and waits for the deep
// link of its manual step.
func startWalk(t *testing.T, vars map[string]string, file string) *walk {
	t.Helper()
	w := &walk{t: t, ctx: browser(t), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan int, 1)}
	runCtx, stopApply := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(stopApply)
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	pr, pw := io.Pipe()
	go func() {
		w.done <- run(runCtx, []string{"apply", "-f", file, "--yes", "--wait", "--poll-interval", "100ms"},
			&IOStreams{In: strings.NewReader(""), Out: io.MultiWriter(pw, w.stdout), ErrOut: w.stderr}, lookup)
		pw.Close()
	}()
	// The step apply asks for, not the plan's pending one printed before it.
	sc := bufio.NewScanner(pr)
	for asked := false; w.link == "" && sc.Scan(); {
		l := strings.TrimSpace(sc.Text())
		asked = asked || strings.HasPrefix(l, "── manual step: ")
		if asked && strings.HasPrefix(l, "link: ") {
			w.link = strings.TrimPrefix(l, "link: ")
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return w
}

// step runs browser actions, failing with the page and apply's output.
func (w *walk) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	c, cancel := context.WithTimeout(w.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		html, _ := chromedp.Run(w.ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		w.t.Fatalf("%s: %v\npage:\n%s\napply so far:\n%s", what, err, html, w.stdout.String())
	}
}

func (w *walk) text(sel string) string {
	w.t.Helper()
	s, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// converged waits for apply to finish by itself, verified, and checks plan is clean.
func (w *walk) converged(vars map[string]string, file string, secrets []string) {
	w.t.Helper()
	select {
	case code := <-w.done:
		if code != exitcode.OK || !strings.Contains(w.stdout.String(), "verified: provisioning is on") {
			w.t.Fatalf("apply --wait: exit %d\n%s%s", code, w.stdout.String(), w.stderr.String())
		}
	case <-time.After(2 * time.Minute):
		w.t.Fatalf("apply --wait did not finish after Save\n%s", w.stdout.String())
	}
	if r := cli(w.t, vars, "plan", "-f", file, "--detailed-exitcode"); r.code != exitcode.OK {
		w.t.Fatalf("plan after the walk: exit %d (not converged)\n%s", r.code, r.allOutput)
	}
	assertNoSecrets(w.t, w.stdout.String()+w.stderr.String(), secrets...)
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// TestBrowserWalksTheProvisioningTab is the manual step done by a person: apply --wait
// runs in the background against the simulator, prints the step; a real headless
// browser opens the link it printed, fills the Provisioning tab, clicks Test API
// Credentials (first with a wrong token: the SCIM server's 401 is shown), then Save;
// apply goes on by itself and converges, and the apps page shows provisioning on.
func TestBrowserWalksTheProvisioningTab(t *testing.T) {
	chromium(t)
	env := startEnv(t, simenv.Options{})
	vars := envVars(env, nil)
	file := "../../examples/quickstart.yaml"
	w := startWalk(t, vars, file)
	if !strings.HasPrefix(w.link, env.OrgURL+"/admin/app/scim2headerauth/instance/") || !strings.HasSuffix(w.link, "/#tab-provisioning") {
		t.Fatalf("apply printed no deep link into the simulator's console (got %q)\n%s%s", w.link, w.stdout.String(), w.stderr.String())
	}
	// The link opens the app's page on its Provisioning tab (the General tab hidden).
	w.step("open the link", chromedp.Navigate(w.link), chromedp.WaitVisible(css("#baseUrl")), chromedp.WaitNotVisible(css("#tab-general")))
	w.step("fill the form with a wrong token and test",
		chromedp.Click(css("#enable")),
		chromedp.SendKeys(css("#baseUrl"), env.SCIM20.URL),
		chromedp.SetValue(css("#userIdField"), "userName"),
		chromedp.SendKeys(css("#token"), "not-the-token"),
		chromedp.Click(css("#pushNewUsers")),
		chromedp.Click(css("#pushProfileUpdates")),
		chromedp.Click(css("#test")),
		chromedp.WaitVisible(css(`#error[data-from="test"]`)))
	if got := w.text("#error"); !strings.Contains(got, "401") {
		t.Fatalf("Test API Credentials with a wrong token shows %q, want the SCIM server's 401", got)
	}
	w.step("enter the right token and test again",
		chromedp.SetValue(css("#token"), env.SCIMToken), chromedp.Click(css("#test")), chromedp.WaitVisible(css(`#notice[data-from="test"]`)))
	if got := w.text("#notice"); !strings.Contains(got, "verified successfully") {
		t.Fatalf("Test API Credentials shows %q", got)
	}
	w.step("save", chromedp.Click(css("#save")), chromedp.WaitVisible(css(`#notice[data-from="save"]`)), chromedp.WaitVisible(css("#provisioning-state.on")))
	if loc, _ := chromedp.Run(w.ctx, chromedp.Location()); !strings.HasSuffix(loc, "#tab-provisioning") || !strings.Contains(w.text("#notice"), "Saved") {
		t.Errorf("after Save: at %s, notice %q", loc, w.text("#notice"))
	}
	w.converged(vars, file, env.Secrets())
	w.step("the apps page", chromedp.Navigate(env.OrgURL+"/admin/apps/active"), chromedp.WaitVisible(css("#apps")))
	if got := w.text("td.provisioning"); got != "on: "+env.SCIM20.URL {
		t.Errorf("apps page provisioning column %q, want on: %s", got, env.SCIM20.URL)
	}
}

// TestBrowserWalksACustomApp is the production path: examples/custom-saml-oauth2.yaml
// (an App Integration Wizard app with OAuth 2 provisioning). The link apply prints opens
// the General tab, where Provisioning is set to SCIM; then the Provisioning tab takes
// the SCIM connection with OAuth 2 (Test Connector Configuration runs the authorization
// code grant against the SCIM servers' OAuth server) and Save; apply converges.
func TestBrowserWalksACustomApp(t *testing.T) {
	chromium(t)
	env := startEnv(t, simenv.Options{Groups: []string{"Engineering", "Sales", "hr-payroll"}})
	vars := envVars(env, env.ExampleVars())
	file := "../../examples/custom-saml-oauth2.yaml"
	w := startWalk(t, vars, file)
	if !strings.HasPrefix(w.link, env.OrgURL+"/admin/app/") || !strings.HasSuffix(w.link, "/#tab-general") {
		t.Fatalf("apply printed no General tab link into the simulator's console (got %q)\n%s%s", w.link, w.stdout.String(), w.stderr.String())
	}
	w.step("open the link", chromedp.Navigate(w.link), chromedp.WaitVisible(css("#provisioning-mode")), chromedp.WaitNotVisible(css("#tab-provisioning")))
	w.step("Provisioning: SCIM", chromedp.SetValue(css("#provisioning-mode"), "scim"), chromedp.Click(css("#general-save")),
		chromedp.WaitVisible(css(`#notice[data-from="general"]`)))
	w.step("the Provisioning tab", chromedp.Click(css(`nav.tabs a[href="#tab-provisioning"]`)), chromedp.WaitVisible(css("#baseUrl")))
	o := env.OAuth
	w.step("fill the SCIM connection and test",
		chromedp.SendKeys(css("#baseUrl"), env.SCIM20.URL),
		chromedp.Click(css("#importUsers")), chromedp.Click(css("#pushNewUsers")),
		chromedp.Click(css("#pushProfileUpdates")), chromedp.Click(css("#pushGroups")),
		chromedp.SetValue(css("#authMode"), "oauth2"),
		chromedp.SendKeys(css("#tokenEndpoint"), o.TokenURL), chromedp.SendKeys(css("#authorizeEndpoint"), o.AuthorizeURL),
		chromedp.SendKeys(css("#clientId"), o.ClientID), chromedp.SendKeys(css("#clientSecret"), o.ClientSecret),
		chromedp.Click(css("#test")), chromedp.WaitVisible(css(`#notice[data-from="test"]`)))
	if got := w.text("#notice"); !strings.Contains(got, "verified successfully") {
		t.Fatalf("Test Connector Configuration shows %q", got)
	}
	w.step("save", chromedp.Click(css("#save")), chromedp.WaitVisible(css(`#notice[data-from="save"]`)), chromedp.WaitVisible(css("#provisioning-state.on")))
	w.converged(vars, file, env.Secrets())
}
