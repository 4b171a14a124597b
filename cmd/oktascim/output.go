package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"

	"github.com/oktascim/oktascim/internal/redact"
)

// The output formats of -o.
const (
	formatText = "text"
	formatJSON = "json"
	formatYAML = "yaml"
)

// structured reports whether the command prints one document (JSON or YAML) instead
// of lines for people.
func (f *factory) structured() bool { return f.output == formatJSON || f.output == formatYAML }

// writeDoc prints a command's document as -o asks for: version, command and exitCode
// first (every document has them, whatever the outcome), then the command's own
// fields (body, an object; its own version, command or exitCode keys give way). YAML is
// the JSON document with the same field names, in the same order: one shape,
// documented once, two syntaxes.
func writeDoc(w io.Writer, format, command string, code int, body any) error {
	b, err := envelope(command, code, body)
	if err != nil {
		return err
	}
	return writeRaw(w, format, b)
}

// writeRaw prints a JSON text as JSON or as the same YAML.
func writeRaw(w io.Writer, format string, b []byte) error {
	if format != formatYAML {
		_, err := w.Write(b)
		return err
	}
	node, err := jsonToYAML(json.NewDecoder(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	out, err := yaml.Marshal(node)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "---\n%s", out)
	return err
}

// envelope is the indented JSON of the document.
func envelope(command string, code int, body any) ([]byte, error) {
	type field struct {
		key   string
		value json.RawMessage
	}
	fields := []field{{"version", json.RawMessage(fmt.Sprint(reportVersion))}, {"command", nil}, {"exitCode", json.RawMessage(fmt.Sprint(code))}}
	var err error
	if fields[1].value, err = marshalPlain(command); err != nil {
		return nil, err
	}
	if body != nil {
		raw, err := marshalPlain(body)
		if err != nil {
			return nil, err
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("a %s document must be an object: %w", command, err)
		}
		// The map lost the order; the decoder's tokens keep it.
		dec := json.NewDecoder(bytes.NewReader(raw))
		_, _ = dec.Token() // {
		for dec.More() {
			k, _ := dec.Token()
			var skip json.RawMessage
			_ = dec.Decode(&skip)
			key := fmt.Sprint(k)
			if key != "version" && key != "command" && key != "exitCode" {
				fields = append(fields, field{key, obj[key]})
			}
		}
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, fd := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := marshalPlain(fd.key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(fd.value)
	}
	buf.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// marshalPlain is json.Marshal without HTML escaping (a URL's & stays &).
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// jsonToYAML turns a JSON value into a YAML node, keeping the order of object keys.
func jsonToYAML(dec *json.Decoder) (*yaml.Node, error) {
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := jsonToYAML(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fmt.Sprint(k)}, v)
			}
			_, err := dec.Token() // }
			return n, err
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for dec.More() {
			v, err := jsonToYAML(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		_, err := dec.Token() // ]
		return n, err
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case json.Number:
		tag := "!!int"
		if _, err := t.Int64(); err != nil {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// colors says whether to colour output for people: on a terminal, unless NO_COLOR is
// set (https://no-color.org) or --no-color is given.
func (f *factory) colors() bool {
	if f.noColor || !f.io.OutTTY || f.output != formatText {
		return false
	}
	if v, ok := f.lookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	term, _ := f.lookupEnv("TERM")
	return term != "dumb"
}

// ANSI colours for people on a terminal.
const (
	green  = "32"
	red    = "31"
	yellow = "33"
	dim    = "2"
)

// paint colours s when on is set.
func paint(on bool, color, s string) string {
	if !on {
		return s
	}
	// Marked as the tool's own, so the output path lets them through while it
	// escapes every control character that comes from a value.
	return redact.Control("\x1b["+color+"m") + s + redact.Control("\x1b[0m")
}
