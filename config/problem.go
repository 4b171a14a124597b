package config

import (
	"fmt"
	"sort"
	"strings"
)

// Position is where something was written in a file (1-based).
type Position struct {
	File         string
	Line, Column int
}

func (p Position) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Problem is one thing wrong (or worth a warning) in a file, with where it is.
type Problem struct {
	File         string
	Line, Column int
	Field        string // dotted path, e.g. integrations[0].scim.auth.token
	Message      string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(Position{p.File, p.Line, p.Column}.String())
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem validation found, in file order. It is the error Load
// returns for invalid input (use errors.As).
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
}
