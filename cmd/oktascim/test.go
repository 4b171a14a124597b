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
			t, err := f.open(cmd.Context(), o.file, o.sim, scimSecretsMasked)
			if err != nil {
				return err
			}
			defer t.close()
			p := f.stepPrinter(names(t.selected))
			res := apply.Test(cmd.Context(), t.options(p.Step))
			if err := p.summary("test", res, len(t.selected), nil); err != nil {
				return err
			}
			return silent(res.Code)
		},
	}
	o.file.bind(cmd.Flags())
	return cmd
}
