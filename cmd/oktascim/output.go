package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
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

// writeDoc prints v as the document -o asks for. YAML is the JSON document with the
// same field names, in the same order: one shape, documented once, two syntaxes.
func writeDoc(w io.Writer, format string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if format != formatYAML {
		_, err := w.Write(buf.Bytes())
		return err
	}
	node, err := jsonToYAML(json.NewDecoder(&buf))
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
	if f.noColor || !f.io.IsTTY || f.output != formatText {
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
	return "\033[" + color + "m" + s + "\033[0m"
}
