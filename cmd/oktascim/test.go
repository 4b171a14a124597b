package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/roundtrip"
)

type testOptions struct {
	file fileOptions
	sim  simOptions
	// The provisioning round trip.
	roundTrip   bool
	timeout     time.Duration
	domain      string
	cleanupSCIM bool
}

func newTestCmd(f *factory) *cobra.Command {
	o := &testOptions{}
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Test each integration's SCIM connection as Okta's \"Test API Credentials\" does, and read the System Log; --round-trip proves Okta provisions",
		Example: `  oktascim test -f oktascim.yaml
  oktascim test -f oktascim.yaml --name acme -o json
  oktascim test -f oktascim.yaml --name acme --round-trip`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.timeout < time.Second {
				return usageError{fmt.Errorf("--round-trip-timeout must be at least 1s, not %s", o.timeout)}
			}
			t, err := f.open(cmd.Context(), o.file, o.sim, scimSecretsMasked)
			if err != nil {
				return err
			}
			defer t.close()
			p := f.stepPrinter(names(t.selected))
			res := apply.Test(cmd.Context(), t.options(p.Step))
			if !o.roundTrip {
				if err := p.summary("test", res, len(t.selected), nil); err != nil {
					return err
				}
				return silent(res.Code)
			}
			var trip *roundtrip.Result
			if res.Code == exitcode.OK {
				r := roundtrip.Run(cmd.Context(), roundtrip.Options{Client: t.client, Integrations: t.selected, Domain: o.domain,
					Timeout: o.timeout, CleanupSCIM: o.cleanupSCIM, Report: func(s roundtrip.Stage) { p.Step(stageEvent(s)) }})
				trip = &r
				res.Code = exitcode.Worst(res.Code, r.Code)
			} else if !p.json {
				fmt.Fprintln(p.w, "round trip not run: the connection test did not pass")
			}
			return p.roundTripSummary(res, trip, len(t.selected))
		},
	}
	o.file.bind(cmd.Flags())
	fl := cmd.Flags()
	fl.BoolVar(&o.roundTrip, "round-trip", false, "prove provisioning end to end: a disposable Okta user is assigned, updated and unassigned while the SCIM server is watched; everything made in Okta is removed")
	fl.DurationVar(&o.timeout, "round-trip-timeout", roundtrip.DefaultTimeout, "with --round-trip: how long to wait for each change to reach the SCIM server")
	fl.StringVar(&o.domain, "probe-domain", "", "with --round-trip: the probe user's email domain (default: the SCIM base URL's host, or example.com)")
	fl.BoolVar(&o.cleanupSCIM, "cleanup-scim", false, "with --round-trip: also delete the probe user on the SCIM server, where it allows DELETE (Okta itself never deletes SCIM users)")
	return cmd
}

// stageEvent is a round-trip stage as a line of the step report.
func stageEvent(s roundtrip.Stage) apply.Event {
	return apply.Event{Integration: s.Integration, Step: fmt.Sprintf("%d %s", s.Number, s.Name), Outcome: s.Outcome,
		Detail: fmt.Sprintf("%s (%.1fs)", s.Detail, s.Seconds), AppID: s.AppID, Hint: s.Hint, SystemLog: s.SystemLog}
}

// roundTripSummary closes a test --round-trip: the closing line, or the document with
// the connection test's events and every stage.
func (p *stepPrinter) roundTripSummary(res apply.Result, trip *roundtrip.Result, integrations int) error {
	word := resultWord(res.Code)
	switch {
	case trip != nil && res.Code == exitcode.ConnectionFailed:
		word = "a round-trip stage failed: Okta did not provision as the app's actions say"
	case trip != nil && res.Code == exitcode.Interrupted && trip.Cleaned():
		word = "interrupted; what the round trip made in Okta was removed"
	}
	if !p.json {
		fmt.Fprintf(p.w, "test --round-trip: %d integration(s): %s (exit %d)\n", integrations, word, res.Code)
		return silent(res.Code)
	}
	events := res.Events
	if events == nil {
		events = []apply.Event{}
	}
	if err := writeDoc(p.w, p.format, "test --round-trip", res.Code, struct {
		Events    []apply.Event     `json:"events"`
		RoundTrip *roundtrip.Result `json:"roundTrip"`
		Result    string            `json:"result"`
	}{events, trip, word}); err != nil {
		return err
	}
	return silent(res.Code)
}
