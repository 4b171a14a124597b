package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// simCmdOptions are `oktascim sim`'s flags.
type simCmdOptions struct {
	env         simenv.Options
	variants    []string
	envFile     string
	background  bool
	logFile     string
	reportReady bool // hidden: a detached child reports its lines on simenv.ReadyFD
}

func newSimCmd(f *factory) *cobra.Command {
	var o simCmdOptions
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve the Okta org simulator, its Admin Console and SCIM test servers on 127.0.0.1",
		Long: `Serve the built-in Okta org simulator (with an Admin Console stand-in at /admin/apps/active) and
SCIM 2.0 / 1.1 test servers on loopback, and print the environment lines to export so that oktascim
(or any Okta client) talks to them. The deep links of manual steps open the app's page on the
simulator's console, where a person enters the values, clicks Test API Credentials and Save (a
script can POST the same values to /__sim/apps/{appId}/provisioning with the org's token).

In the foreground it serves until interrupted. With --background it starts the simulator as a
process of its own, prints the lines once it is serving (and OKTASCIM_SIM_PID) and returns, so
eval "$(oktascim sim --background)" sets up a shell.

Ports and credentials are random unless chosen: --listen and --scim-listen fix the ports; the
credentials come from the flags, else from OKTASCIM_SIM_TOKEN, OKTASCIM_SIM_SCIM_TOKEN,
OKTASCIM_SIM_SCIM_PASSWORD and OKTASCIM_SIM_OAUTH_CLIENT_SECRET, else from the --env-file of an
earlier run, which is reused: the same file keeps working across restarts. These are the
simulator's own throwaway credentials, not an org's.`,
		Example: `  eval "$(oktascim sim --background --env-file .oktascim-sim.env)"   # returns; kill "$OKTASCIM_SIM_PID" stops it
  oktascim sim --listen 127.0.0.1:8089 --scim-listen 127.0.0.1:8090 --env-file dev.env
  oktascim sim --variant group-push=async --variant actions-after-enable=all-on
  set -a; . ./dev.env; set +a; oktascim apply -f oktascim.yaml --wait`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSim(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.env.Listen, "listen", "", "address of the org simulator and its console, loopback only (default a free port on 127.0.0.1)")
	fl.StringVar(&o.env.SCIMListen, "scim-listen", "", "address of the SCIM servers (/scim/v2, /scim/v1) and their OAuth server, loopback only (default a free port)")
	fl.BoolVar(&o.env.AcceptConnectionAPI, "connection-api", false, "accept the Provisioning Connection API for template apps (real Okta does not)")
	fl.StringVar(&o.env.Token, "token", "", "the org's API token (default $OKTASCIM_SIM_TOKEN, else random)")
	fl.StringVar(&o.env.SCIMToken, "scim-token", "", "the SCIM servers' token (default $OKTASCIM_SIM_SCIM_TOKEN, else random)")
	fl.StringVar(&o.env.SCIMPassword, "scim-password", "", "the SCIM servers' Basic password (default $OKTASCIM_SIM_SCIM_PASSWORD, else random)")
	fl.StringVar(&o.env.OAuthClientSecret, "oauth-client-secret", "", "the SCIM OAuth server's client secret (default $OKTASCIM_SIM_OAUTH_CLIENT_SECRET, else random)")
	fl.DurationVar(&o.env.Org.ProvisioningDelay, "provisioning-delay", 200*time.Millisecond, "how long after an assignment, a profile change or an unassignment the org pushes it to the app's SCIM server, as Okta does asynchronously")
	fl.StringArrayVar(&o.variants, "variant", nil, "NAME=VALUE: how the simulator answers where Okta's behaviour is unconfirmed (repeatable; see docs/variants.md)")
	fl.StringVar(&o.envFile, "env-file", "", "also write the export lines to this file (mode 0600); if it exists, reuse its ports and credentials")
	fl.BoolVar(&o.background, "background", false, "start the simulator in the background, print the lines once it serves, and return")
	fl.StringVar(&o.logFile, "log-file", "", "with --background: where the simulator's own output goes (default a file in the temp directory)")
	fl.BoolVar(&o.reportReady, "report-ready", false, "")
	_ = fl.MarkHidden("report-ready")
	return cmd
}

// runSim resolves the options (flags > environment > the env file's earlier run >
// random), then serves in the foreground or detaches.
func runSim(ctx context.Context, f *factory, o simCmdOptions) error {
	set, err := oktaorg.ParseVariants(o.variants)
	if err != nil {
		return usageError{fmt.Errorf("--variant: %w", err)}
	}
	o.env.Org.Variants = set
	o.env.CredentialsFromEnv(f.lookupEnv)
	if o.envFile != "" {
		earlier, err := simenv.ReadEnvFile(o.envFile)
		if err != nil {
			return usageError{fmt.Errorf("--env-file: %w", err)}
		}
		o.env.Reuse(earlier)
	}
	if err := o.env.Check(); err != nil {
		return usageError{err}
	}
	if o.background {
		return detachSim(f, o)
	}
	env, err := simenv.Start(o.env)
	if err != nil {
		return err
	}
	defer env.Close()
	lines := env.ExportLines()
	if o.envFile != "" {
		if err := simenv.WriteEnvFile(o.envFile, lines); err != nil {
			return fmt.Errorf("--env-file: %w", err)
		}
	}
	if o.reportReady {
		// Detached: the lines go to the parent only, not into the log file.
		if err := simenv.ReportReady(lines); err != nil {
			return err
		}
		fmt.Fprintf(f.io.Out, "sim: serving the org at %s (console %s/admin/apps/active) until stopped\n", env.OrgURL, env.OrgURL)
	} else {
		fmt.Fprintln(f.io.Out, "# Okta org simulator and SCIM test servers are running; export these, then run oktascim:")
		for _, l := range lines {
			fmt.Fprintln(f.io.Out, l)
		}
		fmt.Fprintf(f.io.Out, "# Admin Console: %s/admin/apps/active\n", env.OrgURL)
	}
	if w, ok := f.io.Out.(interface{ Flush() error }); ok {
		_ = w.Flush()
	}
	<-ctx.Done()
	fmt.Fprintln(f.io.ErrOut, "sim: stopped")
	return nil
}

// detachSim starts this executable as `oktascim sim --report-ready` in the background
// with the resolved options and prints its lines.
func detachSim(f *factory, o simCmdOptions) error {
	if runtime.GOOS == "windows" {
		return usageError{errors.New("--background needs a Unix system; run oktascim sim --env-file FILE in another window instead")}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"sim", "--report-ready"}
	for flag, v := range map[string]string{"--listen": o.env.Listen, "--scim-listen": o.env.SCIMListen, "--env-file": o.envFile} {
		if v != "" {
			args = append(args, flag+"="+v)
		}
	}
	if o.env.AcceptConnectionAPI {
		args = append(args, "--connection-api")
	}
	for _, v := range o.variants {
		args = append(args, "--variant="+v)
	}
	// Credentials go by environment, not by arguments other users can list.
	env := os.Environ()
	for k, v := range map[string]string{simenv.VarSimToken: o.env.Token, simenv.VarSCIMToken: o.env.SCIMToken,
		simenv.VarSCIMPassword: o.env.SCIMPassword, simenv.VarOAuthClientSecret: o.env.OAuthClientSecret} {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	logPath := o.logFile
	if logPath == "" {
		logPath = filepath.Join(os.TempDir(), "oktascim-sim-"+strconv.FormatInt(time.Now().UnixNano(), 36)+".log")
	}
	d, err := simenv.Detach(exe, args, env, logPath, 30*time.Second)
	var se *simenv.StartError
	if errors.As(err, &se) {
		return exitcode.With(se.Code, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(f.io.Out, "# Okta org simulator running in the background (pid %d, output in %s); stop it with: kill \"$OKTASCIM_SIM_PID\"\n", d.PID, d.LogPath)
	for _, l := range d.Lines {
		fmt.Fprintln(f.io.Out, l)
	}
	fmt.Fprintf(f.io.Out, "export OKTASCIM_SIM_PID=%d\n", d.PID)
	return nil
}
