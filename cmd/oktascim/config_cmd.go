package main

import (
	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/config"
)

func newConfigCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "About the file format"}
	cmd.AddCommand(&cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the file format (for editors and CI)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := f.io.Out.Write(config.Schema())
			return err
		},
	})
	return cmd
}
