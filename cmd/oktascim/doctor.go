package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/doctor"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
)

type doctorOptions struct {
	file fileOptions
}

func newDoctorCmd(f *factory) *cobra.Command {
	o := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the org URL, the token and its permissions, and each integration's SCIM server",
		Long: `doctor checks, one line each with a fix when it fails: the org URL is an Okta org and
reachable (not an -admin URL); the token works; it may list apps, read groups, read the
System Log and create apps (read with harmless requests; for creating apps, from the admin's
roles); and for each integration in the file, that the SCIM base URL resolves, is not a
private address, has a valid public TLS certificate and answers Okta's "Test API
Credentials" request. Exit 0 when no check fails (warnings do not fail: e.g. a loopback
SCIM server behind the local simulator); 4 when Okta refused the token or a read (401/403);
else 1.`,
		Example: `  oktascim doctor
  oktascim doctor -f oktascim.yaml --name acme -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd, f, o) },
	}
	o.file.bind(cmd.Flags())
	return cmd
}

func runDoctor(cmd *cobra.Command, f *factory, o *doctorOptions) error {
	if err := f.checkOutput(); err != nil {
		return err
	}
	ctx := cmd.Context()
	var file *config.File
	var selected []config.Integration
	// Without -f and without ./oktascim.yaml, only the org is checked.
	if _, found := o.file.resolve(); found {
		var err error
		if file, selected, err = f.loadFile(o.file, f.lookupEnv, scimSecretsMasked); err != nil {
			return err
		}
		if err := f.maskSecrets(selected); err != nil {
			return err
		}
	}
	opts := doctor.Options{}
	// The API token or the service app (PrivateKey mode), from wherever the settings
	// come; the token check names the mode.
	settings, err := f.resolveOrg(file, f.lookupEnv)
	opts.OrgURL, opts.OrgErr = settings.URL, err
	if err == nil {
		opts.Client, opts.OrgErr = okta.NewClient(ctx, f.clientSettings(settings))
	}
	for _, in := range selected {
		t, ok, err := apply.SCIMTarget(in)
		if err != nil {
			return exitcode.With(exitcode.Invalid, err)
		}
		dt := doctor.Target{Integration: in.Name, Target: t}
		if !ok {
			dt.NoProbe = apply.NoProbe
		}
		opts.SCIM = append(opts.SCIM, dt)
	}
	checks := doctor.Run(ctx, opts)
	code := doctor.ExitCode(checks)
	if f.structured() {
		if err := writeDoctorDoc(f.io.Out, f.output, checks, code); err != nil {
			return err
		}
	} else {
		printDoctor(f.io.Out, checks, f.colors())
	}
	return silent(code)
}

func counts(checks []doctor.Check) map[doctor.Status]int {
	n := map[doctor.Status]int{}
	for _, c := range checks {
		n[c.Status]++
	}
	return n
}

func printDoctor(w io.Writer, checks []doctor.Check, color bool) {
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	mark := map[doctor.Status]string{doctor.Pass: "PASS", doctor.Fail: "FAIL", doctor.Warn: "WARN", doctor.Skip: "SKIP"}
	for _, c := range checks {
		fmt.Fprintf(w, "%s  %-*s  %s\n", paint(color, statusColor[c.Status], mark[c.Status]), width, c.Name, c.Detail)
		if c.Fix != "" && c.Status != doctor.Pass && c.Status != doctor.Skip {
			fmt.Fprintf(w, "      %-*s  fix: %s\n", width, "", c.Fix)
		}
	}
	n := counts(checks)
	fmt.Fprintf(w, "doctor: %d passed, %d failed, %d warning(s), %d skipped\n", n[doctor.Pass], n[doctor.Fail], n[doctor.Warn], n[doctor.Skip])
}

func writeDoctorDoc(w io.Writer, format string, checks []doctor.Check, code int) error {
	n := counts(checks)
	return writeDoc(w, format, "doctor", code, struct {
		Checks   []doctor.Check `json:"checks"`
		Passed   int            `json:"passed"`
		Failed   int            `json:"failed"`
		Warnings int            `json:"warnings"`
		Skipped  int            `json:"skipped"`
	}{checks, n[doctor.Pass], n[doctor.Fail], n[doctor.Warn], n[doctor.Skip]})
}

var statusColor = map[doctor.Status]string{doctor.Pass: green, doctor.Fail: red, doctor.Warn: yellow, doctor.Skip: dim}
