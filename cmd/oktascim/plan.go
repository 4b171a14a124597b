package main

import (
	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/plan"
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

Exit codes (the same with -o json|yaml):
  0  the plan was made (with --detailed-exitcode: and there is nothing to do)
  3  with --detailed-exitcode: changes or manual steps pending
  1  an integration cannot be planned, or reading the org failed
  2  invalid file or flags; nothing was sent to Okta
  4  Okta refused the credentials or the permission
  130  interrupted (Ctrl-C)`,
		Example: `  oktascim plan -f oktascim.yaml
  oktascim plan -f oktascim.yaml --detailed-exitcode -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runPlan(cmd, f, o) },
	}
	fl := cmd.Flags()
	o.file.bind(fl)
	fl.BoolVar(&o.prune, "prune", false, "plan the removal of what the file does not name (as apply --prune would)")
	fl.BoolVar(&o.detailedExitCode, "detailed-exitcode", false, "exit 0 when there are no changes, 3 when there are changes or pending manual steps; errors keep their codes (1, 2, 4)")
	return cmd
}

func runPlan(cmd *cobra.Command, f *factory, o *planOptions) error {
	t, err := f.open(cmd.Context(), o.file, simOptions{}, scimSecretsUnused)
	if err != nil {
		return err
	}
	defer t.close()
	opts := t.options(nil)
	opts.Prune = o.prune
	p, err := apply.NewSession(opts).Plan(cmd.Context())
	if err != nil {
		return err
	}
	code := planCode(p, o.detailedExitCode)
	if f.structured() {
		if err := writePlanDoc(f.io.Out, f.output, p, t.orgURL, code); err != nil {
			return err
		}
	} else {
		printPlan(f.io.Out, f.width(true), p, t.orgURL, f.colors())
	}
	return silent(code)
}

// planCode is plan's exit code for a plan it could make (see the command's help).
func planCode(p plan.Plan, detailed bool) int {
	switch {
	case p.HasErrors():
		return exitcode.Failure
	case detailed && p.HasChanges():
		return exitcode.Changes
	}
	return exitcode.OK
}
