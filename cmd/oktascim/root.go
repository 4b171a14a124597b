package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/okta"
)

// IOStreams are the process's streams, injected so tests capture output, and which of
// them is a terminal: a person types on stdin (the only reason to ask anything), reads
// stdout (colour) and sees stderr (progress, questions).
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	InTTY  bool
	OutTTY bool
	ErrTTY bool
	Width  int // the terminal's columns, when known; text is wrapped to it on a terminal
}

// factory holds what every command shares: streams (already redacting), the
// environment, the redaction set and global flags.
type factory struct {
	io        *IOStreams
	lookupEnv func(string) (string, bool)
	secrets   *redact.Set
	// base is the HTTP transport under the Okta client (tests may inject one).
	base http.RoundTripper

	outputFlag  *pflag.Flag
	warned      warnings // each warning once per run
	ran         bool     // a command's RunE began: any later error is the command's, not cobra's
	orgURL      string
	profile     string // --profile: named org settings in the tool's config file
	simToken    string // --sim: the simulator's token, which wins over other settings
	debug       bool
	output      string
	noColor     bool
	parallelism int
	rateShare   float64
	allowShared bool // --allow-shared-secret-files
	timeout     time.Duration
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, streams *IOStreams, lookupEnv func(string) (string, bool)) int {
	secrets := &redact.Set{}
	stdout := &countingWriter{w: streams.Out}
	out, errOut := secrets.Writer(stdout), secrets.Writer(streams.ErrOut)
	defer out.Flush()
	defer errOut.Flush()
	f := &factory{io: &IOStreams{In: streams.In, Out: out, ErrOut: errOut, InTTY: streams.InTTY, OutTTY: streams.OutTTY, ErrTTY: streams.ErrTTY, Width: streams.Width}, lookupEnv: lookupEnv, secrets: secrets}
	root := newRootCmd(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitcode.OK
	}
	code := exitcode.Of(err)
	if !f.ran || isUsageError(err) {
		// Cobra refused the command line (unknown command or flag, extra arguments,
		// an invalid flag value) before any command ran, or a command did.
		code = exitcode.Invalid
	}
	var problems config.Problems
	if errors.As(err, &problems) {
		code = exitcode.Invalid
	}
	if !errors.Is(err, errSilent) {
		if len(problems) > 0 {
			for _, p := range problems {
				fmt.Fprintln(errOut, "error:", p.String())
			}
			fmt.Fprintf(errOut, "%d problem(s); nothing was sent to Okta\n", len(problems))
		} else {
			fmt.Fprintln(errOut, "error:", err)
		}
	}
	// With -o json|yaml every outcome is one document on stdout: a command that failed
	// before printing its own gets this one.
	_ = out.Flush()
	if format := outputFormat(f, args); (format == formatJSON || format == formatYAML) && stdout.n == 0 {
		if werr := writeDoc(out, format, commandName(cmd), code, errorDoc(err, code, problems)); werr != nil {
			fmt.Fprintln(errOut, "error:", werr)
		}
	}
	return code
}

// countingWriter counts what reached stdout.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// outputFormat is -o as parsed, or as written when cobra stopped before parsing it.
func outputFormat(f *factory, args []string) string {
	if fl := f.outputFlag; fl == nil || fl.Changed {
		return f.output
	}
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case (a == "-o" || a == "--output") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--output="):
			return strings.TrimPrefix(a, "--output=")
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			return strings.TrimPrefix(strings.TrimPrefix(a, "-o"), "=")
		}
	}
	return ""
}

// commandName is the command path without the program's name, e.g. "scim check".
func commandName(cmd *cobra.Command) string {
	if cmd == nil || !cmd.HasParent() {
		return ""
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// problemDoc is one problem in an error document; an error that is not about a place
// in the file has only a message.
type problemDoc struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// errorDoc is the body of the document of a command that failed before reporting.
func errorDoc(err error, code int, problems config.Problems) any {
	list := make([]problemDoc, 0, len(problems))
	for _, p := range problems {
		list = append(list, problemDoc{p.File, p.Line, p.Column, p.Field, p.Message})
	}
	if len(list) == 0 {
		list = append(list, problemDoc{Message: err.Error()})
	}
	return struct {
		Result   string       `json:"result"`
		Problems []problemDoc `json:"problems"`
	}{resultWord(code), list}
}

// errSilent marks an exit code whose reason the command has already printed.
var errSilent = errors.New("reported")

func silent(code int) error {
	if code == exitcode.OK {
		return nil
	}
	return exitcode.With(code, errSilent)
}

type usageError struct{ error }

func isUsageError(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "oktascim",
		Short: "Turn a declarative YAML file into working, verified Okta SCIM integrations",
		Long: `oktascim creates and converges Okta SCIM integrations (OIN SCIM template apps) from a
declarative file: the app, its sign-on and visibility, provisioning with the SCIM base URL and
credentials, the provisioning actions and group assignments — and verifies the connection.
Where Okta's API cannot do a step, it prints exactly what to do in the Admin Console and
verifies it once done.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&f.orgURL, "org-url", "", "Okta org URL (overrides OKTA_CLIENT_ORGURL, the file's org.url and ~/.okta/okta.yaml)")
	pf.StringVar(&f.profile, "profile", "", "use the named org settings (profile) from the oktascim config file ($OKTASCIM_CONFIG or the user config dir); beats OKTA_CLIENT_* (default $OKTASCIM_PROFILE, which they beat)")
	pf.BoolVar(&f.debug, "debug", false, "trace every Okta request (method, path, status; never headers or bodies) on stderr")
	pf.StringVarP(&f.output, "output", "o", formatText, "output format: text, json or yaml (JSON and YAML are the same documented document)")
	pf.BoolVar(&f.noColor, "no-color", false, "no colour in text output (also: NO_COLOR set; colour is only ever used on a terminal)")
	pf.IntVar(&f.parallelism, "parallelism", apply.DefaultParallelism, "integrations worked on at once (each one's steps stay in order)")
	pf.DurationVar(&f.timeout, "request-timeout", 30*time.Second, "how long one Okta request may take before it is abandoned (and, when safe, retried)")
	pf.BoolVar(&f.allowShared, "allow-shared-secret-files", false, "read secret files (and key files) that group or others can access or another user owns; refused otherwise, as ssh refuses such a private key (also: "+config.AllowSharedSecretsEnv+"=1)")
	pf.Float64Var(&f.rateShare, "rate-share", okta.DefaultRateShare, "share of each Okta rate-limit window the tool may use; the rest is left to other clients of the org")
	root.AddCommand(newInitCmd(f), newValidateCmd(f), newPlanCmd(f), newApplyCmd(f), newStatusCmd(f), newDestroyCmd(f), newImportCmd(f), newLogsCmd(f), newDoctorCmd(f), newTestCmd(f), newSimCmd(f), newSCIMCmd(f), newConfigCmd(f), newWhoamiCmd(f), newVersionCmd(f))
	f.outputFlag = pf.Lookup("output")
	_ = root.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{formatText, formatJSON, formatYAML}, cobra.ShellCompDirectiveNoFileComp
	})
	// The completion scripts go where the streams are set now.
	root.SetIn(f.io.In)
	root.SetOut(f.io.Out)
	root.SetErr(f.io.ErrOut)
	root.InitDefaultCompletionCmd()
	completeIntegrationNames(root)
	markUsage(f, root)
	return root
}

// markUsage makes every error that is not a command's own a usage error (exit 2):
// a command notes when it starts running, and a command that only groups others
// (completion, scim, config) refuses a subcommand it does not have instead of printing
// its help and exiting 0.
func markUsage(f *factory, c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			f.ran = true
			return run(cmd, args)
		}
	} else if c.Run == nil && c.HasParent() && c.HasSubCommands() {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unknown command %q for %q (it has: %s)", args[0], cmd.CommandPath(), strings.Join(subcommandNames(cmd), ", "))}
			}
			return cmd.Help()
		}
	}
	for _, sub := range c.Commands() {
		markUsage(f, sub)
	}
}

func subcommandNames(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			out = append(out, s.Name())
		}
	}
	return out
}

func (f *factory) checkOutput() error {
	switch {
	case f.output != formatText && f.output != formatJSON && f.output != formatYAML:
		return usageError{fmt.Errorf("--output must be text, json or yaml, not %q", f.output)}
	case f.parallelism < 1 || f.parallelism > 64:
		return usageError{fmt.Errorf("--parallelism must be between 1 and 64, not %d", f.parallelism)}
	case f.timeout < 100*time.Millisecond:
		return usageError{fmt.Errorf("--request-timeout must be at least 100ms, not %s", f.timeout)}
	case !(f.rateShare > 0 && f.rateShare <= 1): // NaN is neither
		return usageError{fmt.Errorf("--rate-share must be more than 0 and at most 1, not %g", f.rateShare)}
	}
	return nil
}
