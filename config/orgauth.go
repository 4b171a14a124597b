package config

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// OrgAuth is how the tool authenticates to the org when it is not an API token: an
// OAuth 2.0 service app (client credentials with a private key). It is the org
// block's (or a profile's) auth.
type OrgAuth struct {
	Mode       string     // AuthModePrivateKey
	ClientID   string     // the service app's client id
	KeyID      string     // the kid of its public key ("" when the app has one key)
	PrivateKey *SecretRef // PEM or JWK, as a reference
	Scopes     []string   // nil: the tool's default scopes
	Pos        Position
}

// The file's words for the authorization modes.
const (
	AuthModePrivateKey = "privateKey"
)

var scopePattern = regexp.MustCompile(`^[A-Za-z0-9_.:/-]+$`)

// orgAuth reads auth: { mode: privateKey, clientId, keyId, privateKey: {…}, scopes }.
func (d *decoder) orgAuth(n *yaml.Node, path string) *OrgAuth {
	f, ok := d.mapping(n, path, "mode", "clientId", "keyId", "privateKey", "scopes")
	if !ok {
		return nil
	}
	a := &OrgAuth{Pos: d.pos(n)}
	d.require(f, path, "mode", "clientId", "privateKey")
	if m := f.get("mode"); !isNull(m) {
		a.Mode, _ = d.enum(m, join(path, "mode"), AuthModePrivateKey)
	}
	if c := f.get("clientId"); !isNull(c) {
		if s, ok := d.str(c, join(path, "clientId")); ok {
			if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t") {
				d.errorf(c, join(path, "clientId"), "must be the service app's client id, e.g. 0oa1bcd2efGHIJKL3m4n")
			}
			a.ClientID = strings.TrimSpace(s)
		}
	}
	a.KeyID = strings.TrimSpace(d.optString(f, "keyId", path))
	if k := f.get("privateKey"); !isNull(k) {
		a.PrivateKey = d.secretRef(k, join(path, "privateKey"), "OKTA_PRIVATE_KEY")
	}
	if sn := f.get("scopes"); !isNull(sn) {
		a.Scopes = d.scopes(sn, join(path, "scopes"))
	}
	return a
}

// scopes reads a non-empty list of OAuth scope names.
func (d *decoder) scopes(n *yaml.Node, path string) []string {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list of scopes, e.g. [okta.apps.manage, okta.groups.read, okta.logs.read], got %s", describe(n))
		return nil
	}
	if len(n.Content) == 0 {
		d.errorf(n, path, "is empty: list the scopes to request, or leave it out for the default")
		return nil
	}
	var out []string
	seen := map[string]int{}
	for i, v := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, ok := d.str(v, p)
		if !ok {
			continue
		}
		switch {
		case !scopePattern.MatchString(s):
			d.errorf(v, p, "%q is not a scope name (one scope an item, e.g. okta.apps.manage)", s)
		case seen[s] > 0:
			d.errorf(v, p, "scope %s is listed twice (also at line %d)", s, seen[s])
		default:
			seen[s] = v.Line
			out = append(out, s)
		}
	}
	return out
}
