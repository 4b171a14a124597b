// Package acceptance runs the end-to-end scenarios of internal/scenario — the same list the
// simulator tests run — against a real Okta org:
//
//	OKTASCIM_ACCEPTANCE_ORG=https://dev-123.okta.com \
//	OKTASCIM_ACCEPTANCE_DISPOSABLE=https://dev-123.okta.com \
//	OKTASCIM_ACCEPTANCE_TOKEN=… OKTASCIM_ACCEPTANCE_SCIM_URL=https://scim.example.com/scim/v2 \
//	OKTASCIM_ACCEPTANCE_SCIM_TOKEN=… go test -tags acceptance -timeout 3h -v ./acceptance/
//
// The suite is behind the build tag acceptance (CI only compiles it). It refuses to run unless
// OKTASCIM_ACCEPTANCE_DISPOSABLE names the org again: it creates and deletes apps there. Every
// app it makes carries a name and label prefix unique to the run (oktascim-acc-<random>), and
// a cleanup deactivates and deletes each app carrying it, even when a scenario fails.
//
// This file (no build tag, so its test runs in CI) holds the settings and the cleanup;
// acceptance_test.go holds the suite.
package acceptance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/oktascim/oktascim/okta"
)

// The environment the suite reads.
const (
	VarOrg          = "OKTASCIM_ACCEPTANCE_ORG"           // the org URL
	VarDisposable   = "OKTASCIM_ACCEPTANCE_DISPOSABLE"    // the org URL again: "this org may be changed at will"
	VarToken        = "OKTASCIM_ACCEPTANCE_TOKEN"         // an SSWS API token (or OKTA_CLIENT_TOKEN)
	VarSCIMURL      = "OKTASCIM_ACCEPTANCE_SCIM_URL"      // a public SCIM 2.0 test server Okta's cloud can reach
	VarSCIM11URL    = "OKTASCIM_ACCEPTANCE_SCIM11_URL"    // optional: a SCIM 1.1 one
	VarSCIMToken    = "OKTASCIM_ACCEPTANCE_SCIM_TOKEN"    // its token (header and oauth scenarios)
	VarSCIMUser     = "OKTASCIM_ACCEPTANCE_SCIM_USERNAME" // its basic auth user (basic scenarios)
	VarSCIMPassword = "OKTASCIM_ACCEPTANCE_SCIM_PASSWORD" // … and password
	VarGroups       = "OKTASCIM_ACCEPTANCE_GROUPS"        // groups to assign, comma-separated (default Everyone)
	VarAdmin        = "OKTASCIM_ACCEPTANCE_ADMIN"         // 1: a person does the manual steps apply --wait prints
	VarBinary       = "OKTASCIM_ACCEPTANCE_BINARY"        // optional: the oktascim binary to test (default: built from this module)
	VarSweep        = "OKTASCIM_ACCEPTANCE_SWEEP"         // 1: also delete apps left by earlier, interrupted runs
)

// StampPrefix starts the prefix of every run.
const StampPrefix = "oktascim-acc-"

// Settings are the suite's, read from the environment.
type Settings struct {
	Org, Token                      string
	SCIM20URL, SCIM11URL            string
	SCIMToken, SCIMUser, SCIMPasswd string
	Groups                          []string
	Admin, Sweep                    bool
	Binary                          string
}

// FromEnv reads the settings, or says why the suite must not run.
func FromEnv(lookup func(string) (string, bool)) (Settings, error) {
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	var s Settings
	org, err := orgURL(get(VarOrg))
	if err != nil {
		return s, fmt.Errorf("%s: %w (the acceptance suite needs a real, disposable Okta org)", VarOrg, err)
	}
	disposable, _ := orgURL(get(VarDisposable))
	if disposable != org {
		return s, fmt.Errorf("refusing to run: the acceptance suite creates, changes and deletes apps in %s; "+
			"set %s=%s to confirm that this org is disposable", org, VarDisposable, org)
	}
	s.Org = org
	if s.Token = get(VarToken); s.Token == "" {
		s.Token = get("OKTA_CLIENT_TOKEN")
	}
	if s.Token == "" {
		return s, fmt.Errorf("%s (or OKTA_CLIENT_TOKEN) is not set: an API token of an admin who may create and delete apps", VarToken)
	}
	if s.SCIM20URL, err = scimURL(get(VarSCIMURL)); err != nil {
		return s, fmt.Errorf("%s: %w (a public SCIM 2.0 test server that Okta's cloud can reach)", VarSCIMURL, err)
	}
	if v := get(VarSCIM11URL); v != "" {
		if s.SCIM11URL, err = scimURL(v); err != nil {
			return s, fmt.Errorf("%s: %w", VarSCIM11URL, err)
		}
	}
	s.SCIMToken, s.SCIMUser, s.SCIMPasswd = get(VarSCIMToken), get(VarSCIMUser), get(VarSCIMPassword)
	if s.SCIMToken == "" && (s.SCIMUser == "" || s.SCIMPasswd == "") {
		return s, fmt.Errorf("no SCIM credentials: set %s, or %s and %s", VarSCIMToken, VarSCIMUser, VarSCIMPassword)
	}
	s.Groups = []string{"Everyone"}
	if v := get(VarGroups); v != "" {
		s.Groups = nil
		for _, g := range strings.Split(v, ",") {
			if g = strings.TrimSpace(g); g != "" {
				s.Groups = append(s.Groups, g)
			}
		}
	}
	s.Admin, s.Sweep, s.Binary = get(VarAdmin) == "1", get(VarSweep) == "1", get(VarBinary)
	return s, nil
}

func orgURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("not set")
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	switch {
	case err != nil || u.Host == "":
		return "", fmt.Errorf("%q is not a URL", raw)
	case u.Scheme != "https":
		return "", fmt.Errorf("%s must be an https URL of a real org (the simulator tests cover everything else)", raw)
	case u.Path != "" || u.RawQuery != "":
		return "", fmt.Errorf("%s: the org URL has no path, e.g. https://dev-123.okta.com", raw)
	case strings.Contains(u.Hostname(), "-admin."):
		return "", fmt.Errorf("%s is the Admin Console's host; use the org URL without -admin", raw)
	}
	return "https://" + strings.ToLower(u.Host), nil
}

func scimURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("not set")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%s must be an https URL (Okta's cloud calls it)", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// NewRunPrefix is a prefix unique to one run: StampPrefix and 8 random hex digits.
func NewRunPrefix() string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return StampPrefix + hex.EncodeToString(b)
}

// Made says whether app was made by the run with prefix: its stamp names one of the
// run's integrations, or its label starts with the run's prefix. An empty prefix
// matches every run's apps (the sweep).
func Made(app okta.App, prefix string) bool {
	if prefix == "" {
		prefix = StampPrefix
	}
	name, _ := okta.StampedName(app.AdminNote)
	return strings.HasPrefix(name, prefix) || strings.HasPrefix(app.Label, prefix)
}

// Cleanup deactivates and deletes every app of the org that Made(app, prefix), then lists
// the apps again to verify that none is left. It returns what it deleted and every failure.
func Cleanup(ctx context.Context, c *okta.Client, prefix string) (deleted []string, err error) {
	apps, err := c.ListApps(ctx)
	if err != nil {
		return nil, fmt.Errorf("cleanup: %w", err)
	}
	var errs []error
	for _, a := range apps {
		if !Made(a, prefix) {
			continue
		}
		if a.Status == "ACTIVE" {
			if err := c.DeactivateApp(ctx, a.ID); err != nil && !okta.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("cleanup: %s %q: %w", a.ID, a.Label, err))
				continue
			}
		}
		if err := c.DeleteApp(ctx, a.ID); err != nil && !okta.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("cleanup: %s %q: %w", a.ID, a.Label, err))
			continue
		}
		deleted = append(deleted, fmt.Sprintf("%s %q", a.ID, a.Label))
	}
	if apps, err = c.ListApps(ctx); err != nil {
		errs = append(errs, fmt.Errorf("cleanup: list again: %w", err))
	}
	for _, a := range apps {
		if Made(a, prefix) {
			errs = append(errs, fmt.Errorf("cleanup: %s %q is still in the org", a.ID, a.Label))
		}
	}
	return deleted, errors.Join(errs...)
}
