package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestCommandDocsAreCurrent: docs/commands/ is generated from the cobra commands (use,
// help, examples, flags); the test fails when a command changed and the docs did not.
// Regenerate with: go test ./cmd/oktascim -run TestCommandDocsAreCurrent -update
func TestCommandDocsAreCurrent(t *testing.T) {
	f := &factory{io: &IOStreams{}, lookupEnv: func(string) (string, bool) { return "", false }}
	root := newRootCmd(f)
	root.InitDefaultCompletionCmd()
	want := map[string]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		want[docName(c)] = commandDoc(c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	dir := filepath.Join("..", "..", "docs", "commands")
	if *update {
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, doc := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	have, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(have) != len(want) {
		t.Errorf("docs/commands has %d files, the commands need %d (go test ./cmd/oktascim -run TestCommandDocsAreCurrent -update)", len(have), len(want))
	}
	for name, doc := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != doc {
			t.Errorf("docs/commands/%s is stale (go test ./cmd/oktascim -run TestCommandDocsAreCurrent -update)", name)
		}
	}
}

func docName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

// commandDoc is one command's reference page.
func commandDoc(c *cobra.Command) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", c.CommandPath(), c.Short)
	if c.Long != "" {
		fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(c.Long))
	}
	if c.Runnable() {
		fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "## Examples\n\n```\n%s\n```\n\n", strings.TrimRight(c.Example, "\n"))
	}
	if fl := c.NonInheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	if fl := c.InheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Global flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	var subs []string
	for _, s := range c.Commands() {
		if !s.Hidden && s.Name() != "help" {
			subs = append(subs, fmt.Sprintf("- [%s](%s) — %s", s.CommandPath(), docName(s), s.Short))
		}
	}
	sort.Strings(subs)
	if len(subs) > 0 {
		fmt.Fprintf(&b, "## Commands\n\n%s\n\n", strings.Join(subs, "\n"))
	}
	if c.HasParent() {
		fmt.Fprintf(&b, "See also: [%s](%s)\n", c.Parent().CommandPath(), docName(c.Parent()))
	}
	return b.String()
}
