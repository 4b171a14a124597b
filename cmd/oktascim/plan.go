package main

import (
	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
)

type planOptions struct {
	file             fileOptions
	prune            bool
	detailedExitCode bool
}

func newPlanCmd(f *factory) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would change in the org, without changing anything",
		Long: `plan reads the org (it never writes) and shows, per integration, what apply would do:
create, adopt (an unstamped app with the same template and label), update field by field,
or nothing; manual steps still pending; and what Okta's API cannot read back, which
apply verifies with the connection test and the System Log instead.

Exit codes: 0 no error; with --detailed-exitcode 0 no changes, 3 changes or pending
manual steps, 1 any error.`,
		Example: `  oktascim plan -f oktascim.yaml
  oktascim plan -f oktascim.yaml --detailed-exitcode -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := runPlan(cmd, f, o)
			if o.detailedExitCode {
				if c := exitcode.Of(err); c != exitcode.OK && c != exitcode.Changes {
					return exitcode.With(exitcode.Failure, err)
				}
			}
			return err
		},
	}
	fl := cmd.Flags()
	o.file.bind(fl)
	fl.BoolVar(&o.prune, "prune", false, "plan the removal of what the file does not name (as apply --prune would)")
	fl.BoolVar(&o.detailedExitCode, "detailed-exitcode", false, "exit 0 when there are no changes, 3 when there are, 1 on any error")
	return cmd
}

func runPlan(cmd *cobra.Command, f *factory, o *planOptions) error {
	t, err := f.open(cmd.Context(), o.file, simOptions{}, false)
	if err != nil {
		return err
	}
	defer t.close()
	opts := t.options(nil)
	opts.Prune = o.prune
	p, err := apply.NewSession(opts).Plan(cmd.Context())
	if err != nil {
		return planError(err)
	}
	if f.structured() {
		err = writePlanDoc(f.io.Out, f.output, p, t.orgURL)
	} else {
		printPlan(f.io.Out, p, t.orgURL, f.colors())
	}
	switch {
	case err != nil:
		return err
	case p.HasErrors():
		return silent(exitcode.Failure)
	case o.detailedExitCode && p.HasChanges():
		return silent(exitcode.Changes)
	}
	return nil
}
