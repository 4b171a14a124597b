package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var namePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// DefaultActions are the provisioning actions on by default (documented): the job of
// a SCIM integration is to create, update and deactivate users.
func DefaultActions() []string { return []string{"createUsers", "updateUsers", "deactivateUsers"} }

var appNamePattern = regexp.MustCompile(`^[a-z0-9_]{1,100}$`)

func (d *decoder) decodeFile(root *yaml.Node) *File {
	file := &File{}
	top, ok := d.mapping(root, "", "version", "org", "integrations")
	if !ok {
		return file
	}
	if isNull(root) {
		d.errorf(root, "", "the file is empty; it needs at least version: 1 and integrations")
		return file
	}
	if v := top.get("version"); isNull(v) {
		d.errorf(root, "version", "is required: write version: 1 at the top of the file")
	} else if v.Tag == "!!str" && strings.TrimSpace(v.Value) == "1" {
		d.errorf(v, "version", "must be the number 1, got a string; write version: 1 without quotes")
	} else if v.Tag != "!!int" || v.Value != "1" {
		d.errorf(v, "version", "must be 1 (the only format version this oktascim reads), got %s", describe(v))
	} else {
		file.Version = 1
	}
	if n := top.get("org"); !isNull(n) {
		file.Org = d.org(n)
	}
	list := top.get("integrations")
	switch {
	case isNull(list):
		d.errorf(root, "integrations", "is required: list at least one integration")
	case list.Kind != yaml.SequenceNode:
		d.errorf(list, "integrations", "must be a list, got %s", describe(list))
	case len(list.Content) == 0:
		d.errorf(list, "integrations", "is empty: list at least one integration")
	default:
		names := map[string]int{}
		for i, item := range list.Content {
			in := d.integration(item, fmt.Sprintf("integrations[%d]", i))
			if in.Name == "" {
				continue
			}
			if first, dup := names[in.Name]; dup {
				d.errorf(item, fmt.Sprintf("integrations[%d].name", i), "duplicate name %q (also at line %d); names must be unique", in.Name, first)
				continue
			}
			names[in.Name] = item.Line
			file.Integrations = append(file.Integrations, in)
		}
	}
	if len(d.stdinUse) > 1 {
		for _, p := range d.stdinUse[1:] {
			d.problems = append(d.problems, Problem{File: d.file, Line: p.Line, Column: p.Column, Field: p.Field, Message: fmt.Sprintf("only one secret can come from stdin (the first is %s at line %d)", d.stdinUse[0].Field, d.stdinUse[0].Line)})
		}
	}
	return file
}

func (d *decoder) org(n *yaml.Node) *Org { return d.orgAt(n, "org") }

// orgAt reads an org block (the file's, or a profile's at path).
func (d *decoder) orgAt(n *yaml.Node, path string) *Org {
	f, ok := d.mapping(n, path, "url", "token", "auth")
	if !ok {
		return nil
	}
	o := &Org{Pos: d.pos(n)}
	if u := f.get("url"); !isNull(u) {
		o.URL = d.checkedURL(u, join(path, "url"), CheckOrgURL)
	}
	if !isNull(f.get("token")) && !isNull(f.get("auth")) {
		d.errorf(f.keyNode("auth"), join(path, "auth"), "use either token (an API token) or auth (an OAuth service app), not both")
		return o
	}
	if t := f.get("token"); !isNull(t) {
		o.Token = d.secretRef(t, join(path, "token"), "OKTA_API_TOKEN")
	}
	if a := f.get("auth"); !isNull(a) {
		o.Auth = d.orgAuth(a, join(path, "auth"))
	}
	return o
}

func (d *decoder) integration(n *yaml.Node, path string) Integration {
	in := Integration{Pos: d.pos(n)}
	f, ok := d.mapping(n, path, "name", "kind", "label", "scim", "signOn", "visibility", "provisioning", "groups", "mappings", "pushGroups")
	if !ok {
		return in
	}
	if isNull(n) {
		d.errorf(n, path, "is empty; an integration needs name, scim and signOn")
		return in
	}
	d.require(f, path, "name", "scim", "signOn")
	if nn := f.get("name"); !isNull(nn) {
		if s, ok := d.str(nn, join(path, "name")); ok {
			if namePattern.MatchString(s) {
				in.Name = s
			} else {
				d.errorf(nn, join(path, "name"), "%q is not a valid name: use lowercase letters, digits and -, at most 63, starting and ending with a letter or digit", s)
			}
		}
	}
	in.Label = d.optString(f, "label", path)
	if ln := f.get("label"); !isNull(ln) && ln.Tag == "!!str" && strings.TrimSpace(in.Label) == "" {
		d.errorf(ln, join(path, "label"), "must not be empty (leave it out to use the name)")
	}
	if in.Label == "" {
		in.Label = in.Name
	}
	in.Kind = KindTemplate
	if kn := f.get("kind"); !isNull(kn) {
		if k, ok := d.enum(kn, join(path, "kind"), KindTemplate, KindCustom); ok {
			in.Kind = k
		}
	}
	if sn := f.get("scim"); !isNull(sn) {
		in.SCIM = d.scim(sn, join(path, "scim"), in.Name, in.Kind)
	}
	if sn := f.get("signOn"); !isNull(sn) {
		in.SignOn = d.signOn(sn, join(path, "signOn"), in.Kind)
	}
	if vn := f.get("visibility"); vn != nil {
		vp := join(path, "visibility")
		if vf, ok := d.mapping(vn, vp, "hideWeb", "hideMobile", "autoLogin"); ok {
			in.Visibility = Visibility{
				HideWeb:    d.optBool(vf, "hideWeb", vp),
				HideMobile: d.optBool(vf, "hideMobile", vp),
				AutoLogin:  d.optBool(vf, "autoLogin", vp),
			}
		}
	}
	in.Provisioning = Provisioning{CreateUsers: true, UpdateUsers: true, DeactivateUsers: true, Defaulted: DefaultActions()}
	if pn := f.get("provisioning"); pn != nil {
		pp := join(path, "provisioning")
		if pf, ok := d.mapping(pn, pp, "createUsers", "updateUsers", "deactivateUsers", "syncPassword", "pushGroups", "importUsers", "importGroups"); ok {
			p := Provisioning{
				CreateUsers:     d.boolean(pf, "createUsers", pp, true),
				UpdateUsers:     d.boolean(pf, "updateUsers", pp, true),
				DeactivateUsers: d.boolean(pf, "deactivateUsers", pp, true),
				SyncPassword:    d.optBool(pf, "syncPassword", pp),
				PushGroups:      d.optBool(pf, "pushGroups", pp),
				ImportUsers:     d.optBool(pf, "importUsers", pp),
				ImportGroups:    d.optBool(pf, "importGroups", pp),
			}
			for _, k := range DefaultActions() {
				if isNull(pf.get(k)) {
					p.Defaulted = append(p.Defaulted, k)
				}
			}
			in.Provisioning = p
			if in.Kind == KindTemplate {
				d.forbid(pf, pp, "on a template app (Import Groups is a custom app's action)", "importGroups")
			}
		}
	}
	if gn := f.get("groups"); !isNull(gn) {
		in.Groups = d.groups(gn, join(path, "groups"))
	}
	if mn := f.get("mappings"); !isNull(mn) {
		in.Mappings = d.mappings(mn, join(path, "mappings"))
	}
	if pn := f.get("pushGroups"); !isNull(pn) {
		in.PushGroups = d.pushGroups(pn, join(path, "pushGroups"))
		if len(in.PushGroups) > 0 && !On(in.Provisioning.PushGroups) {
			d.errorf(pn, join(path, "pushGroups"), "groups are pushed only with provisioning.pushGroups: true (declare it: an omitted action is left as the org has it)")
		}
	}
	return in
}

func (d *decoder) groups(n *yaml.Node, path string) []string {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list of group names, e.g. [Engineering], got %s", describe(n))
		return nil
	}
	var out []string
	seen := map[string]int{}
	for i, g := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, ok := d.str(g, p)
		if !ok {
			continue
		}
		if strings.TrimSpace(s) == "" {
			d.errorf(g, p, "a group name must not be empty")
			continue
		}
		if first, dup := seen[s]; dup {
			d.errorf(g, p, "group %q is listed twice (also at line %d)", s, first)
			continue
		}
		seen[s] = g.Line
		out = append(out, s)
	}
	return out
}

func (d *decoder) scim(n *yaml.Node, path, name, kind string) SCIM {
	s := SCIM{Version: "2.0", UserIDField: "userName"}
	f, ok := d.mapping(n, path, "version", "baseUrl", "auth", "appName", "userIdField")
	if !ok {
		return s
	}
	d.require(f, path, "baseUrl", "auth")
	if v := f.get("version"); !isNull(v) {
		if v.Kind == yaml.ScalarNode && (v.Tag == "!!float" || v.Tag == "!!int") {
			d.errorf(v, join(path, "version"), "write the SCIM version as a quoted string, \"2.0\" or \"1.1\" (YAML reads %s as a number)", v.Value)
		} else if ver, ok := d.enum(v, join(path, "version"), "2.0", "1.1"); ok {
			s.Version = ver
		}
	}
	if b := f.get("baseUrl"); !isNull(b) {
		s.BaseURL = d.checkedURL(b, join(path, "baseUrl"), CheckBaseURL)
	}
	if a := f.get("auth"); !isNull(a) {
		s.Auth = d.auth(a, join(path, "auth"), name, kind)
	}
	if kind == KindCustom {
		d.forbid(f, path, "on a custom app (Okta names it; appName picks a template)", "appName")
	}
	if an := f.get("appName"); !isNull(an) {
		if v, ok := d.str(an, join(path, "appName")); ok {
			if appNamePattern.MatchString(v) {
				s.AppName = v
			} else {
				d.errorf(an, join(path, "appName"), "%q is not an OIN app name (lowercase letters, digits and _, e.g. scim2headerauth)", v)
			}
		}
	}
	if kind != KindCustom && s.Version == "1.1" && s.AppName == "" && (s.Auth.Method == "header" || s.Auth.Method == "basic") {
		// Never create a template whose authentication differs from the file's method.
		at := f.get("version")
		d.errorf(at, join(path, "appName"), "is required for SCIM 1.1 with method %s: the only SCIM 1.1 template name known is scim1testapp, "+
			"assumed (by analogy with scim2testapp, unconfirmed) to be the OAuth bearer variant; the Header and Basic 1.1 templates exist in Okta's catalog "+
			"under names nobody has recorded. Look the name up in the Admin Console (Applications > Browse App Catalog > SCIM 1.1) and write it as appName, "+
			"or use method oauth with scim1testapp", s.Auth.Method)
	}
	if u := f.get("userIdField"); !isNull(u) {
		if v, ok := d.str(u, join(path, "userIdField")); ok {
			if strings.TrimSpace(v) == "" {
				d.errorf(u, join(path, "userIdField"), "must not be empty (leave it out for userName)")
			} else {
				s.UserIDField = v
			}
		}
	}
	return s
}

func (d *decoder) auth(n *yaml.Node, path, name, kind string) Auth {
	var a Auth
	f, ok := d.mapping(n, path, "method", "token", "username", "password", "oauth")
	if !ok {
		return a
	}
	if !d.require(f, path, "method") {
		return a
	}
	method, ok := d.enum(f.get("method"), join(path, "method"), "basic", "header", "oauth")
	if !ok {
		return a
	}
	a.Method = method
	envBase := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	if envBase == "" {
		envBase = "APP"
	}
	switch method {
	case "basic":
		d.require(f, path, "username", "password")
		d.forbid(f, path, "with method basic (it takes username and password)", "token")
		if u := f.get("username"); !isNull(u) {
			if v, ok := d.str(u, join(path, "username")); ok {
				if strings.TrimSpace(v) == "" {
					d.errorf(u, join(path, "username"), "must not be empty")
				}
				a.Username = v
			}
		}
		if p := f.get("password"); !isNull(p) {
			a.Password = d.secretRef(p, join(path, "password"), envBase+"_SCIM_PASSWORD")
		}
	case "oauth":
		if kind == KindCustom {
			// A custom app's OAuth 2 mode: Okta gets its own tokens.
			d.require(f, path, "oauth")
			d.forbid(f, path, "with method oauth on a custom app (it takes oauth: tokenEndpoint, authorizeEndpoint, clientId, clientSecret)", "token", "username", "password")
			if o := f.get("oauth"); !isNull(o) {
				a.OAuth2 = d.oauth2(o, join(path, "oauth"), envBase)
			}
			break
		}
		fallthrough
	default:
		d.require(f, path, "token")
		d.forbid(f, path, "with method "+method+" (it takes a token; username and password are for basic)", "username", "password")
		if t := f.get("token"); !isNull(t) {
			a.Token = d.secretRef(t, join(path, "token"), envBase+"_SCIM_TOKEN")
		}
	}
	if method != "oauth" || kind != KindCustom {
		d.forbid(f, path, "here (oauth: is for method oauth on a custom app)", "oauth")
	}
	return a
}

func (d *decoder) signOn(n *yaml.Node, path, kind string) SignOn {
	var s SignOn
	f, ok := d.mapping(n, path, "mode", "saml", "swa")
	if !ok || !d.require(f, path, "mode") {
		return s
	}
	mode, ok := d.enum(f.get("mode"), join(path, "mode"), "saml", "swa")
	if !ok {
		return s
	}
	s.Mode = mode
	switch mode {
	case "saml":
		d.forbid(f, path, "with mode saml", "swa")
		if !d.require(f, path, "saml") {
			return s
		}
		sp := join(path, "saml")
		sf, ok := d.mapping(f.get("saml"), sp, append([]string{"acsUrl", "audience"}, customSAMLKeys...)...)
		if !ok {
			return s
		}
		d.require(sf, sp, "acsUrl", "audience")
		s.SAML = &SAML{ACSURL: d.appURL(sf.get("acsUrl"), join(sp, "acsUrl")), Audience: d.optString(sf, "audience", sp)}
		d.customSAML(sf, sp, kind, s.SAML)
	case "swa":
		d.forbid(f, path, "with mode swa", "saml")
		if !d.require(f, path, "swa") {
			return s
		}
		sp := join(path, "swa")
		sf, ok := d.mapping(f.get("swa"), sp, "loginUrl", "redirectUrl", "usernameField", "passwordField", "buttonField")
		if !ok {
			return s
		}
		d.require(sf, sp, "loginUrl")
		s.SWA = &SWA{LoginURL: d.appURL(sf.get("loginUrl"), join(sp, "loginUrl"))}
		d.customSWA(sf, sp, kind, s.SWA)
	}
	return s
}

// checkedURL reads a URL and reports what check finds: a problem is an error, a
// warning (http on loopback) a warning. It returns the URL as check cleaned it.
func (d *decoder) checkedURL(n *yaml.Node, path string, check func(string) (string, string, string)) string {
	raw, ok := d.str(n, path)
	if !ok {
		return ""
	}
	u, problem, warning := check(raw)
	if strings.Contains(n.Value, "${") {
		problem = hideValue(problem, raw, n.Value)
	}
	if problem != "" {
		d.errorf(n, path, "%s", problem)
	} else if warning != "" {
		d.warnf(n, path, "%s", warning)
	}
	return u
}

// appURL reads a URL of the application itself (ACS, login page).
func (d *decoder) appURL(n *yaml.Node, path string) string {
	if isNull(n) {
		return ""
	}
	// No loopback warning for the app's own URLs: browsers open them, Okta's cloud does not.
	return d.checkedURL(n, path, func(raw string) (string, string, string) {
		u, problem, _ := checkURL(raw)
		return u, problem, ""
	})
}

// secretRef reads { env: NAME } | { file: PATH } | { stdin: true } and checks the
// source is there. A literal is refused without repeating it.
// unused reports a secret the command will not send (an integration's, see
// LoadOptions.SCIMSecretsUnused), which therefore need not resolve.
func (d *decoder) unused(path string) bool {
	return d.scimSecretsUnused && strings.HasPrefix(path, "integrations")
}

func (d *decoder) secretRef(n *yaml.Node, path, suggestEnv string) *SecretRef {
	if n.Kind == yaml.ScalarNode {
		d.errorf(n, path, "literal secrets are not allowed in the file; use { env: %s } or { file: path/to/secret }", suggestEnv)
		return nil
	}
	f, ok := d.mapping(n, path, "env", "file", "stdin")
	if !ok {
		return nil
	}
	if len(f.values) != 1 {
		d.errorf(n, path, "a secret reference has exactly one of env, file or stdin, e.g. { env: %s }", suggestEnv)
		return nil
	}
	ref := &SecretRef{Field: path, Pos: d.pos(n), lookup: d.lookup, stdin: d.stdin, allowShared: d.allowShared}
	switch {
	case f.get("env") != nil:
		v := f.get("env")
		name, ok := d.rawString(v, join(path, "env"))
		if !ok {
			return nil
		}
		if !envName.MatchString(name) {
			d.errorf(v, join(path, "env"), "%q is not an environment variable name", name)
			return nil
		}
		ref.Env = name
		if d.unused(path) {
			break
		}
		if val, set := d.lookup(name); !set {
			d.errorf(v, join(path, "env"), "environment variable %s is not set", name)
		} else if strings.TrimSpace(val) == "" {
			d.errorf(v, join(path, "env"), "environment variable %s is empty", name)
		}
	case f.get("file") != nil:
		v := f.get("file")
		p, ok := d.rawString(v, join(path, "file"))
		if !ok {
			return nil
		}
		if strings.TrimSpace(p) == "" {
			d.errorf(v, join(path, "file"), "must be a path")
			return nil
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(d.dir, p)
		}
		ref.File = p
		if !d.unused(path) {
			d.checkSecretFile(v, join(path, "file"), p)
		}
	default:
		v := f.get("stdin")
		if v.Tag != "!!bool" || v.Value != "true" {
			d.errorf(v, join(path, "stdin"), "must be true")
			return nil
		}
		ref.Stdin = true
		d.stdinUse = append(d.stdinUse, Problem{File: d.file, Line: v.Line, Column: v.Column, Field: join(path, "stdin")})
	}
	return ref
}

func (d *decoder) checkSecretFile(n *yaml.Node, path, file string) {
	st, err := os.Stat(file)
	switch {
	case err != nil:
		d.errorf(n, path, "cannot read %s: %v", file, cleanPathError(err))
		return
	case st.IsDir():
		d.errorf(n, path, "%s is a directory; name the file that holds the secret", file)
		return
	}
	v, shared, err := readSecretFile(file, d.allowShared)
	if err != nil {
		d.errorf(n, path, "%s %v", file, err)
		return
	}
	if strings.TrimSpace(v) == "" {
		d.errorf(n, path, "%s is empty", file)
		return
	}
	if shared != "" {
		d.warnf(n, path, "%s %s; %s", file, shared, sharedReadAnyway)
	}
}
