package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds the file: a real one is a few KiB.
const MaxFileSize = 1 << 20

// maxDepth bounds nesting; the format itself is 6 levels deep.
const maxDepth = 64

// maxFieldDepth is how deep a structure problem names the field.
const maxFieldDepth = 8

// LoadOptions injects the environment and standard input (tests, the simulator).
type LoadOptions struct {
	LookupEnv func(string) (string, bool) // default os.LookupEnv
	Stdin     io.Reader                   // default os.Stdin; read only for { stdin: true }
	// SCIMSecretsUnused: the command never sends the integrations' SCIM secrets (plan,
	// status, destroy, logs), so their references need not resolve: an unset variable or
	// a missing file is not a problem there. Their shape is still checked.
	SCIMSecretsUnused bool
	// AllowSharedSecretFiles accepts { file: } secrets that group or others can
	// access, or that another user owns: the user's explicit choice (a flag or the
	// environment, never the file itself, which could otherwise send any file).
	AllowSharedSecretFiles bool
}

// Load reads, validates and defaults the file at path. Invalid input, including a
// file that cannot be read, returns Problems.
func Load(path string, opts LoadOptions) (*File, error) {
	f, st, err := openRegular(path)
	switch {
	case st != nil && st.IsDir():
		return nil, Problems{{File: path, Message: "is a directory, not an oktascim file"}}
	case err != nil:
		// A FIFO or a device would hang the run or never end.
		return nil, Problems{{File: path, Message: "cannot read the file: " + err.Error()}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, Problems{{File: path, Message: "cannot read the file: " + cleanPathError(err).Error()}}
	}
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return Parse(path, data, dir, opts)
}

// Parse is Load for data already read; name is used in messages and dir resolves
// { file: } references.
func Parse(name string, data []byte, dir string, opts LoadOptions) (*File, error) {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	d := &decoder{file: name, dir: dir, lookup: opts.LookupEnv, stdin: &stdinSource{r: opts.Stdin}, scimSecretsUnused: opts.SCIMSecretsUnused, allowShared: opts.AllowSharedSecretFiles}
	root := d.parse(data)
	if root == nil {
		return nil, Problems(d.problems)
	}
	file := d.decodeFile(root)
	sortProblems(d.problems)
	sortProblems(d.warnings)
	if len(d.problems) > 0 {
		return nil, Problems(d.problems)
	}
	file.Path, file.Dir, file.Warnings = name, dir, d.warnings
	return file, nil
}

// parse checks the bytes and the YAML structure; nil means it reported why not.
func (d *decoder) parse(data []byte) *yaml.Node {
	if len(data) > MaxFileSize {
		d.problems = append(d.problems, Problem{File: d.file, Message: fmt.Sprintf("the file is larger than %d KiB; an oktascim file is a few KiB", MaxFileSize>>10)})
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if line, col, msg := badBytes(data); msg != "" {
		d.problems = append(d.problems, Problem{File: d.file, Line: line, Column: col, Field: fieldAt(strings.Split(string(data), "\n"), line), Message: msg})
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Message: "the file is empty; it needs at least version: 1 and integrations"})
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Message: "the file has only comments; it needs at least version: 1 and integrations"})
		return nil
	} else if err != nil {
		d.problems = append(d.problems, d.syntaxProblem(err, data))
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.problems = append(d.problems, Problem{File: d.file, Line: extra.Line, Column: extra.Column, Message: "more than one YAML document; an oktascim file is a single document"})
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.problems = append(d.problems, d.syntaxProblem(err, data))
		return nil
	}
	if len(doc.Content) == 0 {
		d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Message: "the file is empty; it needs at least version: 1 and integrations"})
		return nil
	}
	if !d.checkStructure(doc.Content[0], 1, "") {
		return nil
	}
	return doc.Content[0]
}

// badBytes finds bytes that have no place in a YAML config: invalid UTF-8, NUL and
// control characters (tabs and line ends aside).
func badBytes(data []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, "the file is not UTF-8 text (is it a binary file?)"
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return line, col, fmt.Sprintf("control character %U is not allowed in the file (is it a binary file?)", r)
		}
		i += size
		col++
	}
	return 0, 0, ""
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// syntaxProblem places a YAML syntax error (see syntax.go) and explains it.
func (d *decoder) syntaxProblem(err error, data []byte) Problem {
	line, msg := splitYAMLError(err)
	lines := strings.Split(string(data), "\n")
	if tabLine := firstTabIndent(data); tabLine > 0 && (line == 0 || line >= tabLine-1 || strings.Contains(msg, "tab")) {
		return Problem{File: d.file, Line: tabLine, Column: 1, Field: fieldAt(lines, tabLine), Message: "YAML syntax: a tab indents this line; YAML indentation must use spaces"}
	}
	line = failingLine(lines, line, msg)
	p := Problem{File: d.file, Line: line, Column: syntaxColumn(lines[line-1], msg), Field: fieldAt(lines, line), Message: "YAML syntax: " + msg}
	for _, h := range syntaxHints {
		if strings.Contains(msg, h.yaml) {
			p.Message += " (" + h.hint + ")"
			break
		}
	}
	return p
}

func firstTabIndent(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, "\t") {
			return i + 1
		}
	}
	return 0
}

// checkStructure refuses anchors, aliases and deep nesting: the format needs none,
// and they are how YAML files blow up a parser. path is the field n is (named only
// down to maxFieldDepth, beyond anything the format has).
func (d *decoder) checkStructure(n *yaml.Node, depth int, path string) bool {
	if depth > maxDepth {
		d.errorf(n, path, "nested more than %d levels deep", maxDepth)
		return false
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.errorf(n, path, "YAML anchors and aliases (& and *) are not supported; write the values out")
		return false
	}
	for i, c := range n.Content {
		p := path
		switch {
		case depth >= maxFieldDepth:
		case n.Kind == yaml.MappingNode && i%2 == 1:
			p = join(path, n.Content[i-1].Value)
		case n.Kind == yaml.SequenceNode:
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		if !d.checkStructure(c, depth+1, p) {
			return false
		}
	}
	return true
}
