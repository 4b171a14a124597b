package roundtrip

import (
	"context"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/systemlog"
	"github.com/oktascim/oktascim/scim"
)

// waited is how a wait ended.
type waited struct {
	ok       bool
	code     int    // the exit code a failed wait asks for
	detail   string // why it failed
	answer   scim.Answer
	failures []okta.LogEvent // the System Log's provisioning failures, newest first
}

// wait looks at the SCIM server until check says yes, the System Log shows Okta
// failed (an event of eventType with outcome FAILURE about the probe), Timeout
// passes or ctx ends. The pause between looks grows from PollInterval to 5 s.
func (t *trip) wait(ctx context.Context, began time.Time, eventType string, check func(context.Context) (bool, scim.Answer, error)) waited {
	deadline := began.Add(t.opts.Timeout)
	pause := t.opts.PollInterval
	for {
		ok, ans, err := check(ctx)
		switch {
		case ok:
			return waited{ok: true, answer: ans}
		case ctx.Err() != nil:
			return waited{code: exitcode.Interrupted, detail: "interrupted while waiting", answer: ans}
		case err != nil && ans.Status == 0 && ans.Detail == "":
			// Not an answer from the server (bad credentials here, say): no point waiting.
			return waited{code: exitcode.Failure, detail: err.Error(), answer: ans}
		}
		// The System Log's rate limit is low (and its events come late): read it at most
		// once a second while waiting.
		if now := t.opts.Now(); now.Sub(t.logsRead) >= time.Second {
			t.logsRead = now
			if failures := t.failures(ctx, eventType); len(failures) > 0 {
				return waited{code: exitcode.ConnectionFailed, detail: "Okta reports it failed", answer: ans, failures: failures}
			}
		}
		if !t.opts.Now().Add(pause).Before(deadline) {
			w := waited{code: exitcode.ConnectionFailed, detail: fmt.Sprintf("not seen within %s", t.opts.Timeout), answer: ans}
			w.failures = t.failures(ctx, "")
			return w
		}
		select {
		case <-ctx.Done():
			return waited{code: exitcode.Interrupted, detail: "interrupted while waiting", answer: ans}
		case <-time.After(pause):
		}
		if pause = pause * 3 / 2; pause > 5*time.Second {
			pause = 5 * time.Second
		}
	}
}

// failures are the app's failed provisioning events since the round trip began: of
// eventType about the probe user or group, or ("" ) any provisioning failure.
func (t *trip) failures(ctx context.Context, eventType string) []okta.LogEvent {
	q := okta.LogQuery{Since: t.start, TargetID: t.app.ID, Result: "FAILURE", MaxPages: 2}
	if eventType != "" {
		q.EventType = eventType
	}
	events, err := t.opts.Client.Logs(ctx, q)
	if err != nil {
		return nil
	}
	var out []okta.LogEvent
	for _, e := range events {
		if !e.Failed() || !systemlog.IsProvisioning(e.EventType) {
			continue
		}
		if eventType != "" && !t.about(e) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// about reports whether an event names the probe user or group (or names neither
// user nor group at all, as an app-wide failure does).
func (t *trip) about(e okta.LogEvent) bool {
	if len(e.TargetIDs) <= 1 {
		return true
	}
	for _, id := range e.TargetIDs {
		if id == t.user.ID || (t.group.ID != "" && id == t.group.ID) {
			return true
		}
	}
	return false
}

// failWait reports a failed wait, explained from the SCIM server's answer and the
// System Log, with a hint.
func (t *trip) failWait(n int, name string, began time.Time, w waited, what string) {
	s := t.stage(n, name, began, apply.Failed, what+": "+w.detail)
	if w.answer.Request != "" {
		s.SCIM = w.answer.String()
		s.Detail = what + " (its answer to " + s.SCIM + "): " + w.detail
	}
	for _, e := range w.failures {
		s.SystemLog = append(s.SystemLog, apply.LogLineOf(e))
	}
	if len(w.failures) > 0 {
		e := w.failures[0]
		reason := e.Reason
		if reason == "" {
			reason = "(no reason given)"
		}
		s.Detail += "; the System Log: " + e.EventType + " " + e.Result + ": " + reason
		s.Hint = systemlog.Hint(e)
	}
	if s.Hint == "" && w.code == exitcode.ConnectionFailed {
		s.Hint = map[string]string{
			StageCreate:     "Okta did not create the user and logged no reason: check that the app's provisioning is on ('oktascim test'), that the user is assigned, and the SCIM server's own logs for POST /Users",
			StageUpdate:     "Okta did not push the change and logged no reason: check that the attribute is mapped to the app (Provisioning > To App > attribute mappings) and the SCIM server's logs for PUT or PATCH /Users/{id}",
			StageDeactivate: "Okta did not deactivate the user and logged no reason: check the SCIM server's logs for PATCH or PUT /Users/{id} with active=false",
			StageGroupPush:  "Okta did not push the group and logged no reason: check the app's Push Groups tab and the SCIM server's logs for POST /Groups",
		}[name]
	}
	t.fail(s, w.code)
}
