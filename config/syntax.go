package config

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 reports a syntax error at a line but no column, and for parser errors at
// the 0-based line where the enclosing construct began. These helpers find the line
// where the parser gave up, a column on it and the field it belongs to, so that a
// syntax error reads like every other problem: file:line:col: field: message.

// syntaxHints explain yaml.v3's messages in the file's terms.
var syntaxHints = []struct{ yaml, hint string }{
	{"did not find expected ',' or ']'", "a [ opened here is not closed with ]"},
	{"did not find expected ',' or '}'", "a { opened here is not closed with }"},
	{"mapping values are not allowed in this context", `a second ": " on the line, or a key indented under a plain value; quote values that contain ": "`},
	{"did not find expected '-' indicator", "the indentation does not match the lines above"},
	{"did not find expected key", "the indentation does not match the lines above"},
	{"found unexpected end of stream", "is a quote not closed?"},
	{"found character that cannot start any token", "@ and ` cannot start a plain value; put the value in quotes"},
	{"could not find expected ':'", "a line that is neither key: value nor - item"},
}

// failingLine is the first line at which the file's first lines fail to parse with
// the same message as the whole file, searched from the line yaml.v3 named (a lower
// bound); bounded work, so a large file falls back to that line.
func failingLine(lines []string, from int, msg string) int {
	from = max(from, 1)
	budget := 8 << 20 // bytes parsed at the most
	for k := from; k <= len(lines) && budget > 0; k++ {
		prefix := strings.Join(lines[:k], "\n")
		budget -= len(prefix)
		if _, m := yamlError(prefix); m == msg {
			return k
		}
	}
	return min(from, max(len(lines), 1))
}

// yamlError parses every document of data and returns yaml.v3's first error as its
// line (0 when it names none) and message.
func yamlError(data string) (int, string) {
	dec := yaml.NewDecoder(strings.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return 0, ""
		}
		if err != nil {
			return splitYAMLError(err)
		}
	}
}

func splitYAMLError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil && strings.HasPrefix(msg, m[0]+": ") {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0]+": ")
	}
	return line, msg
}

// syntaxColumn points at the part of the line the message is about: the unclosed [,
// { or quote, the second ": ", the character that cannot start a value; else the
// first character of the line.
func syntaxColumn(line, msg string) int {
	line = strings.TrimRight(line, "\r")
	first := len(line) - len(strings.TrimLeft(line, " \t")) + 1
	var open []int
	colons, quoteAt := 0, 0
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote, quoteAt = c, i
		case c == '#' && (i == 0 || line[i-1] == ' '):
			i = len(line)
		case c == '[' || c == '{':
			open = append(open, i)
		case (c == ']' || c == '}') && len(open) > 0:
			open = open[:len(open)-1]
		case c == ':' && (i+1 == len(line) || line[i+1] == ' '):
			colons++
			if colons == 2 && strings.Contains(msg, "mapping values") {
				return i + 1
			}
		case (c == '@' || c == '`') && strings.Contains(msg, "cannot start any token"):
			return i + 1
		}
	}
	if len(open) > 0 && strings.Contains(msg, "did not find expected ','") {
		return open[len(open)-1] + 1
	}
	if quote != 0 && strings.Contains(msg, "end of stream") {
		return quoteAt + 1
	}
	return first
}

// lineShape is what fieldAt needs of one line of block YAML.
type lineShape struct {
	blank  bool
	tab    bool  // indented with a tab
	indent int   // leading blanks
	dashes []int // columns (0-based) of "- " list markers
	col    int   // where the content after the markers starts
	key    string
}

func shapeOf(l string) lineShape {
	l = strings.TrimRight(l, "\r")
	var s lineShape
	i := 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		s.tab = s.tab || l[i] == '\t'
		i++
	}
	s.indent = i
	if i == len(l) || l[i] == '#' || strings.HasPrefix(l[i:], "---") || strings.HasPrefix(l[i:], "...") {
		s.blank = true
		return s
	}
	for i < len(l) && l[i] == '-' && (i+1 == len(l) || l[i+1] == ' ') {
		s.dashes = append(s.dashes, i)
		for i++; i < len(l) && l[i] == ' '; i++ {
		}
	}
	s.col = i
	s.key = keyOf(l[i:])
	return s
}

// keyOf is the key a line's content starts with ("name: acme" → name), or "".
func keyOf(c string) string {
	if c == "" || strings.IndexByte("[{&*!|>%@`#?", c[0]) >= 0 {
		return ""
	}
	if c[0] == '"' || c[0] == '\'' {
		end := strings.IndexByte(c[1:], c[0])
		if end < 0 {
			return ""
		}
		if rest := c[end+2:]; rest == ":" || strings.HasPrefix(rest, ": ") {
			return c[1 : end+1]
		}
		return ""
	}
	for i := 0; i < len(c); i++ {
		switch {
		case c[i] == ':' && (i+1 == len(c) || c[i+1] == ' '):
			return strings.TrimSpace(c[:i])
		case c[i] == ' ' && i+1 < len(c) && c[i+1] == '#':
			return ""
		}
	}
	return ""
}

// fieldAt names the field a line of block YAML belongs to, from indentation and
// "- " markers alone (the file may not parse): integrations[0].scim.baseUrl. A line
// indented with a tab is taken to be at the level of the line above it.
func fieldAt(lines []string, line int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	shapes := make([]lineShape, line)
	for i := range shapes {
		shapes[i] = shapeOf(lines[i])
	}
	i := line - 1
	cur := shapes[i]
	if cur.blank {
		return ""
	}
	if cur.tab && len(cur.dashes) == 0 {
		for j := i - 1; j >= 0; j-- {
			if !shapes[j].blank {
				cur.indent, cur.col = shapes[j].col, shapes[j].col
				break
			}
		}
	}
	var parts []string // innermost first
	if cur.key != "" {
		parts = append(parts, cur.key)
	}
	col, seq := cur.col, false
	if len(cur.dashes) > 0 {
		parts = append(parts, itemIndexes(shapes, i, len(cur.dashes))...)
		col, seq = cur.dashes[0], true
	}
	for {
		j := i - 1
		for ; j >= 0; j-- {
			s := shapes[j]
			earlierItem := seq && s.indent == col && len(s.dashes) > 0 && s.dashes[0] == col
			earlierKey := !seq && s.indent == col && len(s.dashes) == 0
			if !s.blank && s.indent <= col && !earlierItem && !earlierKey {
				break
			}
		}
		if j < 0 {
			break
		}
		s := shapes[j]
		n := len(s.dashes)
		switch {
		case seq && s.indent == col && n == 0 && s.key != "": // key: with its list at the same indentation
			parts = append(parts, s.key)
			i, col, seq = j, s.col, false
		case seq && n > 1 && slices.Contains(s.dashes[1:], col): // the list starts on that line, in an item
			m := slices.Index(s.dashes, col)
			parts = append(parts, itemIndexes(shapes, j, m)...)
			i, col = j, s.dashes[0]
		case !seq && n > 0 && s.dashes[n-1] < col && col <= s.col: // a key of that line's list item
			parts = append(parts, itemIndexes(shapes, j, n)...)
			i, col, seq = j, s.dashes[0], true
		case s.col < col && s.key != "":
			parts = append(parts, s.key)
			i, col, seq = j, s.col, false
			if n > 0 {
				parts = append(parts, itemIndexes(shapes, j, n)...)
				col, seq = s.dashes[0], true
			}
		default:
			return joinField(parts)
		}
	}
	return joinField(parts)
}

// itemIndexes are "[n]" for the first m list markers on line j, innermost first.
func itemIndexes(shapes []lineShape, j, m int) []string {
	dashes := shapes[j].dashes[:m]
	out := make([]string, m)
	for k := range dashes {
		n := 0
		if k == 0 { // a later marker on the line starts its list there
			n = earlierItems(shapes, j, dashes[0])
		}
		out[m-1-k] = "[" + strconv.Itoa(n) + "]"
	}
	return out
}

// earlierItems counts the items before line j of the list whose markers are at col.
func earlierItems(shapes []lineShape, j, col int) int {
	n := 0
	for i := j - 1; i >= 0; i-- {
		s := shapes[i]
		switch {
		case s.blank || s.indent > col:
		case s.indent == col && len(s.dashes) > 0 && s.dashes[0] == col:
			n++
		case slices.Contains(s.dashes, col): // the list's first item, after another marker
			return n + 1
		default:
			return n
		}
	}
	return n
}

func joinField(parts []string) string {
	var b bytes.Buffer
	for i := len(parts) - 1; i >= 0; i-- {
		if b.Len() > 0 && !strings.HasPrefix(parts[i], "[") {
			b.WriteByte('.')
		}
		b.WriteString(parts[i])
	}
	return b.String()
}
