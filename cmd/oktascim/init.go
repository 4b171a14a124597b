package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/internal/exitcode"
)

type initOptions struct {
	out                                      string
	name, kind, version, method, signOn, url string
}

func newInitCmd(f *factory) *cobra.Command {
	o := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter file",
		Long: `init writes a starter oktascim file with one integration, commented field by field. On a
terminal it asks for what the flags do not say; elsewhere the flags (or their defaults) decide.
Secrets are written as { env: NAME } references for you to set; the file is never overwritten.`,
		Example: `  oktascim init
  oktascim init --name hr --kind custom --method oauth --sign-on saml --base-url https://scim.hr.example/scim/v2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runInit(cmd, f, o) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.out, "out", "oktascim.yaml", "the file to write (must not exist)")
	fl.StringVar(&o.name, "name", "", "integration name (lowercase letters, digits, -)")
	fl.StringVar(&o.kind, "kind", "", "template (OIN SCIM test app) or custom (App Integration Wizard app)")
	fl.StringVar(&o.version, "version", "", `SCIM version: "2.0" or "1.1" (template apps)`)
	fl.StringVar(&o.method, "method", "", "SCIM auth: header, oauth or basic")
	fl.StringVar(&o.signOn, "sign-on", "", "saml or swa")
	fl.StringVar(&o.url, "base-url", "", "SCIM base URL (https)")
	return cmd
}

func runInit(cmd *cobra.Command, f *factory, o *initOptions) error {
	if _, err := os.Stat(o.out); err == nil {
		return exitcode.With(exitcode.Invalid, fmt.Errorf("%s exists; init does not overwrite files (use --out)", o.out))
	}
	ask := newAsker(f)
	var err error
	fields := []struct {
		v        *string
		question string
		def      string
		allowed  []string
	}{
		{&o.name, "Integration name", "my-app", nil},
		{&o.kind, "Kind (template = OIN SCIM test app, custom = production wizard app)", "template", []string{"template", "custom"}},
		{&o.version, "SCIM version", "2.0", []string{"2.0", "1.1"}},
		{&o.method, "SCIM authentication", "header", []string{"header", "oauth", "basic"}},
		{&o.signOn, "Sign-on", "saml", []string{"saml", "swa"}},
		{&o.url, "SCIM base URL", "https://scim.example.com/scim/v2", nil},
	}
	for _, fd := range fields {
		if fd.v == &o.version && o.kind == "custom" {
			*fd.v = "2.0" // a custom app speaks SCIM 2.0
		}
		if *fd.v != "" {
			continue
		}
		if *fd.v, err = ask.value(fd.question, fd.def, fd.allowed); err != nil {
			return err
		}
	}
	for _, fd := range fields {
		if fd.allowed != nil && !slices.Contains(fd.allowed, *fd.v) {
			return usageError{fmt.Errorf("%q is not one of %s", *fd.v, strings.Join(fd.allowed, ", "))}
		}
	}
	doc := starterFile(*o)
	fh, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := fh.WriteString(doc); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	env := strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
	fmt.Fprintf(f.io.ErrOut, "wrote %s: set %s, then run 'oktascim validate -f %s' and 'oktascim plan -f %s'\n", o.out, secretEnvs(env, *o), o.out, o.out)
	return nil
}

// asker asks on a terminal and takes defaults elsewhere.
type asker struct {
	f  *factory
	in *bufio.Reader
}

func newAsker(f *factory) *asker { return &asker{f: f, in: bufio.NewReader(f.io.In)} }

func (a *asker) value(question, def string, allowed []string) (string, error) {
	if !a.f.io.InTTY {
		return def, nil
	}
	choices := ""
	if len(allowed) > 0 {
		choices = " (" + strings.Join(allowed, "/") + ")"
	}
	fmt.Fprintf(a.f.io.ErrOut, "%s%s [%s]: ", question, choices, def)
	flush(a.f.io.ErrOut)
	line, err := a.in.ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no answer on the terminal")
	}
	if v := strings.TrimSpace(line); v != "" {
		return v, nil
	}
	return def, nil
}

func secretEnvs(env string, o initOptions) string {
	switch {
	case o.method == "basic":
		return env + "_SCIM_USERNAME and " + env + "_SCIM_PASSWORD"
	case o.method == "oauth" && o.kind == "custom":
		return env + "_OAUTH_CLIENT_SECRET"
	}
	return env + "_SCIM_TOKEN"
}

// starterFile is the commented file init writes.
func starterFile(o initOptions) string {
	env := strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=https://raw.githubusercontent.com/oktascim/oktascim/main/docs/oktascim.schema.json\n")
	b.WriteString("# Written by oktascim init. Reference: docs/commands/ and `oktascim config schema`.\n")
	b.WriteString("version: 1\n\n# The org: or OKTA_CLIENT_ORGURL and OKTA_CLIENT_TOKEN, or ~/.okta/okta.yaml, or --profile.\n")
	b.WriteString("# org:\n#   url: https://your-org.okta.com\n#   token: { env: OKTA_CLIENT_TOKEN }\n\nintegrations:\n")
	fmt.Fprintf(&b, "  - name: %s                 # the key oktascim stamps on the app to find it again\n", o.name)
	if o.kind == "custom" {
		b.WriteString("    kind: custom               # an App Integration Wizard app (production); template = OIN SCIM test app\n")
	}
	fmt.Fprintf(&b, "    label: %s                # the app's name in Okta\n", o.name)
	b.WriteString("    scim:\n")
	if o.kind != "custom" {
		fmt.Fprintf(&b, "      version: %q             # \"2.0\" or \"1.1\"\n", o.version)
	}
	fmt.Fprintf(&b, "      baseUrl: %s   # the SCIM root, without /Users\n", o.url)
	b.WriteString("      auth:\n")
	fmt.Fprintf(&b, "        method: %s\n", o.method)
	switch {
	case o.method == "basic":
		fmt.Fprintf(&b, "        username: ${%s_SCIM_USERNAME}\n        password: { env: %s_SCIM_PASSWORD }   # never the value itself\n", env, env)
	case o.method == "oauth" && o.kind == "custom":
		b.WriteString("        oauth:                  # Okta gets tokens from your authorization server\n")
		b.WriteString("          tokenEndpoint: https://auth.example.com/oauth/token\n          authorizeEndpoint: https://auth.example.com/oauth/authorize\n")
		fmt.Fprintf(&b, "          clientId: okta\n          clientSecret: { env: %s_OAUTH_CLIENT_SECRET }\n", env)
	default:
		fmt.Fprintf(&b, "        token: { env: %s_SCIM_TOKEN }   # never the value itself\n", env)
	}
	b.WriteString("    signOn:\n")
	if o.signOn == "swa" {
		fmt.Fprintf(&b, "      mode: swa\n      swa:\n        loginUrl: https://%s.example.com/login\n", o.name)
	} else {
		fmt.Fprintf(&b, "      mode: saml\n      saml:\n        acsUrl: https://%s.example.com/saml/acs\n        audience: https://%s.example.com\n", o.name, o.name)
	}
	b.WriteString("    visibility: { hideWeb: false, hideMobile: false, autoLogin: false }\n")
	b.WriteString("    provisioning:               # To App actions (and import); defaults shown\n")
	b.WriteString("      createUsers: true\n      updateUsers: true\n      deactivateUsers: true\n      syncPassword: false\n      pushGroups: false\n      importUsers: false\n")
	b.WriteString("    groups: []                  # Okta groups to assign, by exact name\n")
	return b.String()
}
