package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
)

type destroyOptions struct {
	file fileOptions
	yes  bool
}

func newDestroyCmd(f *factory) *cobra.Command {
	o := &destroyOptions{}
	cmd := &cobra.Command{
		Use:   "destroy",
		Short: "Deactivate and delete the apps the file's integrations manage (and nothing else)",
		Long: `destroy deletes only apps that carry the ownership stamp of an integration in the file
([oktascim:NAME] in settings.notes.admin). Apps without the stamp — even with the same label —
and apps stamped for integrations not in the file are never touched. It lists what it will
delete and asks if stdin is a terminal; without one it needs --yes (exit 2 otherwise, nothing
deleted). It needs no SCIM secrets.

Exit codes: 0 deleted (or nothing to delete), 1 a deletion failed or the answer was no,
2 invalid file or flags or --yes missing, 4 Okta refused the credentials, 130 interrupted.`,
		Example: `  oktascim destroy -f oktascim.yaml
  oktascim destroy -f oktascim.yaml --name acme --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDestroy(cmd, f, o) },
	}
	o.file.bind(cmd.Flags())
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func runDestroy(cmd *cobra.Command, f *factory, o *destroyOptions) error {
	ctx := cmd.Context()
	t, err := f.open(ctx, o.file, simOptions{}, scimSecretsUnused)
	if err != nil {
		return err
	}
	defer t.close()
	p := f.stepPrinter(names(t.selected))
	session := apply.NewSession(t.options(p.Step))
	targets, err := session.Targets(ctx)
	if err != nil {
		return err
	}
	list := func(w io.Writer) {
		if len(targets) == 0 {
			fmt.Fprintf(w, "Nothing to destroy: no app in %s carries the stamp of these integrations.\n", t.orgURL)
			return
		}
		fmt.Fprintf(w, "Will deactivate and delete %d app(s) in %s:\n", len(targets), t.orgURL)
		for _, a := range targets {
			fmt.Fprintf(w, "  - %s  %s %s %q (%s)\n", a.Integration, a.ID, a.AppName, a.Label, a.Status)
		}
	}
	if !f.structured() {
		list(f.io.Out)
		if len(targets) > 0 {
			fmt.Fprintln(f.io.Out)
		}
	}
	if len(targets) > 0 && !o.yes {
		if err := f.ask(consent{command: "destroy", question: fmt.Sprintf("Delete these %d app(s)?", len(targets)), nothing: "nothing was deleted", show: list}); err != nil {
			return err
		}
	}
	res := session.Destroy(ctx, targets)
	if err := p.summary("destroy", res, len(targets), nil); err != nil {
		return err
	}
	return silent(res.Code)
}
