package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// runApp carries out the plan's app step: create, update (then activate), activate,
// or nothing. Each write is verified by the step, from the write's answer or, after
// an activation (which answers nothing), the app read again.
func (r *runner) runApp(ctx context.Context, ir *integrationRun) {
	st, c := ir.steps.App, r.opts.Client
	ir.app = st.Current
	if st.Op == plan.AppUnchanged {
		r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Unchanged, AppID: ir.app.ID, Detail: describeApp(ir.app)})
		return
	}
	var got okta.App
	var err error
	switch st.Op {
	case plan.AppCreate:
		if got, err = r.createApp(ctx, st.Spec, ir.in.Name); err == nil {
			ir.app, ir.created = got, true
		}
	case plan.AppUpdate:
		got, err = c.UpdateApp(ctx, ir.app, st.Spec)
	}
	if err == nil && st.Activates() {
		if err = c.ActivateApp(ctx, ir.app.ID); err == nil {
			if got, err = c.GetApp(ctx, ir.app.ID); err != nil {
				err = fmt.Errorf("re-reading app %s to verify it: %w", ir.app.ID, err)
			}
		}
	}
	if err != nil {
		r.fail(ir, StepApp, err, "")
		return
	}
	ir.app = got
	if err := st.Verify(got); err != nil {
		hint := ""
		if errors.As(err, new(*plan.NotKeptError)) {
			hint = "the template may not support these settings; set them in the Admin Console: " + c.GeneralTabURL(got.Name, got.ID)
		}
		r.fail(ir, StepApp, err, hint)
		return
	}
	if st.Op == plan.AppCreate {
		r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Done, AppID: got.ID, Detail: "created " + describeApp(got)})
		return
	}
	verb := "updated"
	if st.Adopt {
		verb = "adopted"
	}
	r.report(Event{Integration: ir.in.Name, Step: StepApp, Outcome: Done, AppID: got.ID, Changes: st.Changes,
		Detail: fmt.Sprintf("%s %s: %s", verb, describeApp(got), plan.Summarize(st.Changes))})
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
