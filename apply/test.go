package apply

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/systemlog"
	"github.com/oktascim/oktascim/scim"
)

// connectionTest is one integration's connection test, done but for its System Log
// check, which the run makes once for all its apps (finishTests).
type connectionTest struct {
	ir       *integrationRun
	res      scim.Result
	canProbe bool
	warnings []string
}

// test sends what Okta's "Test API Credentials" sends, with the configured credentials;
// the System Log check follows in finishTests.
func (r *runner) test(ctx context.Context, ir *integrationRun) {
	in := ir.in
	target, canProbe := ir.creds.target(in)
	t := &connectionTest{ir: ir, canProbe: canProbe, res: scim.Result{OK: true}}
	if canProbe {
		t.res = scim.Probe(ctx, r.opts.SCIMClient, target)
	}
	if w := scim.AddressWarning(in.SCIM.BaseURL); w != "" {
		t.warnings = append(t.warnings, w)
	}
	r.mu.Lock()
	r.tests = append(r.tests, t)
	r.mu.Unlock()
}

// finishTests reads the System Log once for every app the run tested (one read per 50
// apps, not one per integration) for provisioning failures since the run began, and
// reports each test, in the file's order. It returns the exit code each integration's
// test adds.
func (r *runner) finishTests(ctx context.Context) map[string]int {
	r.mu.Lock()
	tests := r.tests
	r.tests = nil
	r.mu.Unlock()
	order := map[string]int{}
	for i, in := range r.opts.Integrations {
		order[in.Name] = i
	}
	sort.SliceStable(tests, func(i, j int) bool { return order[tests[i].ir.in.Name] < order[tests[j].ir.in.Name] })
	var ids []string
	for _, t := range tests {
		if t.ir.app.ID != "" {
			ids = append(ids, t.ir.app.ID)
		}
	}
	var byApp map[string][]okta.LogEvent
	var logErr error
	if len(ids) > 0 {
		byApp, logErr = systemlog.ByApp(ctx, r.opts.Client, ids, r.start)
	}
	codes := map[string]int{}
	for _, t := range tests {
		r.reportTest(t, provisioningFailures(byApp[t.ir.app.ID]), logErr)
		codes[t.ir.in.Name] = t.ir.code
	}
	return codes
}

// reportTest reports a connection test with what the System Log showed for its app.
func (r *runner) reportTest(t *connectionTest, failures []LogLine, logErr error) {
	ir, res := t.ir, t.res
	warnings := t.warnings
	if logErr != nil && ir.app.ID != "" {
		warnings = append(warnings, "could not read the System Log: "+logErr.Error())
	}
	ev := Event{Integration: ir.in.Name, Step: StepTest, AppID: ir.app.ID, Warnings: warnings, SystemLog: failures}
	checked := ir.app.ID != "" && logErr == nil
	switch {
	case !res.OK:
		ev.Outcome = Failed
		ev.Detail = fmt.Sprintf("GET %s → %s: %s", res.URL, statusText(res.Status), res.Detail)
		ev.Hint = res.Hint
		ir.code = exitcode.Worst(ir.code, exitcode.ConnectionFailed)
	case len(failures) > 0:
		ev.Outcome = Failed
		ev.Detail = fmt.Sprintf("the SCIM server answers the test request, but the System Log shows %d provisioning failure(s) on the app since %s: newest: %s %s",
			len(failures), r.start.Format(time.TimeOnly), failures[0].EventType, orUnknown(failures[0].Reason))
		ev.Hint = systemlog.Hint(failures[0].Event())
		ir.code = exitcode.Worst(ir.code, exitcode.ConnectionFailed)
	case !t.canProbe:
		// Not a pass: nothing here could send what Okta sends.
		ev.Outcome = Skipped
		ev.Detail = NoProbe
		if checked {
			ev.Detail += "; the System Log shows no provisioning failures on the app since " + r.start.Format(time.TimeOnly)
		}
	default:
		ev.Outcome = Done
		ev.Detail = fmt.Sprintf("verified: GET %s → 200 SCIM ListResponse", res.URL)
		if checked {
			ev.Detail += "; no provisioning failures in the System Log since " + r.start.Format(time.TimeOnly)
		}
	}
	r.report(ev)
}

// provisioningFailures returns the failure events (newest first) that no later
// success of the same event type superseded.
func provisioningFailures(events []okta.LogEvent) []LogLine {
	succeeded := map[string]bool{}
	var out []LogLine
	for _, e := range events { // newest first
		switch {
		case !e.Failed():
			succeeded[e.EventType] = true
		case !succeeded[e.EventType] && systemlog.IsProvisioning(e.EventType):
			out = append(out, LogLineOf(e))
		}
	}
	return out
}

func statusText(status int) string {
	if status == 0 {
		return "no answer"
	}
	return fmt.Sprint(status)
}
