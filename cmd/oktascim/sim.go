package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/internal/simenv"
	"github.com/oktascim/oktascim/okta/oktatest"
)

func newSimCmd(f *factory) *cobra.Command {
	var listen string
	var connectionAPI bool
	var variants []string
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve the Okta org simulator and SCIM test servers on 127.0.0.1 until interrupted",
		Long: `Serve the built-in Okta org simulator and SCIM 2.0 / 1.1 test servers on loopback, and print the
environment lines to export so that oktascim (or any Okta client) talks to them. Manual steps are done
by POSTing the values to /__sim/apps/{appId}/provisioning on the simulator (what an admin would enter).`,
		Example: `  oktascim sim --listen 127.0.0.1:8080
  oktascim sim --variant group-push=async --variant actions-after-enable=all-on`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, err := oktatest.ParseVariants(variants)
			if err != nil {
				return usageError{fmt.Errorf("--variant: %w", err)}
			}
			env, err := simenv.Start(simenv.Options{Listen: listen, AcceptConnectionAPI: connectionAPI, Org: oktatest.Options{Variants: set}})
			if err != nil {
				return err
			}
			defer env.Close()
			fmt.Fprintln(f.io.Out, "# Okta org simulator and SCIM test servers are running; export these, then run oktascim:")
			for _, l := range env.ExportLines() {
				fmt.Fprintln(f.io.Out, l)
			}
			if w, ok := f.io.Out.(interface{ Flush() error }); ok {
				_ = w.Flush()
			}
			<-cmd.Context().Done()
			fmt.Fprintln(f.io.ErrOut, "sim: stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "address of the org simulator (loopback only)")
	cmd.Flags().BoolVar(&connectionAPI, "connection-api", false, "accept the Provisioning Connection API for template apps (real Okta does not)")
	cmd.Flags().StringArrayVar(&variants, "variant", nil, "NAME=VALUE: how the simulator answers where Okta's behaviour is unconfirmed (repeatable; see docs/variants.md)")
	return cmd
}
