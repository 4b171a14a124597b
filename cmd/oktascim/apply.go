package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
)

type applyOptions struct {
	file         fileOptions
	sim          simOptions
	yes          bool
	wait         bool
	waitTimeout  time.Duration
	pollInterval time.Duration
	showSecrets  bool
	prune        bool
}

func newApplyCmd(f *factory) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Create or converge the integrations in the file and verify them",
		Long: `apply reads the org, shows the plan and carries it out, then verifies every integration
(the connection test and the System Log). It asks before changing anything if and only if stdin
is a terminal; the plan, with every deletion --prune makes, is on the terminal first. Without a
terminal it needs --yes (--sim, the built-in simulator, may go ahead). Where Okta's API cannot do
a step it prints the manual step; --wait waits for it and goes on.

Exit codes (the same with -o json|yaml):
  0  every integration converged and verified
  1  a step failed, or the org could not be read (or the question was answered no)
  2  invalid file or flags, or --yes missing without a terminal; nothing was changed
  4  Okta refused the credentials or the permission
  5  manual steps pending in the Admin Console (run again after them, or use --wait)
  6  the connection test failed (or Okta refused to save the connection because its own
     test against the SCIM server failed)
  130  interrupted (Ctrl-C); steps not started are listed`,
		Example: `  oktascim apply -f oktascim.yaml --yes --wait
  oktascim apply --sim -f examples/quickstart.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runApply(cmd, f, o) },
	}
	fl := cmd.Flags()
	o.file.bind(fl)
	o.sim.bind(fl)
	fl.BoolVarP(&o.yes, "yes", "y", false, "do not ask for confirmation")
	fl.BoolVar(&o.wait, "wait", false, "wait for manual steps to be done in the Admin Console, then go on")
	fl.DurationVar(&o.waitTimeout, "wait-timeout", 15*time.Minute, "how long --wait waits for a manual step")
	fl.DurationVar(&o.pollInterval, "poll-interval", 5*time.Second, "how often --wait checks")
	fl.BoolVar(&o.prune, "prune", false, "also remove what the file does not name: group assignments and group pushes of its apps, and apps stamped by oktascim for integrations no longer in the file")
	fl.BoolVar(&o.showSecrets, "show-secrets", false, "print SCIM secrets in manual steps (the Okta API token is never printed)")
	_ = fl.MarkHidden("poll-interval")
	return cmd
}

func runApply(cmd *cobra.Command, f *factory, o *applyOptions) error {
	use := scimSecretsMasked
	if o.showSecrets {
		use = scimSecretsShown
	}
	t, err := f.open(cmd.Context(), o.file, o.sim, use)
	if err != nil {
		return err
	}
	defer t.close()
	p := f.stepPrinter(names(t.selected))
	if f.io.ErrTTY {
		p.withProgress(f.io.ErrOut)
	}
	opts := t.options(p.Step)
	opts.Finished = p.Finished
	opts.Wait, opts.WaitTimeout, opts.PollInterval, opts.Prune = o.wait, o.waitTimeout, o.pollInterval, o.prune
	ctx := cmd.Context()
	session := apply.NewSession(opts)
	shown, err := session.Plan(ctx)
	if err != nil {
		return err
	}
	if !f.structured() {
		printPlan(f.io.Out, f.width(true), shown, t.orgURL, f.colors())
		fmt.Fprintln(f.io.Out)
	}
	// Ask before writing; then act on the org as it is now, not as it was when the
	// plan was read (an admin may have changed it while the question was open).
	// Without a terminal --yes decides, except on the built-in simulator.
	mayAsk := !o.yes && !(o.sim.enabled && !f.io.InTTY)
	for asked := 0; shown.Changes > 0 && mayAsk; asked++ {
		current := shown
		if err := f.ask(consent{command: "apply", question: "Apply these changes?", nothing: "nothing was changed",
			show: func(w io.Writer) { printPlan(w, f.width(false), current, t.orgURL, false) }}); err != nil {
			return err
		}
		session = apply.NewSession(opts)
		now, err := session.Plan(ctx)
		if err != nil {
			return err
		}
		if samePlan(now, shown) {
			break
		}
		shown = now
		if f.structured() || !f.io.OutTTY {
			fmt.Fprintln(f.io.ErrOut, "The org changed since the plan was shown; re-planned:")
		}
		if !f.structured() {
			fmt.Fprintln(f.io.Out, "The org changed since the plan was shown; re-planned:")
			printPlan(f.io.Out, f.width(true), shown, t.orgURL, f.colors())
			fmt.Fprintln(f.io.Out)
		}
	}
	res := session.Apply(ctx)
	if err := p.summary("apply", res, len(t.selected), &shown); err != nil {
		return err
	}
	return silent(res.Code)
}

func names(ins []config.Integration) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.Name
	}
	return out
}
