package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
)

type importOptions struct {
	ids, labels []string
	out         string
}

func newImportCmd(f *factory) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Write file entries for SCIM template apps made in the Admin Console, and bring them under management",
		Long: `import reads existing SCIM template apps (by id or exact label) and writes an oktascim file
with one integration per app: label, sign-on, visibility, provisioning actions and group
assignments as the org holds them. What Okta's API cannot read back becomes a reference
for you to fill: the credentials as { env: NAME_SCIM_TOKEN } (never a value) and, for
template apps, the SCIM base URL as ${NAME_SCIM_BASE_URL}.

To manage an app, import stamps it ([oktascim:NAME] in settings.notes.admin, keeping the
admin's notes); that is the only change it makes. 'oktascim plan' right after shows no
changes except what the API cannot read.`,
		Example: `  oktascim import --app-id 0oa1b2c3d4 > oktascim.yaml
  oktascim import --label "Acme SCIM" --out acme.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runImport(cmd, f, o) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.ids, "app-id", nil, "app id to import (repeatable)")
	fl.StringArrayVar(&o.labels, "label", nil, "exact label of a SCIM template app to import (repeatable)")
	fl.StringVar(&o.out, "out", "", "write the file here (must not exist) instead of to stdout")
	return cmd
}

func runImport(cmd *cobra.Command, f *factory, o *importOptions) error {
	if len(o.ids) == 0 && len(o.labels) == 0 {
		return usageError{errors.New("import needs --app-id or --label")}
	}
	if o.out != "" {
		if _, err := os.Stat(o.out); err == nil {
			return exitcode.With(exitcode.Invalid, fmt.Errorf("--out %s: the file exists; import does not overwrite files", o.out))
		}
	}
	ctx := cmd.Context()
	client, err := f.connect(ctx, nil, f.lookupEnv)
	if err != nil {
		return err
	}
	imported, err := apply.NewSession(apply.Options{Client: client}).Import(ctx, apply.ImportSelector{IDs: o.ids, Labels: o.labels})
	if err != nil {
		return err
	}
	ins := make([]config.Integration, len(imported))
	notes := map[string][]string{}
	for i, im := range imported {
		ins[i] = im.Integration
		notes[im.Integration.Name] = append([]string{fmt.Sprintf("imported from app %s (%s)", im.AppID, client.OrgURL())}, im.Notes...)
		verb := "already stamped"
		if im.Stamped {
			verb = "stamped and verified"
		}
		fmt.Fprintf(f.io.ErrOut, "imported app %s as integration %s (%s)\n", im.AppID, im.Integration.Name, verb)
	}
	// Through the one redaction layer, like every other output (the document holds
	// references, never values, but a label could hold anything).
	doc := []byte(f.secrets.String(string(config.Render(ins, notes))))
	if o.out == "" {
		_, err = f.io.Out.Write(doc)
		return err
	}
	// O_EXCL: never overwrite a file that appeared since the check above.
	fh, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := fh.Write(doc); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	fmt.Fprintf(f.io.ErrOut, "wrote %s: set the variables it names, then run 'oktascim plan -f %s'\n", o.out, o.out)
	return nil
}
