package main

import (
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
}

func newApplyCmd(f *factory) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Create or converge the integrations in the file and verify them",
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
	fl.BoolVar(&o.showSecrets, "show-secrets", false, "print SCIM secrets in manual steps (the Okta API token is never printed)")
	_ = fl.MarkHidden("poll-interval")
	return cmd
}

func runApply(cmd *cobra.Command, f *factory, o *applyOptions) error {
	return runSteps(cmd, f, "apply", o.file, o.sim, o.showSecrets, func(opts apply.Options) apply.Result {
		opts.Wait, opts.WaitTimeout, opts.PollInterval = o.wait, o.waitTimeout, o.pollInterval
		return apply.Run(cmd.Context(), opts)
	})
}

// runSteps is the shared pipeline of apply and test: load, connect, run, report.
func runSteps(cmd *cobra.Command, f *factory, name string, fo fileOptions, so simOptions, showSecrets bool, do func(apply.Options) apply.Result) error {
	if err := f.checkOutput(); err != nil {
		return err
	}
	lookup := f.lookupEnv
	var manual apply.ManualHandler
	if so.enabled {
		env, simLookup, err := f.startSim(so)
		if err != nil {
			return err
		}
		defer env.Close()
		lookup, manual = simLookup, env.AdminStandIn(so.adminDelay)
	}
	file, selected, err := f.loadFile(fo, lookup)
	if err != nil {
		return err
	}
	if err := f.maskSecrets(selected, showSecrets); err != nil {
		return err
	}
	client, err := f.connect(cmd.Context(), file, lookup)
	if err != nil {
		return err
	}
	p := newStepPrinter(f.io.Out, f.output == "json", names(selected))
	res := do(apply.Options{Client: client, Integrations: selected, ShowSecrets: showSecrets, Report: p.Step, Manual: manual})
	if err := p.summary(name, res, len(selected)); err != nil {
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
