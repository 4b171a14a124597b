// Package roundtrip proves that Okta provisions to an integration's SCIM server, end to
// end: it creates a disposable Okta user, assigns it to the app, and watches the SCIM
// server (with the file's credentials, as the connection test does) for the user to
// be created, updated and deactivated; pushes a disposable group where the file
// pushes groups; and cleans up in Okta whatever happens. Each stage reports one line
// with its outcome and time; a failure is explained from the SCIM server's answer and
// the System Log's provisioning events for the app.
package roundtrip

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
)

// ProbePrefix starts every disposable user's login and group's name; a later run
// finds leftovers by it.
const ProbePrefix = "oktascim-probe-"

// The stages, in order.
const (
	StageLeftovers  = "leftovers" // before the first stage: earlier runs' probes removed
	StageAssign     = "assign"
	StageCreate     = "create"
	StageUpdate     = "update"
	StageDeactivate = "deactivate"
	StageGroupPush  = "group-push"
	StageCleanup    = "cleanup"
)

// Options configure a round trip.
type Options struct {
	Client       *okta.Client
	SCIMClient   *http.Client // nil → 15 s timeout
	Integrations []config.Integration
	// Domain is the probe users' email domain (oktascim-probe-<random>@Domain).
	Domain string
	// Timeout bounds each wait for Okta to provision; 0 → DefaultTimeout.
	Timeout time.Duration
	// CleanupTimeout bounds the cleanup, which runs even after Ctrl-C; 0 → 30 s.
	CleanupTimeout time.Duration
	// CleanupSCIM deletes the probe user on the SCIM server too, where it allows DELETE.
	CleanupSCIM bool
	// LeftoverAge: probe users older than this are an earlier run's leftovers and are
	// removed; younger ones may be another run's, in progress. 0 → 2 × Timeout + cleanup.
	LeftoverAge time.Duration
	// PollInterval is the first wait between two looks; it grows to 5 s. 0 → 250 ms.
	PollInterval time.Duration
	Report       func(Stage)
	Now          func() time.Time
}

// DefaultTimeout is --round-trip-timeout's default.
const DefaultTimeout = 3 * time.Minute

// Stage is one line of the report.
type Stage struct {
	Integration string        `json:"integration"`
	Number      int           `json:"stage"` // 1…6; 0 for leftovers
	Name        string        `json:"name"`
	Outcome     apply.Outcome `json:"outcome"` // done, skipped or failed
	Detail      string        `json:"detail"`
	Seconds     float64       `json:"seconds"`
	AppID       string        `json:"appId,omitempty"`
	Probe       string        `json:"probe,omitempty"` // the probe user's login
	// SCIM is the SCIM server's last answer to the round trip's own request.
	SCIM      string          `json:"scim,omitempty"`
	SystemLog []apply.LogLine `json:"systemLog,omitempty"`
	Hint      string          `json:"hint,omitempty"`
}

// Result is the whole run.
type Result struct {
	Stages []Stage `json:"stages"`
	Code   int     `json:"exitCode"`
}

// Cleaned reports whether every cleanup that ran removed all it had to.
func (r Result) Cleaned() bool {
	for _, s := range r.Stages {
		if s.Name == StageCleanup && s.Outcome != apply.Done {
			return false
		}
	}
	return true
}

// Run runs the round trip for each integration, in order.
func Run(ctx context.Context, opts Options) Result {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.CleanupTimeout <= 0 {
		opts.CleanupTimeout = 30 * time.Second
	}
	if opts.LeftoverAge <= 0 {
		opts.LeftoverAge = 2*opts.Timeout + opts.CleanupTimeout
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 250 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SCIMClient == nil {
		opts.SCIMClient = &http.Client{Timeout: 15 * time.Second}
	}
	r := &runner{opts: opts, session: apply.NewSession(apply.Options{Client: opts.Client, Integrations: opts.Integrations})}
	codes := []int{}
	for i, in := range opts.Integrations {
		if ctx.Err() != nil {
			codes = append(codes, exitcode.Interrupted)
			break
		}
		t := &trip{runner: r, in: in}
		if i == 0 {
			t.removeLeftovers(ctx)
		}
		t.run(ctx)
		codes = append(codes, t.code)
	}
	return Result{Stages: r.stages, Code: exitcode.Worst(codes...)}
}

type runner struct {
	opts    Options
	session *apply.Session
	stages  []Stage
}

func (r *runner) report(s Stage) {
	r.stages = append(r.stages, s)
	if r.opts.Report != nil {
		r.opts.Report(s)
	}
}

// codeOf is the exit code a failed Okta or SCIM call asks for.
func codeOf(ctx context.Context, err error) int {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitcode.Interrupted
	case okta.IsAuth(err):
		return exitcode.AuthRefused
	}
	return exitcode.Failure
}

// random is n lowercase letters and digits.
func random(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(chars))))
		b[i] = chars[k.Int64()]
	}
	return string(b)
}
