package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Release builds set these at link time (.goreleaser.yaml: -X main.buildVersion=… and so
// on). A plain go build or go install leaves them empty, and the Go build info supplies
// the same facts: the module version, vcs.revision and vcs.time (the commit's date).
var buildVersion, buildCommit, buildDate string

func newVersionCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			version, commit, date := "(devel)", "unknown", "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				if bi.Main.Version != "" {
					version = bi.Main.Version
				}
				for _, s := range bi.Settings {
					switch s.Key {
					case "vcs.revision":
						commit = s.Value
					case "vcs.time":
						date = s.Value
					}
				}
			}
			if buildVersion != "" {
				version = buildVersion
			}
			if buildCommit != "" {
				commit = buildCommit
			}
			if buildDate != "" {
				date = buildDate
			}
			fmt.Fprintf(f.io.Out, "oktascim %s (commit %s, built %s)\n", version, commit, date)
			return nil
		},
	}
}
