package apply

import (
	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// runner holds one run's shared state.
type runner struct {
	opts  Options
	start time.Time

	mu     sync.Mutex
	events []Event
	// tests are the connection tests waiting for the run's System Log read.
	tests []*connectionTest
	// apps caches the org's apps per catalog name, listed once per run; groups and
	// groupNames cache group lookups by name and by id.
	apps       onceCache[[]okta.App]
	groups     onceCache[groupLookup]
	groupNames onceCache[string]
	// groupApps caches, per group id, the apps it is assigned to.
	groupApps onceCache[map[string]bool]
	// planned are, per integration, the observation and plan the session's plan
	// made: apply carries them out (nil until planned).
	planned map[string]planned
}

// integrationRun is the state of one integration as its steps go.
type integrationRun struct {
	in    config.Integration
	app   okta.App
	creds credentials
	code  int // worst exit code so far
	// obs and steps are the plan's observation and decision for the integration.
	obs   plan.Observed
	steps plan.Steps
	// provisioningOn is known after the provisioning step; turnedOn: this run turned
	// it on, so the steps the plan deferred are decided now (from a read of what
	// they need). created: the app was created in this run.
	provisioningOn, turnedOn, created bool
	// features are the app's provisioning features when the manual step's check read
	// them (nil: not read in this run).
	features map[string]*sdk.ApplicationFeature
	// evidence is what the org shows of the Integration actions, after the actions step.
	evidence plan.ActionEvidence
	// pushGroupsChecked: an admin's verified step in this run checked a custom app's
	// Push Groups (a documented control), so Okta refusing a push is not that it is off.
	pushGroupsChecked bool
}

// planned is one integration's observation and plan, as Session.Plan made them.
type planned struct {
	obs  plan.Observed
	plan plan.Integration
	err  error // the org could not be read for it
}

// Session is one command's work against the org. Reads are cached for its length,
// so an apply right after its plan does not list the same apps again.
type Session struct{ r *runner }

// NewSession starts a session.
func NewSession(opts Options) *Session { return &Session{r: newRunner(opts)} }

// Plan reads the org and says what Apply would do, writing nothing.
func (s *Session) Plan(ctx context.Context) (plan.Plan, error) { return s.r.plan(ctx) }

// Run applies every integration in order and verifies each write.
func Run(ctx context.Context, opts Options) Result { return NewSession(opts).Apply(ctx) }

// Apply applies every integration in order and verifies each write; with Prune it
// then deletes the stamped apps the file no longer names.
func (s *Session) Apply(ctx context.Context) Result {
	r := s.r
	ins := r.opts.Integrations
	if len(ins) > 0 {
		if _, ok := r.plannedFor(ins[0].Name); !ok {
			// Not planned yet: plan now (an integration the org could not be read for
			// fails on its own below).
			_, _ = r.plan(ctx)
		}
	}
	codes := make([]int, len(ins))
	notStarted := r.each(ctx, len(ins), func(i int) {
		codes[i] = r.applyOne(ctx, ins[i])
		if r.opts.Finished != nil {
			r.opts.Finished(ins[i].Name, codes[i])
		}
	})
	r.foldTests(ctx, codes)
	if r.opts.Prune && ctx.Err() == nil {
		codes = append(codes, r.pruneApps(ctx))
	}
	return r.result(codes, notStarted)
}

// foldTests finishes the run's connection tests and adds their exit codes.
func (r *runner) foldTests(ctx context.Context, codes []int) {
	tested := r.finishTests(ctx)
	for i, in := range r.opts.Integrations[:len(codes)] {
		if c, ok := tested[in.Name]; ok {
			codes[i] = exitcode.Worst(codes[i], c)
		}
	}
}

// result ends a run over the integrations: the ones never started count as
// interrupted and are named.
func (r *runner) result(codes, notStarted []int) Result {
	res := Result{}
	for _, i := range notStarted {
		codes[i] = exitcode.Interrupted
		res.NotStarted = append(res.NotStarted, r.opts.Integrations[i].Name)
	}
	res.Events, res.Code = r.events, exitcode.Worst(codes...)
	return res
}

// Test runs only the connection test for every integration.
func Test(ctx context.Context, opts Options) Result { return NewSession(opts).Test(ctx) }

// Test runs only the connection test for every integration.
func (s *Session) Test(ctx context.Context) Result {
	r := s.r
	ins := r.opts.Integrations
	codes := make([]int, len(ins))
	notStarted := r.each(ctx, len(ins), func(i int) {
		ir := &integrationRun{in: ins[i]}
		if r.resolveCredentials(ir) && r.findExisting(ctx, ir) {
			r.test(ctx, ir)
		}
		codes[i] = ir.code
	})
	r.foldTests(ctx, codes)
	return r.result(codes, notStarted)
}

func newRunner(opts Options) *runner {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WaitTimeout == 0 {
		opts.WaitTimeout = 15 * time.Minute
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 5 * time.Second
	}
	if opts.PushWait == 0 {
		opts.PushWait = 2 * time.Minute
	}
	if opts.SCIMClient == nil {
		opts.SCIMClient = &http.Client{Timeout: 15 * time.Second}
	}
	if opts.Parallelism <= 0 {
		opts.Parallelism = DefaultParallelism
	}
	if opts.AllIntegrations == nil {
		opts.AllIntegrations = opts.Integrations
	}
	// System Log timestamps have millisecond precision and the org's clock may lag;
	// look a little before the run began.
	return &runner{opts: opts, start: opts.Now().Add(-2 * time.Second)}
}

func (r *runner) setPlanned(name string, p planned) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.planned == nil {
		r.planned = map[string]planned{}
	}
	r.planned[name] = p
}

// plannedFor is the integration's plan; ok is false when the session has not planned.
func (r *runner) plannedFor(name string) (planned, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.planned[name]
	return p, ok
}

func (r *runner) report(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	if r.opts.Report != nil {
		r.opts.Report(e)
	}
}

// fail reports a failed step and records the exit code the error asks for.
func (r *runner) fail(ir *integrationRun, step string, err error, hint string) {
	ir.code = exitcode.Worst(ir.code, exitcode.Of(err))
	if errors.Is(err, context.Canceled) {
		r.interrupted(ir, step)
		return
	}
	if hint == "" {
		var ae *okta.APIError
		if errors.As(err, &ae) {
			hint = ae.Hint()
		}
	}
	r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Failed, Detail: err.Error(), AppID: ir.app.ID, Hint: hint})
}

// interrupted reports the step Ctrl-C stopped (not as a failure, and without the
// context's "canceled").
func (r *runner) interrupted(ir *integrationRun, step string) {
	ir.code = exitcode.Worst(ir.code, exitcode.Interrupted)
	r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Interrupted, AppID: ir.app.ID, Detail: "interrupted; run apply again to resume"})
}

func (r *runner) notStarted(ir *integrationRun, step string) {
	r.report(Event{Integration: ir.in.Name, Step: step, Outcome: NotStarted, AppID: ir.app.ID, Detail: "interrupted before this step"})
}

func (r *runner) skip(ir *integrationRun, step, why string) {
	r.report(Event{Integration: ir.in.Name, Step: step, Outcome: Skipped, Detail: why, AppID: ir.app.ID})
}

func (r *runner) applyOne(ctx context.Context, in config.Integration) int {
	ir := &integrationRun{in: in}
	p, ok := r.plannedFor(in.Name)
	switch {
	case !ok && ctx.Err() != nil:
		r.notStarted(ir, StepApp)
		return exitcode.Interrupted
	case !ok:
		r.fail(ir, StepApp, errors.New("the org could not be read for it"), "")
		return ir.code
	case p.err != nil:
		r.fail(ir, StepApp, p.err, "")
		return ir.code
	case p.plan.Action == plan.Error:
		r.fail(ir, StepApp, p.obs.MatchErr, "")
		return ir.code
	case len(p.plan.Problems) > 0:
		r.fail(ir, StepApp, fmt.Errorf("not started, nothing written: the plan says it would fail: %s", strings.Join(p.plan.Problems, "; ")), "fix the file or the org, then run plan again")
		return ir.code
	}
	ir.obs, ir.steps = p.obs, p.plan.Steps
	if !r.resolveCredentials(ir) {
		return ir.code
	}
	r.runPipes(ctx, ir, r.integrationPipes())
	return ir.code
}

// appsNamed lists (once per run) the apps of one catalog name; "" lists every app
// (a custom SAML app has a name Okta made up, so only its stamp finds it).
func (r *runner) appsNamed(ctx context.Context, name string) ([]okta.App, error) {
	return r.apps.get(name, func() ([]okta.App, error) {
		if name == "" {
			return r.opts.Client.ListApps(ctx)
		}
		return r.opts.Client.ListAppsByName(ctx, name)
	})
}

// notManaged: no app carries the integration's stamp yet.
type notManaged struct{ name string }

func (e notManaged) Error() string {
	return fmt.Sprintf("no app in the org is managed as %q yet", e.name)
}

// managedApp is the app carrying the integration's stamp (an error when there is none
// yet, or when more than one app could be it).
func (r *runner) managedApp(ctx context.Context, in config.Integration) (okta.App, error) {
	want := plan.DesiredApp(in)
	apps, err := r.appsNamed(ctx, want.Name)
	if err != nil {
		return okta.App{}, err
	}
	m, err := plan.FindManaged(in.Name, want.Label, want.Name, apps)
	switch {
	case err != nil:
		return okta.App{}, err
	case m.App == nil || m.Adopt:
		return okta.App{}, notManaged{in.Name}
	}
	return *m.App, nil
}

// ManagedApp is the app carrying the integration's stamp (an error when there is none
// yet, or when more than one app could be it).
func (s *Session) ManagedApp(ctx context.Context, in config.Integration) (okta.App, error) {
	app, err := s.r.managedApp(ctx, in)
	if errors.As(err, new(notManaged)) {
		return app, fmt.Errorf("%w; run 'oktascim apply' first", err)
	}
	return app, err
}

// findExisting locates the integration's app without changing anything.
func (r *runner) findExisting(ctx context.Context, ir *integrationRun) bool {
	app, err := r.managedApp(ctx, ir.in)
	switch {
	case errors.As(err, new(notManaged)):
		r.fail(ir, StepApp, err, "run 'oktascim apply' first")
		return false
	case err != nil:
		r.fail(ir, StepApp, err, "")
		return false
	}
	ir.app = app
	return true
}

func describeApp(a okta.App) string {
	status := "active"
	if a.Status != "ACTIVE" {
		status = lower(a.Status)
	}
	return fmt.Sprintf("%s %q (%s, %s, %s)", a.ID, a.Label, a.Name, a.SignOnMode, status)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
