package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/spf13/cobra"
)

// Release builds set these at link time (.goreleaser.yaml: -X main.buildVersion=… and so
// on). A plain go build or go install leaves them empty, and the Go build info supplies
// what it has: the module version (go install …@vX.Y.Z), and vcs.revision and vcs.time
// (the commit and its date) when built inside a git checkout.
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
			if err := f.checkOutput(); err != nil {
				return err
			}
			if f.structured() {
				return writeDoc(f.io.Out, f.output, "version", exitcode.OK, struct {
					Release string `json:"release"`
					Commit  string `json:"commit"`
					Date    string `json:"date"`
					Go      string `json:"go"`
				}{version, commit, date, runtime.Version()})
			}
			fmt.Fprintf(f.io.Out, "oktascim %s (commit %s, built %s)\n", version, commit, date)
			return nil
		},
	}
}
