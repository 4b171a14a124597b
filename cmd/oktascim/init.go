package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/config"
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
	fl.StringVar(&o.out, "out", "oktascim.yaml", "the file to write (must not exist); - writes to stdout")
	fl.StringVar(&o.name, "name", "", "integration name (lowercase letters, digits, -)")
	fl.StringVar(&o.kind, "kind", "", "template (OIN SCIM test app) or custom (App Integration Wizard app)")
	fl.StringVar(&o.version, "version", "", `SCIM version: "2.0" or "1.1" (template apps)`)
	fl.StringVar(&o.method, "method", "", "SCIM auth: header, oauth or basic")
	fl.StringVar(&o.signOn, "sign-on", "", "saml or swa")
	fl.StringVar(&o.url, "base-url", "", "SCIM base URL (https)")
	return cmd
}

// initField is one thing init needs: its flag, the question on a terminal, the
// default, and the answers it offers (nil: any that validates).
type initField struct {
	v        *string
	flag     string
	question string
	def      string
	allowed  func(o initOptions) []string
	field    string // the file's field the answer lands in, checked by config itself
}

func initFields(o *initOptions) []initField {
	fixed := func(v ...string) func(initOptions) []string { return func(initOptions) []string { return v } }
	return []initField{
		{&o.name, "name", "Integration name", "my-app", nil, "integrations[0].name"},
		{&o.kind, "kind", "Kind (template = OIN SCIM test app, custom = production wizard app)", "template", fixed("template", "custom"), ""},
		{&o.version, "version", "SCIM version", "2.0", func(o initOptions) []string {
			if o.kind == "custom" {
				return []string{"2.0"} // a wizard app speaks SCIM 2.0
			}
			return []string{"2.0", "1.1"}
		}, ""},
		{&o.method, "method", "SCIM authentication", "header", initMethods, ""},
		{&o.signOn, "sign-on", "Sign-on", "saml", fixed("saml", "swa"), ""},
		{&o.url, "base-url", "SCIM base URL", "https://scim.example.com/scim/v2", nil, "integrations[0].scim.baseUrl"},
	}
}

// initMethods are the SCIM auth methods init offers: every one validate accepts. A
// SCIM 1.1 template is known only as scim1testapp (OAuth bearer); 1.1 with header or
// basic needs the org's appName, which init cannot know.
func initMethods(o initOptions) []string {
	if o.kind != "custom" && o.version == "1.1" {
		return []string{"oauth"}
	}
	return []string{"header", "oauth", "basic"}
}

func runInit(cmd *cobra.Command, f *factory, o *initOptions) error {
	toStdout := o.out == "-"
	if !toStdout {
		if _, err := os.Stat(o.out); err == nil {
			return exitcode.With(exitcode.Invalid, fmt.Errorf("%s exists; init does not overwrite files (use --out)", o.out))
		}
	}
	ask := newAsker(f)
	fields := initFields(o)
	for _, fd := range fields {
		if *fd.v != "" || cmd.Flags().Changed(fd.flag) {
			// A flag is checked, never asked again: a script gets exit 2.
			if problem := checkInitAnswer(*o, fd, *fd.v); problem != "" {
				return usageError{fmt.Errorf("--%s %q: %s", fd.flag, *fd.v, problem)}
			}
			continue
		}
		def := fd.def
		var allowed []string
		if fd.allowed != nil {
			allowed = fd.allowed(*o)
			if !slices.Contains(allowed, def) {
				def = allowed[0]
			}
		}
		if !f.io.InTTY || len(allowed) == 1 {
			*fd.v = def
			continue
		}
		for {
			v, err := ask.value(fd.question, def, allowed)
			if err != nil {
				return err
			}
			problem := checkInitAnswer(*o, fd, v)
			if problem == "" {
				*fd.v = v
				break
			}
			fmt.Fprintf(f.io.ErrOut, "  %s; try again\n", problem)
		}
	}
	doc := starterFile(*o)
	if ps := initProblems(doc); len(ps) > 0 {
		// A combination the checks above let through: a bug, never a file that fails.
		return fmt.Errorf("init would write a file that does not validate: %s", ps[0].String())
	}
	env := strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
	if toStdout {
		fmt.Fprint(f.io.Out, doc)
		fmt.Fprintf(f.io.ErrOut, "set %s before 'oktascim validate'\n", secretEnvs(env, *o))
		return nil
	}
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
	fmt.Fprintf(f.io.ErrOut, "wrote %s: set %s, then run 'oktascim validate -f %s' and 'oktascim plan -f %s'\n", o.out, secretEnvs(env, *o), o.out, o.out)
	return nil
}

// checkInitAnswer says what is wrong with v as fd's answer, or "": not one of the
// answers offered, or refused by the file's own checks (config, the one judge).
func checkInitAnswer(o initOptions, fd initField, v string) string {
	if fd.allowed != nil {
		if allowed := fd.allowed(o); !slices.Contains(allowed, v) {
			if fd.flag == "method" && o.version == "1.1" {
				return "a SCIM 1.1 template app is known only with oauth (scim1testapp); for header or basic, write the file with appName: set to your org's app"
			}
			return "not one of " + strings.Join(allowed, ", ")
		}
		return ""
	}
	// The file with this answer, and defaults for what is not answered yet.
	for _, d := range initFields(&o) {
		if d.flag == fd.flag {
			*d.v = v
		} else if *d.v == "" {
			*d.v = d.def
		}
	}
	for _, p := range initProblems(starterFile(o)) {
		if strings.HasPrefix(p.Field, fd.field) {
			return p.Message
		}
	}
	return ""
}

// initProblems are the problems validate would find in doc, with every variable it
// references set (the user sets them afterwards).
func initProblems(doc string) config.Problems {
	_, err := config.Parse("oktascim.yaml", []byte(doc), ".", config.LoadOptions{LookupEnv: func(string) (string, bool) { return "set", true }, Stdin: strings.NewReader("")})
	var ps config.Problems
	if errors.As(err, &ps) {
		return ps
	}
	if err != nil {
		return config.Problems{{Message: err.Error()}}
	}
	return nil
}

// asker asks on a terminal.
type asker struct {
	f  *factory
	in *bufio.Reader
}

func newAsker(f *factory) *asker { return &asker{f: f, in: bufio.NewReader(f.io.In)} }

func (a *asker) value(question, def string, allowed []string) (string, error) {
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
	b.WriteString("    # Declared means managed; omitted means untouched: a key left out is never written,\n")
	b.WriteString("    # compared or asked of an admin (a new app gets Okta's own default for it).\n")
	b.WriteString("    # visibility: { hideWeb: false, hideMobile: false, autoLogin: false }\n")
	b.WriteString("    provisioning:               # To App actions; these three default to on\n")
	b.WriteString("      createUsers: true\n      updateUsers: true\n      deactivateUsers: true\n")
	b.WriteString("      # syncPassword: false     # uncomment to manage; left out, the org's value stays\n")
	b.WriteString("      # pushGroups: false\n      # importUsers: false\n")
	b.WriteString("    groups: []                  # Okta groups to assign, by exact name\n")
	return b.String()
}
