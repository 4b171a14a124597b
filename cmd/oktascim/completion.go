package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// completeIntegrationNames makes --name complete with the integrations of the file
// -f names (oktascim completion bash|zsh|fish|powershell prints the scripts).
func completeIntegrationNames(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("name") != nil && c.Flags().Lookup("file") != nil {
			_ = c.RegisterFlagCompletionFunc("name", func(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
				path, _ := cmd.Flags().GetString("file")
				path, _ = (fileOptions{path: path, flag: cmd.Flags().Lookup("file")}).resolve()
				return integrationNames(path, prefix), cobra.ShellCompDirectiveNoFileComp
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// integrationNames reads only the names from a file, leniently: completing must not
// need the environment a full load checks (secrets, ${NAME} variables).
func integrationNames(path, prefix string) []string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 1<<20 {
		return nil
	}
	var doc struct {
		Integrations []struct {
			Name string `yaml:"name"`
		} `yaml:"integrations"`
	}
	if yaml.Unmarshal(b, &doc) != nil {
		return nil
	}
	var out []string
	for _, in := range doc.Integrations {
		if in.Name != "" && strings.HasPrefix(in.Name, prefix) {
			out = append(out, in.Name)
		}
	}
	return out
}
