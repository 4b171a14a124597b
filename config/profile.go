package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// The tool's own config file holds named org settings (profiles) for several orgs:
//
//	profiles:
//	  dev:
//	    url: https://dev-123456.okta.com
//	    token: { env: DEV_OKTA_TOKEN }
//	  prod:
//	    url: https://acme.okta.com
//	    auth:
//	      mode: privateKey
//	      clientId: 0oa1bcd2efGHIJKL3m4n
//	      privateKey: { file: keys/prod.pem }
//	      scopes: [okta.apps.manage, okta.groups.read, okta.logs.read]
//
// A profile is an org block: url, and token or auth, with secrets as references.
const (
	// ConfigPathEnv names the tool's config file instead of the default
	// os.UserConfigDir()/oktascim/config.yaml.
	ConfigPathEnv = "OKTASCIM_CONFIG"
	// ProfileEnv names the profile to use when --profile is not given.
	ProfileEnv = "OKTASCIM_PROFILE"
)

var profileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// ToolConfigPath is where the tool's config file is: $OKTASCIM_CONFIG, or
// oktascim/config.yaml in the user config directory (~/.config on Linux,
// ~/Library/Application Support on macOS, %AppData% on Windows).
func ToolConfigPath(lookup func(string) (string, bool)) (string, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if p, ok := lookup(ConfigPathEnv); ok && strings.TrimSpace(p) != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory (%v): set %s to the config file", err, ConfigPathEnv)
	}
	return filepath.Join(dir, "oktascim", "config.yaml"), nil
}

// LoadProfile reads profile name from the tool's config file at path. Problems in
// the profile, or in the file's structure, come back as Problems with file:line:col;
// other profiles are not resolved (their env variables need not be set). Warnings
// are what the profile's values deserve (http on loopback, a readable key file).
func LoadProfile(path, name string, opts LoadOptions) (*Org, []Problem, error) {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("profile %q: the config file %s does not exist; create it with profiles: { %s: { url: https://YOUR-ORG.okta.com, token: { env: NAME } } } (or set %s to another file)", name, path, name, ConfigPathEnv)
	}
	if err != nil {
		return nil, nil, Problems{{File: path, Message: "cannot read the file: " + cleanPathError(err).Error()}}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, nil, Problems{{File: path, Message: "is a directory, not the oktascim config file"}}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, Problems{{File: path, Message: "cannot read the file: " + cleanPathError(err).Error()}}
	}
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	d := &decoder{file: path, dir: dir, lookup: opts.LookupEnv, stdin: &stdinSource{r: opts.Stdin}, allowShared: opts.AllowSharedSecretFiles}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 0 {
		return nil, nil, Problems{{File: path, Line: 1, Column: 1, Message: "the config file is empty; it needs profiles: { NAME: { url: …, token: { env: NAME } } }"}}
	}
	root := d.parse(data)
	if root == nil {
		return nil, nil, Problems(d.problems)
	}
	org := d.profile(root, name)
	sortProblems(d.problems)
	sortProblems(d.warnings)
	if len(d.problems) > 0 {
		return nil, nil, Problems(d.problems)
	}
	return org, d.warnings, nil
}

func (d *decoder) profile(root *yaml.Node, name string) *Org {
	top, ok := d.mapping(root, "", "profiles")
	if !ok {
		return nil
	}
	list := top.get("profiles")
	if isNull(list) {
		d.errorf(root, "profiles", "is required: profiles: { %s: { url: …, token: { env: NAME } } }", name)
		return nil
	}
	if list.Kind != yaml.MappingNode {
		d.errorf(list, "profiles", "must be a mapping of profile names to org settings, got %s", describe(list))
		return nil
	}
	var names []string
	var found *yaml.Node
	for i := 0; i+1 < len(list.Content); i += 2 {
		k, v := list.Content[i], list.Content[i+1]
		if k.Kind != yaml.ScalarNode || !profileName.MatchString(k.Value) {
			d.errorf(k, "profiles", "%q is not a profile name (letters, digits, _ . -)", k.Value)
			continue
		}
		if contains(names, k.Value) {
			d.errorf(k, join("profiles", k.Value), "duplicate profile")
			continue
		}
		names = append(names, k.Value)
		if k.Value == name {
			found = v
		}
	}
	if found == nil {
		sort.Strings(names)
		have := "none"
		if len(names) > 0 {
			have = strings.Join(names, ", ")
		}
		d.problems = append(d.problems, Problem{File: d.file, Line: list.Line, Column: list.Column, Field: "profiles",
			Message: fmt.Sprintf("no profile %q (the file has: %s)", name, have)})
		return nil
	}
	path := join("profiles", name)
	if isNull(found) {
		d.errorf(found, path, "is empty; a profile needs url, and token or auth")
		return nil
	}
	return d.orgAt(found, path)
}
