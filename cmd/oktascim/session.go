package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
	"github.com/oktascim/oktascim/sim/simenv"
)

// fileOptions are the flags of every command that reads the file.
type fileOptions struct {
	path  string
	names []string
	flag  *pflag.Flag // -f, to tell the default from a path the user gave
}

func (o *fileOptions) bind(flags *pflag.FlagSet) {
	flags.StringVarP(&o.path, "file", "f", defaultFile, "the oktascim file (default: oktascim.yaml, else oktascim.yml)")
	flags.StringSliceVar(&o.names, "name", nil, "only these integrations (repeatable)")
	o.flag = flags.Lookup("file")
}

const defaultFile = "oktascim.yaml"

// given reports whether -f was given (not the default).
func (o fileOptions) given() bool { return o.flag != nil && o.flag.Changed }

// resolve is the file to read: -f as given, or the default oktascim.yaml, found also
// as oktascim.yml. found is false when the default is in neither spelling.
func (o fileOptions) resolve() (path string, found bool) {
	if o.given() || o.path != defaultFile {
		return o.path, true
	}
	for _, p := range []string{defaultFile, "oktascim.yml"} {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return o.path, false
}

// loadFile loads and validates the file, printing warnings. Invalid input returns
// config.Problems (exit 2) before anything is sent anywhere.
func (f *factory) loadFile(o fileOptions, lookup func(string) (string, bool), use scimSecrets) (*config.File, []config.Integration, error) {
	path, found := o.resolve()
	if !found {
		return nil, nil, exitcode.With(exitcode.Invalid, errors.New("no oktascim.yaml (or oktascim.yml) in this directory: write one with 'oktascim init', or name the file with -f"))
	}
	o.path = path
	file, err := config.Load(o.path, config.LoadOptions{LookupEnv: lookup, Stdin: f.io.In, SCIMSecretsUnused: use == scimSecretsUnused, AllowSharedSecretFiles: f.allowSharedSecrets()})
	if err != nil {
		return nil, nil, err
	}
	f.warnProblems(file.Warnings)
	selected := file.Integrations
	if len(o.names) > 0 {
		selected = nil
		for _, n := range o.names {
			in, ok := file.Integration(n)
			if !ok {
				var known []string
				for _, i := range file.Integrations {
					known = append(known, i.Name)
				}
				sort.Strings(known)
				return nil, nil, exitcode.With(exitcode.Invalid, fmt.Errorf("--name %s: no such integration in %s (it has: %s)", n, o.path, strings.Join(known, ", ")))
			}
			selected = append(selected, *in)
		}
	}
	return file, selected, nil
}

// allowSharedSecrets: --allow-shared-secret-files, or its environment variable. Never
// the file itself: a file that could allow itself could send any readable file.
func (f *factory) allowSharedSecrets() bool {
	v, _ := f.lookupEnv(config.AllowSharedSecretsEnv)
	return f.allowShared || v == "1" || strings.EqualFold(v, "true")
}

// maskSecrets resolves every secret the integrations reference and registers it for
// masking. SCIM secrets stay visible only with --show-secrets, where the user asked.
func (f *factory) maskSecrets(ins []config.Integration) error {
	for _, in := range ins {
		for _, ref := range in.SecretRefs() {
			s, err := ref.Resolve()
			if err != nil {
				return exitcode.With(exitcode.Invalid, fmt.Errorf("integration %s: %w", in.Name, err))
			}
			if ref == in.SCIM.Auth.Password {
				f.secrets.AddBasic(in.SCIM.Auth.Username, s.Value())
			} else {
				f.secrets.Add(s.Value())
			}
		}
	}
	return nil
}

// connect resolves the org settings (see resolveOrg) and builds the Okta client. It
// makes no request.
func (f *factory) connect(ctx context.Context, file *config.File, lookup func(string) (string, bool)) (*okta.Client, error) {
	settings, err := f.resolveOrg(file, lookup)
	if err != nil {
		return nil, exitcode.With(exitcode.Invalid, err)
	}
	c, err := okta.NewClient(ctx, f.clientSettings(settings))
	if err != nil {
		return nil, exitcode.With(exitcode.Invalid, err)
	}
	return c, nil
}

// resolveOrg picks the org settings (flags > --profile > env > $OKTASCIM_PROFILE >
// the file's org block > ~/.okta/okta.yaml, see config.ResolveOrg), prints the
// warnings and registers every secret for masking.
func (f *factory) resolveOrg(file *config.File, lookup func(string) (string, bool)) (config.OrgSettings, error) {
	flags := config.OrgFlags{URL: f.orgURL, Profile: f.profile}
	if f.simToken != "" {
		// With --sim the simulator's org and token win over any profile or env.
		flags.Token, flags.TokenFrom = f.simToken, "--sim"
	}
	settings, warnings, err := config.ResolveOrg(flags, file, config.ResolveOptions{LookupEnv: lookup, Stdin: f.io.In, AllowSharedSecretFiles: f.allowSharedSecrets()})
	f.warnProblems(warnings)
	f.secrets.Add(settings.Secrets()...)
	if err == nil && settings.AuthMode != config.ModePrivateKey && strings.HasPrefix(strings.ToUpper(settings.Token.Value()), "SSWS ") {
		// Okta would answer 401 to "SSWS SSWS …"; say why before sending it.
		err = fmt.Errorf("the API token (%s) starts with \"SSWS \": set the token alone, oktascim sends the SSWS scheme itself", settings.Sources["token"])
	}
	return settings, err
}

// clientSettings are the Okta client's settings for the resolved org settings.
func (f *factory) clientSettings(o config.OrgSettings) okta.Settings {
	s := okta.Settings{OrgURL: o.URL, Base: f.base, RateShare: f.rateShare, Timeout: f.timeout, Redact: f.secrets}
	switch o.AuthMode {
	case config.ModePrivateKey:
		s.AuthMode, s.ClientID, s.PrivateKey, s.PrivateKeyID, s.Scopes = okta.AuthPrivateKey, o.ClientID, o.PrivateKey, o.PrivateKeyID, o.Scopes
	default:
		s.AuthMode, s.Token = okta.AuthSSWS, o.Token
	}
	if f.io.ErrTTY && !f.structured() {
		s.Progress = f.io.ErrOut
	}
	if f.debug {
		s.Trace = f.io.ErrOut
	}
	return s
}

// target is what a command works on: the file's selected integrations, a client for
// the org, and (with --sim) the stand-ins.
type target struct {
	file        *config.File
	selected    []config.Integration
	client      *okta.Client
	orgURL      string
	showSecrets bool
	parallelism int
	manual      apply.ManualHandler
	close       func()
}

// scimSecrets says what a command does with the integrations' SCIM secrets: a command
// that never sends them (plan, status, destroy, logs) does not resolve them, so it
// works where they are not set; the others resolve them up front (an unset one is
// invalid input, exit 2) and mask them unless the user asked to see them.
type scimSecrets int

const (
	scimSecretsUnused scimSecrets = iota
	scimSecretsMasked
	scimSecretsShown
)

// open loads the file, starts the stand-ins with --sim and connects to the org.
func (f *factory) open(ctx context.Context, fo fileOptions, so simOptions, use scimSecrets) (*target, error) {
	showSecrets := use == scimSecretsShown
	if err := f.checkOutput(); err != nil {
		return nil, err
	}
	t := &target{close: func() {}, showSecrets: showSecrets}
	lookup := f.lookupEnv
	if so.enabled {
		env, simLookup, err := f.startSim(so)
		if err != nil {
			return nil, err
		}
		t.close = env.Close
		lookup, t.manual = simLookup, adminStandIn(env, so.adminDelay)
	}
	fail := func(err error) (*target, error) {
		t.close()
		return nil, err
	}
	file, selected, err := f.loadFile(fo, lookup, use)
	if err != nil {
		return fail(err)
	}
	if use == scimSecretsMasked {
		if err := f.maskSecrets(selected); err != nil {
			return fail(err)
		}
	}
	client, err := f.connect(ctx, file, lookup)
	if err != nil {
		return fail(err)
	}
	t.file, t.selected, t.client, t.orgURL, t.parallelism = file, selected, client, client.OrgURL(), f.parallelism
	return t, nil
}

// options are the apply options for the target; report may be nil.
func (t *target) options(report func(apply.Event)) apply.Options {
	return apply.Options{Client: t.client, Integrations: t.selected, AllIntegrations: t.file.Integrations, Report: report, Manual: t.manual, ShowSecrets: t.showSecrets, Parallelism: t.parallelism}
}

// simOptions are the flags that run a command against the built-in stand-ins.
type simOptions struct {
	enabled       bool
	connectionAPI bool
	adminDelay    time.Duration
	variants      []string // NAME=VALUE (sim/oktaorg/variants.go, docs/variants.md)
}

func (o *simOptions) bind(cmdFlags interface {
	BoolVar(*bool, string, bool, string)
	DurationVar(*time.Duration, string, time.Duration, string)
	StringArrayVar(*[]string, string, []string, string)
}) {
	cmdFlags.BoolVar(&o.enabled, "sim", false, "run against the built-in Okta org simulator and SCIM test servers (no org needed); an admin stand-in does the manual steps")
	cmdFlags.BoolVar(&o.connectionAPI, "sim-connection-api", false, "with --sim: let the simulator accept the Provisioning Connection API for template apps (real Okta does not)")
	cmdFlags.DurationVar(&o.adminDelay, "sim-admin-delay", 300*time.Millisecond, "with --sim: how long the admin stand-in takes to do a manual step")
	cmdFlags.StringArrayVar(&o.variants, "sim-variant", nil, "with --sim: NAME=VALUE, how the simulator answers where Okta's behaviour is unconfirmed (repeatable; see docs/variants.md)")
}

// startSim starts the stand-ins and returns the environment lookup that points the
// file and the org settings at them.
func (f *factory) startSim(o simOptions) (*simenv.Env, func(string) (string, bool), error) {
	variants, err := oktaorg.ParseVariants(o.variants)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("--sim-variant: %w", err)}
	}
	env, err := simenv.Start(simenv.Options{AcceptConnectionAPI: o.connectionAPI, Org: oktaorg.Options{Variants: variants}})
	if err != nil {
		return nil, nil, err
	}
	f.secrets.Add(env.Secrets()...)
	fmt.Fprintf(f.io.ErrOut, "sim: Okta org simulator at %s\n     SCIM 2.0 server at %s\n     SCIM 1.1 server at %s\n", env.OrgURL, env.SCIM20.URL, env.SCIM11.URL)
	// The sim's org wins over any org the environment, a profile or the file names.
	f.orgURL, f.simToken = env.OrgURL, env.Token
	return env, env.LookupEnv(f.lookupEnv), nil
}
