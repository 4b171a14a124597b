package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/plan"
)

func newValidateCmd(f *factory) *cobra.Command {
	o := &fileOptions{}
	cmd := &cobra.Command{
		Use:     "validate",
		Short:   "Check the file: syntax, types, references, secrets; sends nothing to Okta",
		Example: `  oktascim validate -f oktascim.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.checkOutput(); err != nil {
				return err
			}
			file, selected, err := f.loadFile(*o, f.lookupEnv, scimSecretsMasked)
			if err != nil {
				return err
			}
			if err := f.maskSecrets(selected); err != nil {
				return err
			}
			type source struct {
				Field  string `json:"field"`
				Source string `json:"source"` // env NAME, file PATH or stdin; never the value
			}
			type item struct {
				Name       string   `json:"name"`
				App        string   `json:"app"`
				SignOnMode string   `json:"signOnMode"`
				BaseURL    string   `json:"baseUrl"`
				Secrets    []source `json:"secrets"`
				// Provisioning are the actions the file manages ("on (default)" for a
				// documented default); every other action is left as the org has it.
				Provisioning []actionDoc `json:"provisioning"`
			}
			sources := func(refs []*config.SecretRef) []source {
				out := []source{}
				for _, r := range refs {
					out = append(out, source{r.Field, r.Describe()})
				}
				return out
			}
			items := make([]item, len(selected))
			for i, in := range selected {
				want := plan.DesiredApp(in)
				items[i] = item{in.Name, appKindName(want.Name), want.SignOnMode, in.SCIM.BaseURL, sources(in.SecretRefs()), actionDocs(in)}
			}
			orgSecrets := sources(file.Org.SecretRefs())
			if f.structured() {
				return writeDoc(f.io.Out, f.output, "validate", exitcode.OK, struct {
					File         string   `json:"file"`
					Valid        bool     `json:"valid"`
					Integrations []item   `json:"integrations"`
					OrgSecrets   []source `json:"orgSecrets"`
					Warnings     int      `json:"warnings"`
				}{file.Path, true, items, orgSecrets, len(file.Warnings)})
			}
			for i, it := range items {
				fmt.Fprintf(f.io.Out, "%s: %s app, %s sign-on, SCIM at %s\n", it.Name, it.App, it.SignOnMode, it.BaseURL)
				fmt.Fprintf(f.io.Out, "  provisioning: %s\n", actionsLine(selected[i]))
				for _, s := range it.Secrets {
					fmt.Fprintf(f.io.Out, "  secret %s from %s\n", s.Field, s.Source)
				}
			}
			for _, s := range orgSecrets {
				fmt.Fprintf(f.io.Out, "org secret %s from %s\n", s.Field, s.Source)
			}
			fmt.Fprintf(f.io.Out, "%s is valid: %d integration(s)\n", file.Path, len(selected))
			return nil
		},
	}
	o.bind(cmd.Flags())
	return cmd
}

// actionDoc is one managed provisioning action in validate's document.
type actionDoc struct {
	Name    string `json:"name"`
	On      bool   `json:"on"`
	Default bool   `json:"default"`
}

func actionDocs(in config.Integration) []actionDoc {
	var out []actionDoc
	for _, a := range plan.DeclaredActions(in.Provisioning) {
		out = append(out, actionDoc{a.Name, a.On, a.Defaulted})
	}
	return out
}

// actionsLine lists the managed actions, and the ones left as the org has them.
func actionsLine(in config.Integration) string {
	var on, untouched []string
	declared := map[string]bool{}
	for _, a := range plan.DeclaredActions(in.Provisioning) {
		on = append(on, a.Name+" "+a.Value())
		declared[a.Name] = true
	}
	names := []string{"syncPassword", "pushGroups", "importUsers"}
	if in.Kind == config.KindCustom {
		names = append(names, "importGroups")
	}
	for _, n := range names {
		if !declared[n] {
			untouched = append(untouched, n)
		}
	}
	line := strings.Join(on, ", ")
	if len(untouched) > 0 {
		line += "; not in the file, left as the org has them: " + strings.Join(untouched, ", ")
	}
	return line
}
