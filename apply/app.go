package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// ensureApp finds, adopts or creates the integration's app and converges its label,
// sign-on, visibility, stamp and status; each write is verified (from its answer, or
// the app read again after an activation).
func (r *runner) ensureApp(ctx context.Context, ir *integrationRun) bool {
	want := plan.DesiredApp(ir.in)
	m, ok := r.match(ctx, ir, want)
	if !ok {
		return false
	}
	c := r.opts.Client
	if m.App == nil {
		created, err := r.createApp(ctx, want, ir.in.Name)
		if err != nil {
			r.fail(ir, StepApp, err, "")
			return false
		}
		ir.app, ir.created = created, true
		got, ok := r.verifyApp(ctx, ir, want, &created) // Okta answers the create with the app
		if !ok {
			return false
		}
		r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Done, AppID: got.ID, Detail: "created " + describeApp(got)})
		return true
	}
	ir.app = *m.App
	changes := plan.AppChanges(want, ir.app)
	verb := "updated"
	if m.Adopt {
		verb = "adopted"
	}
	var answer *okta.App // the PUT's answer verifies it, unless an activation follows
	if len(changes) > 0 {
		// Keep the admin's own notes next to the stamp.
		want.AdminNote = okta.WithStamp(ir.app.AdminNote, ir.in.Name)
		updated, err := c.UpdateApp(ctx, ir.app, want)
		if err != nil {
			r.fail(ir, StepApp, err, "")
			return false
		}
		answer = &updated
	}
	if ir.app.Status != "ACTIVE" {
		answer = nil // the activation answers nothing: read the app again
		if err := c.ActivateApp(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepApp, err, "")
			return false
		}
		changes = append(changes, plan.FieldChange{Field: "status", Old: ir.app.Status, New: "ACTIVE"})
	}
	if len(changes) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Unchanged, AppID: ir.app.ID, Detail: describeApp(ir.app)})
		return true
	}
	got, ok := r.verifyApp(ctx, ir, want, answer)
	if !ok {
		return false
	}
	r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Done, AppID: got.ID, Changes: changes,
		Detail: fmt.Sprintf("%s %s: %s", verb, describeApp(got), plan.Summarize(changes))})
	return true
}

// verifyApp checks that Okta kept what was written: in the write's answer when Okta
// returned the app (answer), else in the app read again.
func (r *runner) verifyApp(ctx context.Context, ir *integrationRun, want okta.AppSpec, answer *okta.App) (okta.App, bool) {
	var got okta.App
	if answer != nil && answer.ID == ir.app.ID {
		got = *answer
	} else {
		var err error
		if got, err = r.opts.Client.GetApp(ctx, ir.app.ID); err != nil {
			r.fail(ir, StepApp, fmt.Errorf("re-reading app %s to verify it: %w", ir.app.ID, err), "")
			return got, false
		}
	}
	ir.app = got
	if left := plan.AppChanges(want, got); len(left) > 0 {
		r.fail(ir, StepApp, fmt.Errorf("Okta did not keep what was written to app %s: %s", got.ID, plan.Summarize(left)),
			"the template may not support these settings; set them in the Admin Console: "+r.opts.Client.GeneralTabURL(got.Name, got.ID))
		return got, false
	}
	if got.Status != "ACTIVE" {
		r.fail(ir, StepApp, fmt.Errorf("app %s is %s after activation", got.ID, got.Status), "")
		return got, false
	}
	return got, true
}

// createApp creates the app. A create is never repeated blindly: when Okta's answer
// is lost (a reset, a timeout, a 5xx), the app may exist all the same, so the tool
// lists the template's apps again and looks for the stamp before creating again.
func (r *runner) createApp(ctx context.Context, want okta.AppSpec, name string) (okta.App, error) {
	c := r.opts.Client
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		created, err := c.CreateApp(ctx, want)
		if err == nil {
			return created, nil
		}
		if !uncertain(err) || ctx.Err() != nil {
			return okta.App{}, err
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return okta.App{}, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 500 * time.Millisecond):
		}
		apps, err := c.ListAppsByName(ctx, want.Name)
		if err != nil {
			return okta.App{}, fmt.Errorf("%w; then listing %s apps to look for it: %v", lastErr, want.Name, err)
		}
		for _, a := range apps {
			if n, ok := okta.StampedName(a.AdminNote); ok && n == name {
				return a, nil
			}
		}
	}
	return okta.App{}, fmt.Errorf("%w (tried 3 times; no app with the stamp [oktascim:%s] exists)", lastErr, name)
}

// uncertain reports an error after which a create may or may not have happened: no
// answer, or a server error. A 4xx answer means Okta refused it.
func uncertain(err error) bool {
	var ae *okta.APIError
	if errors.As(err, &ae) && ae.Status != 0 {
		return ae.Status >= 500
	}
	return !errors.Is(err, context.Canceled)
}
