package apply

import (
	"context"
	"fmt"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// pruneApps deletes the stamped apps the file no longer names (apply --prune).
func (r *runner) pruneApps(ctx context.Context) int {
	orphans, err := r.orphans(ctx)
	if err != nil {
		ir := &integrationRun{in: configNamed("(prune)")}
		r.fail(ir, StepDelete, err, "")
		return ir.code
	}
	return r.deleteApps(ctx, orphans, "no longer in the file (--prune)")
}

// Targets are the apps the selected integrations manage: only apps carrying their
// stamp, never an unstamped app that merely matches by label.
func (s *Session) Targets(ctx context.Context) ([]plan.AppRef, error) {
	r := s.r
	out := []plan.AppRef{}
	for _, in := range r.opts.Integrations {
		want := plan.DesiredApp(in)
		apps, err := r.appsNamed(ctx, want.Name)
		if err != nil {
			return nil, fmt.Errorf("integration %s: %w", in.Name, err)
		}
		for _, a := range apps {
			if stamp, ok := okta.StampedName(a.AdminNote); ok && stamp == in.Name {
				out = append(out, plan.AppRef{ID: a.ID, Label: a.Label, AppName: a.Name, Integration: in.Name, Status: a.Status})
			}
		}
	}
	return out, nil
}

// Destroy deactivates and deletes exactly the apps given (as Targets listed them).
func (s *Session) Destroy(ctx context.Context, targets []plan.AppRef) Result {
	code := s.r.deleteApps(ctx, targets, "")
	return Result{Events: s.r.events, Code: code}
}

// deleteApps deactivates and deletes apps, each re-read first so an app that lost
// its stamp since it was listed is left alone, and re-read after to verify it is gone.
func (r *runner) deleteApps(ctx context.Context, apps []plan.AppRef, why string) int {
	codes := make([]int, len(apps))
	notStarted := r.each(ctx, len(apps), func(i int) { codes[i] = r.deleteApp(ctx, apps[i], why) })
	for _, i := range notStarted {
		codes[i] = exitcode.Interrupted
	}
	return exitcode.Worst(codes...)
}

func (r *runner) deleteApp(ctx context.Context, ref plan.AppRef, why string) int {
	c := r.opts.Client
	ir := &integrationRun{in: configNamed(ref.Integration), app: okta.App{ID: ref.ID}}
	app, err := c.GetApp(ctx, ref.ID)
	if okta.IsNotFound(err) {
		r.report(Event{Integration: ref.Integration, Step: StepDelete, Outcome: Unchanged, AppID: ref.ID, Detail: "already gone"})
		return exitcode.OK
	}
	if err != nil {
		r.fail(ir, StepDelete, err, "")
		return ir.code
	}
	if stamp, ok := okta.StampedName(app.AdminNote); !ok || stamp != ref.Integration {
		r.fail(ir, StepDelete, fmt.Errorf("app %s no longer carries the stamp [oktascim:%s]; left untouched", ref.ID, ref.Integration), "")
		return ir.code
	}
	if app.Status == "ACTIVE" {
		if err := c.DeactivateApp(ctx, app.ID); err != nil {
			r.fail(ir, StepDelete, err, "")
			return ir.code
		}
	}
	if err := c.DeleteApp(ctx, app.ID); err != nil {
		r.fail(ir, StepDelete, err, "")
		return ir.code
	}
	if _, err := c.GetApp(ctx, app.ID); !okta.IsNotFound(err) {
		r.fail(ir, StepDelete, fmt.Errorf("app %s is still readable after deleting it", app.ID), "")
		return ir.code
	}
	detail := "deactivated and deleted " + describeApp(app) + "; verified gone"
	if why != "" {
		detail += " — " + why
	}
	r.report(Event{Integration: ref.Integration, Step: StepDelete, Outcome: Done, AppID: app.ID, Detail: detail})
	return exitcode.OK
}

// configNamed stands for an integration known only by name (an app being deleted).
func configNamed(name string) config.Integration { return config.Integration{Name: name} }
