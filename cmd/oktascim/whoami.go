package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
)

func newWhoamiCmd(f *factory) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Show which Okta org and identity oktascim uses, and where each setting came from",
		Long: `whoami resolves the org settings as every command does (flags, --profile, OKTA_CLIENT_*
env, $OKTASCIM_PROFILE, the file's org block, ~/.okta/okta.yaml) and asks Okta who they are:
the org (URL, id from /.well-known/okta-organization) and the identity — the API token's
admin (SSWS) or the OAuth service app with the scopes its access token was granted
(PrivateKey) — with where each setting came from. No secret is shown. Exit 0 when Okta
accepted the credentials, 4 when it refused them, 2 when the settings are incomplete.`,
		Example: `  oktascim whoami
  oktascim whoami --profile prod -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runWhoami(cmd, f, path) },
	}
	cmd.Flags().StringVarP(&path, "file", "f", "oktascim.yaml", "the oktascim file whose org block counts (skipped when the default is absent)")
	return cmd
}

// whoami is what the command reports.
type whoami struct {
	Org      whoamiOrg         `json:"org"`
	AuthMode string            `json:"authMode"` // SSWS | PrivateKey
	Profile  string            `json:"profile,omitempty"`
	Identity whoamiIdentity    `json:"identity"`
	Scopes   *whoamiScopes     `json:"scopes,omitempty"`
	Sources  map[string]string `json:"sources"`
	Error    string            `json:"error,omitempty"`
}

type whoamiOrg struct {
	URL      string `json:"url"`
	ID       string `json:"id,omitempty"`
	Pipeline string `json:"pipeline,omitempty"`
}

type whoamiIdentity struct {
	Type     string `json:"type"` // user | serviceApp
	ID       string `json:"id,omitempty"`
	Login    string `json:"login,omitempty"`
	ClientID string `json:"clientId,omitempty"`
	KeyID    string `json:"keyId,omitempty"`
}

type whoamiScopes struct {
	Requested  []string  `json:"requested"`
	Granted    []string  `json:"granted"`
	NotGranted []string  `json:"notGranted"`
	Expires    time.Time `json:"tokenExpires,omitzero"`
}

func runWhoami(cmd *cobra.Command, f *factory, path string) error {
	if err := f.checkOutput(); err != nil {
		return err
	}
	ctx := cmd.Context()
	var file *config.File
	fo := fileOptions{path: path, flag: cmd.Flags().Lookup("file")}
	if _, found := fo.resolve(); found {
		var err error
		if file, _, err = f.loadFile(fo, f.lookupEnv, scimSecretsUnused); err != nil {
			return err
		}
	}
	settings, err := f.resolveOrg(file, f.lookupEnv)
	if err != nil {
		return exitcode.With(exitcode.Invalid, err)
	}
	c, err := okta.NewClient(ctx, f.clientSettings(settings))
	if err != nil {
		return exitcode.With(exitcode.Invalid, err)
	}
	w := whoami{Org: whoamiOrg{URL: c.OrgURL()}, AuthMode: settings.AuthMode, Profile: settings.Profile, Sources: settings.Sources}
	fail := func(code int, err error) error {
		w.Error = err.Error()
		if f.structured() {
			if werr := writeDoc(f.io.Out, f.output, "whoami", code, w); werr != nil {
				return werr
			}
			fmt.Fprintln(f.io.ErrOut, "error:", err)
			return silent(code)
		}
		printWhoami(f.io.Out, w)
		return exitcode.With(code, err)
	}
	meta, err := c.Metadata(ctx)
	if err != nil {
		return fail(exitcode.Of(err), fmt.Errorf("the org does not answer as an Okta org: %w", err))
	}
	w.Org.ID, w.Org.Pipeline = meta.ID, meta.Pipeline
	switch c.AuthMode() {
	case okta.AuthPrivateKey:
		app, err := c.ServiceApp(ctx)
		w.Identity = whoamiIdentity{Type: "serviceApp", ClientID: app.ClientID, KeyID: app.KeyID}
		w.Scopes = &whoamiScopes{Requested: app.Requested, Granted: app.Granted, NotGranted: app.NotGranted(), Expires: app.Expires}
		if err != nil {
			w.Scopes.Granted, w.Scopes.NotGranted = []string{}, []string{}
			return fail(exitcode.Of(err), err)
		}
	default:
		w.Identity = whoamiIdentity{Type: "user"}
		me, err := c.Me(ctx)
		if err != nil {
			return fail(exitcode.Of(err), err)
		}
		w.Identity.ID, w.Identity.Login = me.ID, me.Login
	}
	if f.structured() {
		return writeDoc(f.io.Out, f.output, "whoami", exitcode.OK, w)
	}
	printWhoami(f.io.Out, w)
	return nil
}

func printWhoami(out io.Writer, w whoami) {
	line := func(k, v string) {
		if k != "" {
			k += ":"
		}
		fmt.Fprintf(out, "%-9s %s\n", k, v)
	}
	org := w.Org.URL
	if w.Org.ID != "" {
		org += " (org " + w.Org.ID + ", " + map[bool]string{true: "Identity Engine", false: "Classic Engine"}[w.Org.Pipeline == "idx"] + ")"
	}
	line("org", org)
	switch w.AuthMode {
	case config.ModePrivateKey:
		line("auth", "OAuth 2.0 service app (PrivateKey: client credentials, private key JWT)")
		id := "service app " + w.Identity.ClientID
		if w.Identity.KeyID != "" {
			id += " (key id " + w.Identity.KeyID + ")"
		}
		line("identity", id)
		switch {
		case w.Scopes == nil:
		case w.Error != "":
			line("scopes", orNone(w.Scopes.Requested)+" (requested; no access token)")
		default:
			line("scopes", orNone(w.Scopes.Granted)+" (granted)")
			if len(w.Scopes.NotGranted) > 0 {
				line("", "not granted: "+strings.Join(w.Scopes.NotGranted, " "))
			}
		}
	default:
		line("auth", "API token (SSWS)")
		if w.Identity.Login != "" {
			line("identity", w.Identity.Login+" ("+w.Identity.ID+")")
		}
	}
	if w.Profile != "" {
		line("profile", w.Profile)
	}
	keys := make([]string, 0, len(w.Sources))
	for k := range w.Sources {
		keys = append(keys, k)
	}
	order := map[string]int{"url": 0, "mode": 1, "token": 2, "clientId": 3, "privateKey": 4, "privateKeyId": 5, "scopes": 6}
	sort.Slice(keys, func(i, j int) bool { return order[keys[i]] < order[keys[j]] })
	for i, k := range keys {
		label := ""
		if i == 0 {
			label = "from"
		}
		line(label, k+": "+w.Sources[k])
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}
