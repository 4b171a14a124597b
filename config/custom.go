package config

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// customSAMLKeys are the SAML settings only a custom (App Integration Wizard) app has.
var customSAMLKeys = []string{"nameIdFormat", "nameId", "signResponse", "signAssertion", "signatureAlgorithm", "digestAlgorithm", "attributes"}

// NameIDFormats maps the file's short names to SAML's.
var NameIDFormats = map[string]string{
	"unspecified":     "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
	"emailAddress":    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
	"x509SubjectName": "urn:oasis:names:tc:SAML:1.1:nameid-format:x509SubjectName",
	"persistent":      "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
	"transient":       "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
}

// AttributeNameFormats maps the file's short names to SAML's.
var AttributeNameFormats = map[string]string{
	"unspecified": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
	"uri":         "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
	"basic":       "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
}

func (d *decoder) customSAML(f fields, path, kind string, s *SAML) {
	if kind != KindCustom {
		d.forbid(f, path, "on a template app (only a custom app takes these SAML settings)", customSAMLKeys...)
		return
	}
	// Omitted settings are not managed: Okta's own defaults apply on create.
	if n := f.get("nameIdFormat"); !isNull(n) {
		if v, ok := d.enum(n, join(path, "nameIdFormat"), "unspecified", "emailAddress", "x509SubjectName", "persistent", "transient"); ok {
			s.NameIDFormat = NameIDFormats[v]
		}
	}
	if n := f.get("nameId"); !isNull(n) {
		if v := d.optString(f, "nameId", path); strings.TrimSpace(v) != "" {
			s.NameID = v
		} else {
			d.errorf(n, join(path, "nameId"), "must not be empty (leave it out to keep the app's, ${user.userName} on a new app)")
		}
	}
	s.SignResponse = d.optBool(f, "signResponse", path)
	s.SignAssertion = d.optBool(f, "signAssertion", path)
	if s.SignResponse != nil && s.SignAssertion != nil && !*s.SignResponse && !*s.SignAssertion {
		d.errorf(f.keyNode("signAssertion"), join(path, "signAssertion"), "either the response or the assertion must be signed")
	}
	if n := f.get("signatureAlgorithm"); !isNull(n) {
		if v, ok := d.enum(n, join(path, "signatureAlgorithm"), "RSA_SHA256", "RSA_SHA1"); ok {
			s.SignatureAlgorithm = v
		}
	}
	if n := f.get("digestAlgorithm"); !isNull(n) {
		if v, ok := d.enum(n, join(path, "digestAlgorithm"), "SHA256", "SHA1"); ok {
			s.DigestAlgorithm = v
		}
	}
	if n := f.get("attributes"); n != nil {
		s.AttributesDeclared = true
		if !isNull(n) {
			s.Attributes = d.samlAttributes(n, join(path, "attributes"))
		}
	}
}

func (d *decoder) samlAttributes(n *yaml.Node, path string) []SAMLAttribute {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list of { name, value } attribute statements, got %s", describe(n))
		return nil
	}
	var out []SAMLAttribute
	seen := map[string]int{}
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		f, ok := d.mapping(item, p, "name", "value", "values", "nameFormat")
		if !ok || !d.require(f, p, "name") {
			continue
		}
		a := SAMLAttribute{Name: d.optString(f, "name", p), NameFormat: AttributeNameFormats["unspecified"]}
		if first, dup := seen[a.Name]; dup {
			d.errorf(item, join(p, "name"), "attribute %q is listed twice (also at line %d)", a.Name, first)
			continue
		}
		seen[a.Name] = item.Line
		if nf := f.get("nameFormat"); !isNull(nf) {
			if v, ok := d.enum(nf, join(p, "nameFormat"), "unspecified", "uri", "basic"); ok {
				a.NameFormat = AttributeNameFormats[v]
			}
		}
		switch {
		case f.get("value") != nil && f.get("values") != nil:
			d.errorf(item, p, "has value and values; use one")
		case f.get("value") != nil:
			if v := d.optString(f, "value", p); v != "" {
				a.Values = []string{v}
			}
		case f.get("values") != nil:
			a.Values = d.stringList(f.get("values"), join(p, "values"))
		}
		if len(a.Values) == 0 {
			d.errorf(item, p, "needs a value (an Okta expression such as user.email)")
			continue
		}
		out = append(out, a)
	}
	return out
}

func (d *decoder) stringList(n *yaml.Node, path string) []string {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list of strings, got %s", describe(n))
		return nil
	}
	var out []string
	for i, v := range n.Content {
		if s, ok := d.str(v, fmt.Sprintf("%s[%d]", path, i)); ok && strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) customSWA(f fields, path, kind string, s *SWA) {
	// Field selectors belong to the plugin SWA template app (template_swa), which has no
	// SCIM provisioning; the App Integration Wizard's SWA app (AUTO_LOGIN) finds the
	// fields on the login page itself, and can have SCIM.
	d.forbid(f, path, "(field selectors belong to the plugin SWA template app, which cannot have SCIM provisioning; a custom SWA app finds the fields itself)", "usernameField", "passwordField", "buttonField")
	if kind != KindCustom {
		d.forbid(f, path, "on a template app (redirectUrl is a custom SWA app's)", "redirectUrl")
		return
	}
	if n := f.get("redirectUrl"); !isNull(n) {
		s.RedirectURL = d.appURL(n, join(path, "redirectUrl"))
	}
}

func (d *decoder) oauth2(n *yaml.Node, path, envBase string) *OAuth2 {
	f, ok := d.mapping(n, path, "tokenEndpoint", "authorizeEndpoint", "clientId", "clientSecret")
	if !ok || !d.require(f, path, "tokenEndpoint", "authorizeEndpoint", "clientId", "clientSecret") {
		return nil
	}
	o := &OAuth2{ClientID: d.optString(f, "clientId", path)}
	o.TokenEndpoint = d.checkedURL(f.get("tokenEndpoint"), join(path, "tokenEndpoint"), checkURL)
	o.AuthorizeEndpoint = d.checkedURL(f.get("authorizeEndpoint"), join(path, "authorizeEndpoint"), checkURL)
	if s := f.get("clientSecret"); !isNull(s) {
		o.ClientSecret = d.secretRef(s, join(path, "clientSecret"), envBase+"_SCIM_CLIENT_SECRET")
	}
	return o
}

var propertyName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,99}$`)

func (d *decoder) mappings(n *yaml.Node, path string) Mappings {
	var m Mappings
	f, ok := d.mapping(n, path, "toApp", "toOkta")
	if !ok {
		return m
	}
	if t := f.get("toApp"); !isNull(t) {
		m.ToApp = d.propertyMappings(t, join(path, "toApp"), true)
	}
	if t := f.get("toOkta"); !isNull(t) {
		m.ToOkta = d.propertyMappings(t, join(path, "toOkta"), false)
	}
	return m
}

// propertyMappings reads { property: expression | { expression, update, type } }, in
// file order.
func (d *decoder) propertyMappings(n *yaml.Node, path string, toApp bool) []PropertyMapping {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must map property names to expressions, e.g. { department: user.department }, got %s", describe(n))
		return nil
	}
	var out []PropertyMapping
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		if !propertyName.MatchString(k.Value) {
			d.errorf(k, p, "%q is not a property name (letters, digits and _, starting with a letter)", k.Value)
			continue
		}
		pm := PropertyMapping{Property: k.Value, Update: true, Type: "string", Pos: d.pos(k)}
		if v.Kind == yaml.ScalarNode {
			pm.Expression, _ = d.str(v, p)
		} else {
			keys := []string{"expression", "update"}
			if toApp {
				keys = append(keys, "type")
			}
			f, ok := d.mapping(v, p, keys...)
			if !ok || !d.require(f, p, "expression") {
				continue
			}
			pm.Expression = d.optString(f, "expression", p)
			pm.Update = d.boolean(f, "update", p, true)
			if t := f.get("type"); !isNull(t) {
				if ty, ok := d.enum(t, join(p, "type"), "string", "boolean", "integer", "number"); ok {
					pm.Type = ty
				}
			}
		}
		if strings.TrimSpace(pm.Expression) == "" {
			d.errorf(v, p, "needs an expression, e.g. user.department")
			continue
		}
		out = append(out, pm)
	}
	return out
}

func (d *decoder) pushGroups(n *yaml.Node, path string) []PushGroup {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "must be a list of group names or { group, target } / { match } entries, got %s", describe(n))
		return nil
	}
	var out []PushGroup
	seen := map[string]int{}
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		pg := PushGroup{Pos: d.pos(item)}
		if item.Kind == yaml.ScalarNode {
			pg.Group, _ = d.str(item, p)
		} else {
			f, ok := d.mapping(item, p, "group", "match", "target")
			if !ok {
				continue
			}
			pg.Group, pg.Match, pg.Target = d.optString(f, "group", p), d.optString(f, "match", p), d.optString(f, "target", p)
			switch {
			case pg.Group == "" && pg.Match == "":
				d.errorf(item, p, "needs group (an exact name) or match (a pattern such as team-*)")
				continue
			case pg.Group != "" && pg.Match != "":
				d.errorf(item, p, "has both group and match; use one")
				continue
			case pg.Match != "" && pg.Target != "":
				d.errorf(item, join(p, "target"), "a pattern pushes each group under its own name; target is for a single group")
				continue
			}
		}
		key := pg.Group + "\x00" + pg.Match
		if strings.TrimSpace(key) == "\x00" {
			d.errorf(item, p, "a group name must not be empty")
			continue
		}
		if first, dup := seen[key]; dup {
			d.errorf(item, p, "listed twice (also at line %d)", first)
			continue
		}
		seen[key] = item.Line
		out = append(out, pg)
	}
	return out
}
