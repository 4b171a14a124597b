package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
)

type statusOptions struct {
	file fileOptions
	all  bool
}

func newStatusCmd(f *factory) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each integration's app, status, sign-on, provisioning, last connection test and drift",
		Long: `status reads the org (it never writes) and shows one row per integration: the app id, its
status, sign-on mode, whether provisioning is on, Okta's last test of the provisioning
credentials in the System Log, and whether the app drifted from the file.
With --all it lists every app in the org that carries an oktascim stamp, whatever file made it.`,
		Example: `  oktascim status -f oktascim.yaml
  oktascim status --all -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runStatus(cmd, f, o) },
	}
	o.file.bind(cmd.Flags())
	cmd.Flags().BoolVar(&o.all, "all", false, "every app in the org stamped by oktascim (needs no file)")
	return cmd
}

func runStatus(cmd *cobra.Command, f *factory, o *statusOptions) error {
	ctx := cmd.Context()
	var rows []apply.StatusRow
	var orgURL string
	var err error
	if o.all {
		if err := f.checkOutput(); err != nil {
			return err
		}
		// The org may still be named in the file, when there is one.
		var file *config.File
		if cmd.Flags().Changed("file") {
			if file, _, err = f.loadFile(o.file, f.lookupEnv, scimSecretsUnused); err != nil {
				return err
			}
		}
		client, err := f.connect(ctx, file, f.lookupEnv)
		if err != nil {
			return err
		}
		orgURL = client.OrgURL()
		rows, err = apply.NewSession(apply.Options{Client: client, Parallelism: f.parallelism}).StatusAll(ctx)
		if err != nil {
			return err
		}
	} else {
		t, err := f.open(ctx, o.file, simOptions{}, scimSecretsUnused)
		if err != nil {
			return err
		}
		defer t.close()
		orgURL = t.orgURL
		if rows, err = apply.NewSession(t.options(nil)).Status(ctx); err != nil {
			return err
		}
	}
	if f.structured() {
		apps := make([]statusRowDoc, len(rows))
		for i, r := range rows {
			apps[i] = statusRowDoc{r, r.Drift == "yes" || r.Drift == "not created", r.Drift}
		}
		return writeDoc(f.io.Out, f.output, "status", exitcode.OK, struct {
			Org  string         `json:"org"`
			Apps []statusRowDoc `json:"apps"`
		}{orgURL, apps})
	}
	printStatus(f.io.Out, rows)
	return nil
}

// statusRowDoc is a status row in a document: drift is a boolean (the org differs from
// the file, or the app does not exist yet), driftState the word the table shows.
type statusRowDoc struct {
	apply.StatusRow
	Drift      bool   `json:"drift"`
	DriftState string `json:"driftState"`
}

func printStatus(w io.Writer, rows []apply.StatusRow) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "No app in the org carries an oktascim stamp.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INTEGRATION\tAPP ID\tSTATUS\tSIGN-ON\tPROVISIONING\tLAST CONNECTION TEST\tDRIFT")
	for _, r := range rows {
		test := "none in the System Log"
		if r.AppID == "" {
			test = "-"
		} else if r.LastTest != nil {
			test = r.LastTest.Time.UTC().Format("2006-01-02 15:04Z") + " " + r.LastTest.Outcome
			if r.LastTest.Reason != "" {
				test += " (" + r.LastTest.Reason + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Integration, dash(r.AppID), dash(r.Status), dash(r.SignOnMode), r.Provisioning, test, r.Drift)
	}
	_ = tw.Flush()
	for _, r := range rows {
		if r.Drift != "yes" && r.Drift != "error" {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", r.Integration)
		for _, d := range r.Detail {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
