package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/systemlog"
)

// manualStep is the one tail of every step the API cannot do: it reports the guided
// step (ev, with its Manual), lets a stand-in do it if there is one (its own failure
// is not the verdict: the verification is), and then either leaves it pending (exit
// 5) or, with --wait or a stand-in, polls check until the org shows it done. It
// reports whether the step was verified.
func (r *runner) manualStep(ctx context.Context, ir *integrationRun, ev Event, check func() (bool, error), doneDetail string) bool {
	ev.Integration, ev.Outcome, ev.AppID = ir.in.Name, Manual, ir.app.ID
	r.report(ev)
	since := r.opts.Now()
	if r.opts.Manual != nil {
		_ = r.opts.Manual(ctx, *ev.Manual)
	}
	if !r.opts.Wait && r.opts.Manual == nil {
		ir.code = exitcode.Worst(ir.code, exitcode.ManualPending)
		return false
	}
	return r.waitFor(ctx, ir, ev.Step, since, check, doneDetail)
}

// waitFor polls check until it reports true, the System Log shows that Okta refused the
// attempt, or the wait times out; it reports whether check passed. A stand-in does the
// step once, so its refusal is the verdict. A person at the console (--wait) can fix a
// typo and save again: their refusal is reported once and the wait goes on; if it is
// still the newest word when time runs out, the step failed (exit 6), not pending.
func (r *runner) waitFor(ctx context.Context, ir *integrationRun, step string, since time.Time, check func() (bool, error), doneDetail string) bool {
	deadline := r.opts.Now().Add(r.opts.WaitTimeout)
	lastProgress := time.Time{}
	var refused *Event
	var reported string
	for {
		ok, err := check()
		if err != nil {
			r.fail(ir, step, err, "")
			return false
		}
		if ok {
			r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Done, AppID: ir.app.ID, Detail: doneDetail})
			return true
		}
		failure, lines, err := r.configFailureSince(ctx, ir.app.ID, since)
		if err != nil {
			r.fail(ir, step, err, "")
			return false
		}
		refused = nil
		if failure != nil {
			ev := Event{Integration: ir.in.Name, Step: step, Outcome: Failed, AppID: ir.app.ID, SystemLog: lines,
				Detail: fmt.Sprintf("Okta refused the provisioning settings: %s (System Log %s at %s)", orUnknown(failure.Reason), failure.EventType, failure.Published.Format(time.RFC3339)),
				Hint:   systemlog.Hint(*failure)}
			if r.opts.Manual != nil {
				ir.code = exitcode.Worst(ir.code, exitcode.ConnectionFailed)
				r.report(ev)
				return false
			}
			refused = &ev
			if key := failure.UUID + failure.Published.String(); key != reported {
				reported = key
				r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Waiting, AppID: ir.app.ID, SystemLog: lines, Hint: ev.Hint,
					Detail: ev.Detail + "; correct it in the Admin Console and save again (still waiting)"})
			}
		}
		now := r.opts.Now()
		left := deadline.Sub(now)
		if left <= 0 {
			if refused != nil {
				ir.code = exitcode.Worst(ir.code, exitcode.ConnectionFailed)
				r.report(*refused)
				return false
			}
			ir.code = exitcode.Worst(ir.code, exitcode.ManualPending)
			r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Manual, AppID: ir.app.ID,
				Detail: fmt.Sprintf("still not done after waiting %s; do the step above, then run apply again", r.opts.WaitTimeout)})
			return false
		}
		if lastProgress.IsZero() || now.Sub(lastProgress) >= 10*time.Second {
			lastProgress = now
			r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Waiting, AppID: ir.app.ID,
				Detail: fmt.Sprintf("waiting for the admin to finish the step above (%s left, checking every %s)", left.Round(time.Second), r.opts.PollInterval)})
		}
		select {
		case <-ctx.Done():
			r.interrupted(ir, step)
			return false
		case <-time.After(r.opts.PollInterval):
		}
	}
}

// configFailureSince returns the newest application.configuration.update failure on
// the app since t, unless a later success superseded it.
func (r *runner) configFailureSince(ctx context.Context, appID string, since time.Time) (*okta.LogEvent, []LogLine, error) {
	events, err := r.opts.Client.Logs(ctx, okta.LogQuery{Since: since.Add(-2 * time.Second), TargetID: appID, EventType: systemlog.ConfigurationUpdate, Limit: 20, MaxPages: 1})
	if err != nil {
		return nil, nil, err
	}
	// Newest first: the first event decides.
	for _, e := range events {
		if e.Failed() {
			e := e
			return &e, logLines(events), nil
		}
		return nil, nil, nil
	}
	return nil, nil, nil
}

func logLines(events []okta.LogEvent) []LogLine {
	out := make([]LogLine, 0, len(events))
	for _, e := range events {
		out = append(out, LogLineOf(e))
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "no reason given"
	}
	return s
}
