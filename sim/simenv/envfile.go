package simenv

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// VarSimToken is where `oktascim sim` takes a chosen org token from: never from
// OKTA_CLIENT_TOKEN, which may hold a real org's token (an env file the simulator
// wrote is another matter: its OKTA_CLIENT_TOKEN is the simulator's).
const VarSimToken = "OKTASCIM_SIM_TOKEN"

// tokenChars are the characters a chosen credential may have: they print in shell
// lines unquoted.
var tokenChars = regexp.MustCompile(`^[A-Za-z0-9._~+/=:-]{8,200}$`)

// CheckCredential says why a chosen credential cannot be used ("" if it can).
func CheckCredential(v string) error {
	if !tokenChars.MatchString(v) {
		return errors.New("8 to 200 characters from A-Z a-z 0-9 . _ ~ + / = : -")
	}
	return nil
}

// CheckListen refuses an address the stand-ins may not listen on: they are loopback only.
func CheckListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("listen address %q: the simulator listens on loopback only (127.0.0.1, ::1, localhost)", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("listen address %q: port: %w", addr, err)
	}
	return nil
}

// ReadEnvFile reads the export lines an earlier `oktascim sim --env-file` wrote; a
// missing file is no error (nil map).
func ReadEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s:%d: not an export line written by oktascim sim: %q", path, n, line)
		}
		vars[k] = v
	}
	return vars, sc.Err()
}

// Reuse fills what o leaves empty from the variables of an earlier run (an env file):
// the same ports and credentials, so what sourced that file keeps working.
func (o *Options) Reuse(vars map[string]string) {
	hostOf := func(k string) string {
		u, err := url.Parse(vars[k])
		if err != nil || u.Port() == "" {
			return ""
		}
		return u.Host
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&o.Listen, hostOf(VarOrgURL))
	fill(&o.SCIMListen, hostOf(VarSCIMURL))
	fill(&o.Token, vars[VarOrgToken])
	fill(&o.SCIMToken, vars[VarSCIMToken])
	fill(&o.SCIMPassword, vars[VarSCIMPassword])
	fill(&o.OAuthClientSecret, vars[VarOAuthClientSecret])
}

// CredentialsFromEnv fills the credentials o leaves empty from the environment.
func (o *Options) CredentialsFromEnv(lookup func(string) (string, bool)) {
	for k, dst := range map[string]*string{VarSimToken: &o.Token, VarSCIMToken: &o.SCIMToken, VarSCIMPassword: &o.SCIMPassword, VarOAuthClientSecret: &o.OAuthClientSecret} {
		if v, ok := lookup(k); ok && *dst == "" {
			*dst = v
		}
	}
}

// Check validates the addresses and chosen credentials, naming what is wrong.
func (o *Options) Check() error {
	for _, a := range []struct{ name, v string }{{"--listen", o.Listen}, {"--scim-listen", o.SCIMListen}} {
		if a.v == "" {
			continue
		}
		if err := CheckListen(a.v); err != nil {
			return fmt.Errorf("%s: %w", a.name, err)
		}
	}
	for _, c := range []struct{ name, v string }{{"org token", o.Token}, {"SCIM token", o.SCIMToken}, {"SCIM password", o.SCIMPassword}, {"OAuth client secret", o.OAuthClientSecret}} {
		if c.v == "" {
			continue
		}
		if err := CheckCredential(c.v); err != nil {
			return fmt.Errorf("the simulator's %s: %w", c.name, err)
		}
	}
	return nil
}

// WriteEnvFile writes the export lines to path (mode 0600), replacing it at once, so a
// reader never sees half a file.
func WriteEnvFile(path string, lines []string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".oktascim-sim-*.env")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	content := "# oktascim sim: the simulator's address and credentials (simulator-only, loopback).\n" +
		"# Source it (set -a; . FILE; set +a) or eval it; `oktascim sim --env-file FILE` reuses it.\n" +
		strings.Join(lines, "\n") + "\n"
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
