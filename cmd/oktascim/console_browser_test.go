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
	"github.com/oktascim/oktascim/internal/simenv"
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

// TestBrowserWalksTheProvisioningTab is the manual step done by a person: apply --wait
// runs in the background against the simulator, prints the step; a real headless
// browser opens the link it printed, fills the Provisioning tab, clicks Test API
// Credentials (first with a wrong token: the SCIM server's 401 is shown), then Save;
// apply goes on by itself and converges, and the apps page shows provisioning on.
func TestBrowserWalksTheProvisioningTab(t *testing.T) {
	ctx := browser(t)
	env := startEnv(t, simenv.Options{})
	vars := envVars(env, nil)
	lookup := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	file := "../../examples/quickstart.yaml"

	runCtx, stopApply := context.WithTimeout(context.Background(), 3*time.Minute)
	defer stopApply()
	pr, pw := io.Pipe()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(runCtx, []string{"apply", "-f", file, "--yes", "--wait", "--poll-interval", "100ms"},
			&IOStreams{In: strings.NewReader(""), Out: io.MultiWriter(pw, &stdout), ErrOut: &stderr}, lookup)
		pw.Close()
	}()
	link := ""
	sc := bufio.NewScanner(pr)
	for link == "" && sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "link: ") {
			link = strings.TrimPrefix(l, "link: ")
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if !strings.HasPrefix(link, env.OrgURL+"/admin/app/scim2headerauth/instance/") || !strings.HasSuffix(link, "/#tab-provisioning") {
		t.Fatalf("apply printed no deep link into the simulator's console (got %q)\n%s%s", link, stdout.String(), stderr.String())
	}

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, actions...); err != nil {
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
			t.Fatalf("%s: %v\npage:\n%s\napply so far:\n%s", what, err, html, stdout.String())
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	// The link opens the app's page on its Provisioning tab (the General tab hidden).
	step("open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#baseUrl")),
		chromedp.WaitNotVisible(chromedp.CSS("#tab-general")))
	step("fill the form with a wrong token and test",
		chromedp.Click(chromedp.CSS("#enable")),
		chromedp.SendKeys(chromedp.CSS("#baseUrl"), env.SCIM20.URL),
		chromedp.SetValue(chromedp.CSS("#userIdField"), "userName"),
		chromedp.SendKeys(chromedp.CSS("#token"), "not-the-token"),
		chromedp.Click(chromedp.CSS("#pushNewUsers")),
		chromedp.Click(chromedp.CSS("#pushProfileUpdates")),
		chromedp.Click(chromedp.CSS("#test")),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := text("#error"); !strings.Contains(got, "401") {
		t.Fatalf("Test API Credentials with a wrong token shows %q, want the SCIM server's 401", got)
	}
	step("enter the right token and test again",
		chromedp.SetValue(chromedp.CSS("#token"), env.SCIMToken),
		chromedp.Click(chromedp.CSS("#test")),
		chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got := text("#notice"); !strings.Contains(got, "verified successfully") {
		t.Fatalf("Test API Credentials shows %q", got)
	}
	step("save", chromedp.Click(chromedp.CSS("#save")), chromedp.WaitVisible(chromedp.CSS("#provisioning-state.on")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "#tab-provisioning") || !strings.Contains(text("#notice"), "Saved") {
		t.Errorf("after Save: at %s, notice %q", loc, text("#notice"))
	}

	// apply --wait goes on by itself.
	select {
	case code := <-done:
		if code != exitcode.OK || !strings.Contains(stdout.String(), "verified: provisioning is on") {
			t.Fatalf("apply --wait: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("apply --wait did not finish after Save\n%s", stdout.String())
	}
	if r := cli(t, vars, "plan", "-f", file, "--detailed-exitcode"); r.code != exitcode.OK {
		t.Fatalf("plan after the walk: exit %d (not converged)\n%s", r.code, r.allOutput)
	}
	step("the apps page", chromedp.Navigate(env.OrgURL+"/admin/apps/active"), chromedp.WaitVisible(chromedp.CSS("#apps")))
	if got := text("td.provisioning"); got != "on: "+env.SCIM20.URL {
		t.Errorf("apps page provisioning column %q, want on: %s", got, env.SCIM20.URL)
	}
	assertNoSecrets(t, stdout.String()+stderr.String(), env.Secrets()...)
}
