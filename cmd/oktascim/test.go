package main

import (
	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
)

type testOptions struct {
	file fileOptions
	sim  simOptions
}

func newTestCmd(f *factory) *cobra.Command {
	o := &testOptions{}
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Test each integration's SCIM connection as Okta's \"Test API Credentials\" does, and read the System Log",
		Example: `  oktascim test -f oktascim.yaml
  oktascim test -f oktascim.yaml --name acme -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSteps(cmd, f, "test", o.file, o.sim, false, func(opts apply.Options) apply.Result {
				return apply.Test(cmd.Context(), opts)
			})
		},
	}
	o.file.bind(cmd.Flags())
	return cmd
}
