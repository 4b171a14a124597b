package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/oktascim/oktascim/config"
)

// textWidth is the width text output is written for on a terminal whose width is
// not known: an 80-column one.
const textWidth = 80

// ansiCode is a colour code, raw or as redact.Control marks the tool's own
// (nonce, hex, ";") for the output path to let through.
var ansiCode = regexp.MustCompile("\033\\[[0-9;]*m|\x00[0-9a-f]+:[0-9a-f]*;")

// visibleLen is the width of s on a terminal (colour codes take none).
func visibleLen(s string) int { return utf8.RuneCountInString(ansiCode.ReplaceAllString(s, "")) }

// writeWrapped writes prefix and text, the text word-wrapped to width with
// continuation lines indented to where it began (or by 8 when that is past the middle
// of the line). A word longer than the line (a URL) stays whole on a line of its own.
// Width 0 (not a terminal: a pipe or a file) writes one line, for grep and scripts.
func writeWrapped(w io.Writer, width int, prefix, text string) {
	if width <= 0 {
		fmt.Fprintln(w, prefix+text)
		return
	}
	indent := visibleLen(prefix)
	if indent > width/2 {
		indent = 8
	}
	fmt.Fprintln(w, wrapText(prefix, text, indent, width))
}

// fits reports whether line fits width (always, when not wrapping).
func fits(line string, width int) bool { return width <= 0 || visibleLen(line) <= width }

// width is the column count to wrap a stream's text to: the terminal's (80 when it
// does not say), or 0 when the stream is not a terminal.
func (f *factory) width(stdout bool) int {
	tty := f.io.ErrTTY
	if stdout {
		tty = f.io.OutTTY && f.output == formatText
	}
	switch {
	case !tty:
		return 0
	case f.io.Width > 0:
		return f.io.Width
	}
	return textWidth
}

// wrapText is writeWrapped's text without the final newline.
func wrapText(prefix, text string, indent, width int) string {
	var b strings.Builder
	b.WriteString(prefix)
	col := visibleLen(prefix)
	lineStart := true
	for _, word := range strings.Fields(text) {
		n := visibleLen(word)
		if !lineStart && col+1+n > width {
			b.WriteString("\n")
			b.WriteString(strings.Repeat(" ", indent))
			col, lineStart = indent, true
		}
		if !lineStart {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += n
		lineStart = false
	}
	return b.String()
}

// warnings prints each warning once per run: the same message from several places
// (one per URL, one per integration) is one warning naming the places.
type warnings struct {
	mu   sync.Mutex
	seen map[string]bool
}

// once reports whether msg has not been printed yet in this run, and marks it.
func (ws *warnings) once(msg string) bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.seen == nil {
		ws.seen = map[string]bool{}
	}
	if ws.seen[msg] {
		return false
	}
	ws.seen[msg] = true
	return true
}

// warnProblems prints the file's or the settings' warnings, grouped by message.
func (f *factory) warnProblems(ps []config.Problem) {
	var order []string
	places := map[string][]string{}
	for _, p := range ps {
		msg, place := p.Message, strings.TrimSuffix(p.String(), ": "+p.Message)
		if rest, ok := strings.CutPrefix(msg, "Okta org URL: "); ok {
			msg, place = rest, "the Okta org URL ("+p.File+")"
		}
		if _, ok := places[msg]; !ok {
			order = append(order, msg)
		}
		places[msg] = append(places[msg], place)
	}
	for _, msg := range order {
		if f.warned.once(msg) {
			writeWrapped(f.io.ErrOut, f.width(false), "warning: ", msg+" — "+strings.Join(places[msg], ", "))
		}
	}
}
