package config

import (
	"fmt"
	"regexp"
	"strings"
)

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// oktaExpression is an Okta expression reference such as user.email or appuser.name.
var oktaExpression = regexp.MustCompile(`^(user|appuser|app|org|source|user\.profile)\.[A-Za-z_][A-Za-z0-9_.]*$`)

// expand replaces ${NAME} with the variable's value so one file serves several
// environments. $${ is a literal ${, and ${user.…} (an Okta expression) stays as it
// is. An unset variable is an error: a silently empty base URL would be worse.
func expand(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("unclosed ${ (write $${ for a literal ${)")
		}
		name := s[i+2 : i+end]
		if oktaExpression.MatchString(name) {
			// ${user.email} is Okta's expression language (SAML name ID templates,
			// attribute values), never a variable: no variable name has a dot.
			b.WriteString(s[i : i+end+1])
			s = s[i+end+1:]
			continue
		}
		if !envName.MatchString(name) {
			return "", fmt.Errorf("${%s} is not a valid variable name (letters, digits and _)", name)
		}
		v, ok := lookup(name)
		if !ok {
			return "", fmt.Errorf("${%s}: environment variable %s is not set", name, name)
		}
		b.WriteString(v)
		s = s[i+end+1:]
	}
}
