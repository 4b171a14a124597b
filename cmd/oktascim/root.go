package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/okta"
)

// IOStreams are the process's streams, injected so tests capture output.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	IsTTY  bool
}

// factory holds what every command shares: streams (already redacting), the
// environment, the redaction set and global flags.
type factory struct {
	io        *IOStreams
	lookupEnv func(string) (string, bool)
	secrets   *redact.Set
	// base is the HTTP transport under the Okta client (tests may inject one).
	base http.RoundTripper

	orgURL      string
	profile     string // --profile: named org settings in the tool's config file
	simToken    string // --sim: the simulator's token, which wins over other settings
	debug       bool
	output      string
	noColor     bool
	parallelism int
	rateShare   float64
	timeout     time.Duration
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, streams *IOStreams, lookupEnv func(string) (string, bool)) int {
	secrets := &redact.Set{}
	out, errOut := secrets.Writer(streams.Out), secrets.Writer(streams.ErrOut)
	defer out.Flush()
	defer errOut.Flush()
	f := &factory{io: &IOStreams{In: streams.In, Out: out, ErrOut: errOut, IsTTY: streams.IsTTY}, lookupEnv: lookupEnv, secrets: secrets}
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitcode.OK
	}
	code := exitcode.Of(err)
	var problems config.Problems
	switch {
	case errors.As(err, &problems):
		for _, p := range problems {
			fmt.Fprintln(errOut, "error:", p.String())
		}
		fmt.Fprintf(errOut, "%d problem(s); nothing was sent to Okta\n", len(problems))
		return exitcode.Invalid
	case errors.Is(err, errSilent):
		// The command already reported.
	case isUsageError(err):
		fmt.Fprintln(errOut, "error:", err)
		return exitcode.Invalid
	default:
		fmt.Fprintln(errOut, "error:", err)
	}
	return code
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
	pf.Float64Var(&f.rateShare, "rate-share", okta.DefaultRateShare, "share of each Okta rate-limit window the tool may use; the rest is left to other clients of the org")
	root.AddCommand(newInitCmd(f), newValidateCmd(f), newPlanCmd(f), newApplyCmd(f), newStatusCmd(f), newDestroyCmd(f), newImportCmd(f), newLogsCmd(f), newDoctorCmd(f), newTestCmd(f), newSimCmd(f), newSCIMCmd(f), newConfigCmd(f), newWhoamiCmd(f), newVersionCmd(f))
	completeIntegrationNames(root)
	return root
}

func (f *factory) checkOutput() error {
	switch {
	case f.output != formatText && f.output != formatJSON && f.output != formatYAML:
		return usageError{fmt.Errorf("--output must be text, json or yaml, not %q", f.output)}
	case f.parallelism < 1 || f.parallelism > 64:
		return usageError{fmt.Errorf("--parallelism must be between 1 and 64, not %d", f.parallelism)}
	case f.timeout < 100*time.Millisecond:
		return usageError{fmt.Errorf("--request-timeout must be at least 100ms, not %s", f.timeout)}
	case f.rateShare <= 0 || f.rateShare > 1:
		return usageError{fmt.Errorf("--rate-share must be more than 0 and at most 1, not %g", f.rateShare)}
	}
	return nil
}
