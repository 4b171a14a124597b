package config

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decoder walks the YAML node tree, collecting every problem with its position.
type decoder struct {
	file     string
	dir      string
	lookup   func(string) (string, bool)
	stdin    *stdinSource
	stdinUse []Problem // where each { stdin: true } is, with its field
	// scimSecretsUnused: the integrations' secret references need not resolve.
	scimSecretsUnused bool
	// allowShared accepts secret files others can read (LoadOptions).
	allowShared bool

	problems []Problem
	warnings []Problem
}

func (d *decoder) errorf(n *yaml.Node, field, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: n.Line, Column: n.Column, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) warnf(n *yaml.Node, field, format string, args ...any) {
	d.warnings = append(d.warnings, Problem{File: d.file, Line: n.Line, Column: n.Column, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) pos(n *yaml.Node) Position { return Position{d.file, n.Line, n.Column} }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fields is a mapping's values by key, and the mapping itself for positions of
// missing keys.
type fields struct {
	node   *yaml.Node
	values map[string]*yaml.Node
}

func (f fields) get(key string) *yaml.Node { return f.values[key] }

func isNull(n *yaml.Node) bool { return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") }

// mapping reads a mapping with only the allowed keys. A null value reads as empty.
func (d *decoder) mapping(n *yaml.Node, path string, allowed ...string) (fields, bool) {
	f := fields{node: n, values: map[string]*yaml.Node{}}
	if isNull(n) {
		return f, true
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "must be a mapping (key: value lines), got %s", describe(n))
		return f, false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "keys must be plain names")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, join(path, k.Value), "duplicate key (first at line %d)", first.Line)
			continue
		}
		seen[k.Value] = k
		if !contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown field %q", k.Value)
			if s := suggest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errorf(k, join(path, k.Value), "%s; allowed here: %s", msg, strings.Join(allowed, ", "))
			continue
		}
		f.values[k.Value] = v
	}
	return f, true
}

// require reports missing keys at the mapping.
func (d *decoder) require(f fields, path string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if isNull(f.values[k]) {
			n := f.node
			if kn := f.keyNode(k); kn != nil {
				n = kn
			}
			d.errorf(n, join(path, k), "is required")
			ok = false
		}
	}
	return ok
}

func (f fields) keyNode(key string) *yaml.Node {
	if f.node == nil || f.node.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		if f.node.Content[i].Value == key {
			return f.node.Content[i]
		}
	}
	return nil
}

// forbid reports keys that do not belong with the choice made elsewhere.
func (d *decoder) forbid(f fields, path, why string, keys ...string) {
	for _, k := range keys {
		if n := f.values[k]; n != nil {
			d.errorf(f.keyNode(k), join(path, k), "not used %s; remove it", why)
		}
	}
}

// rawString reads a string scalar without ${} expansion.
func (d *decoder) rawString(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.errorf(n, path, "must be a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// str reads a string scalar and expands ${NAME}.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	s, ok := d.rawString(n, path)
	if !ok {
		return "", false
	}
	out, err := expand(s, d.lookup)
	if err != nil {
		d.errorf(n, path, "%v", err)
		return "", false
	}
	return out, true
}

// optString reads an optional string, "" when absent.
func (d *decoder) optString(f fields, key, path string) string {
	n := f.get(key)
	if isNull(n) {
		return ""
	}
	s, _ := d.str(n, join(path, key))
	return s
}

func (d *decoder) boolean(f fields, key, path string, def bool) bool {
	n := f.get(key)
	if isNull(n) {
		return def
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, join(path, key), "must be true or false, got %s", describe(n))
		return def
	}
	b, _ := strconv.ParseBool(n.Value)
	return b
}

// optBool reads a boolean the file may leave out: nil means not declared (and so not
// managed).
func (d *decoder) optBool(f fields, key, path string) *bool {
	if isNull(f.get(key)) {
		return nil
	}
	b := d.boolean(f, key, path, false)
	return &b
}

// enum reads a string that must be one of allowed.
func (d *decoder) enum(n *yaml.Node, path string, allowed ...string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !contains(allowed, s) {
		msg := fmt.Sprintf("%q is not one of: %s", s, strings.Join(allowed, ", "))
		if sg := suggest(s, allowed); sg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sg)
		}
		d.errorf(n, path, "%s", msg)
		return "", false
	}
	return s, true
}

// describe names a node's kind for "got …" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!bool":
		return "a boolean (" + n.Value + ")"
	case "!!int", "!!float":
		return "a number (" + n.Value + ")"
	case "!!str":
		return "a string"
	}
	return n.Tag
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest is the closest allowed word to a typo, or "".
func suggest(s string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if strings.EqualFold(a, s) {
			return a
		}
		if dist := levenshtein(strings.ToLower(s), strings.ToLower(a)); dist < bestDist {
			best, bestDist = a, dist
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
