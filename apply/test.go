package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/scim"
	"github.com/oktascim/oktascim/systemlog"
)

// test sends what Okta's "Test API Credentials" sends, with the configured credentials,
// and reads the System Log for provisioning failures on the app since the run began.
func (r *runner) test(ctx context.Context, ir *integrationRun) {
	in := ir.in
	creds, canProbe := ir.creds.scim()
	res := scim.Result{OK: true}
	if canProbe {
		res = scim.Probe(ctx, r.opts.SCIMClient, scim.Target{BaseURL: in.SCIM.BaseURL, Version: in.SCIM.Version, Credentials: creds})
	}
	var warnings []string
	if w := scim.AddressWarning(in.SCIM.BaseURL); w != "" {
		warnings = append(warnings, w)
	}
	var failures []LogLine
	var logErr error
	if ir.app.ID != "" {
		failures, logErr = r.provisioningFailures(ctx, ir.app.ID)
	}
	if logErr != nil {
		warnings = append(warnings, "could not read the System Log: "+logErr.Error())
	}
	ev := Event{Integration: in.Name, Step: StepTest, AppID: ir.app.ID, Warnings: warnings, SystemLog: failures}
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
		ev.Hint = systemlog.Hint(okta.LogEvent{EventType: failures[0].EventType, Result: failures[0].Outcome, Reason: failures[0].Reason})
		ir.code = exitcode.Worst(ir.code, exitcode.ConnectionFailed)
	case !canProbe:
		// Not a pass: nothing here could send what Okta sends.
		ev.Outcome = Skipped
		ev.Detail = "cannot send Okta's Test API Credentials request: with OAuth 2, Okta obtains its own tokens from the SCIM server's authorization server"
		if ir.app.ID != "" && logErr == nil {
			ev.Detail += "; the System Log shows no provisioning failures on the app since " + r.start.Format(time.TimeOnly)
		}
	default:
		ev.Outcome = Done
		ev.Detail = fmt.Sprintf("verified: GET %s → 200 SCIM ListResponse", res.URL)
		if ir.app.ID != "" && logErr == nil {
			ev.Detail += "; no provisioning failures in the System Log since " + r.start.Format(time.TimeOnly)
		}
	}
	r.report(ev)
}

// provisioningFailures returns failure events on the app since the run began that no
// later success of the same event type superseded.
func (r *runner) provisioningFailures(ctx context.Context, appID string) ([]LogLine, error) {
	events, err := r.opts.Client.Logs(ctx, oktaLogQuery(appID, r.start))
	if err != nil {
		return nil, err
	}
	succeeded := map[string]bool{}
	var out []LogLine
	for _, e := range events { // newest first
		switch {
		case !e.Failed():
			succeeded[e.EventType] = true
		case !succeeded[e.EventType] && systemlog.IsProvisioning(e.EventType):
			out = append(out, LogLine{Time: e.Published, EventType: e.EventType, Outcome: e.Result, Reason: e.Reason, Actor: e.Actor})
		}
	}
	return out, nil
}

func statusText(status int) string {
	if status == 0 {
		return "no answer"
	}
	return fmt.Sprint(status)
}
