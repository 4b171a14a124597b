package redact

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape makes text safe for a terminal: every control character but newline and tab
// (ESC, CR, BEL, backspace, C1 controls such as CSI, DEL), every bidirectional override
// and every invalid UTF-8 byte is written as a visible escape (\x1b, \r, \u202e), so a
// value cannot clear the screen, set a title, colour text, or hide what precedes it.
func Escape(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\b':
			b.WriteString(`\b`)
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean: only printable ASCII, newlines and tabs (the common case, kept fast).
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// unsafeRune: C1 controls and the bidirectional embeddings, overrides and isolates
// (the "Trojan Source" characters).
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// nonce marks the tool's own control sequences in the stream: a value from outside
// cannot guess it, so only Control's output survives Escape as a real sequence.
var nonce = func() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "\x00" + hex.EncodeToString(b) + ":"
}()

// Control returns a terminal control sequence of the tool's own (a colour, erasing the
// progress line, e.g. "\x1b[32m") that a Writer emits as is. Written anywhere but a
// Writer it shows as inert text.
func Control(seq string) string {
	return nonce + hex.EncodeToString([]byte(seq)) + ";"
}

// EraseLine returns to the start of the line and clears it (a progress line).
var EraseLine = Control("\r\x1b[K")

// split cuts s at the tool's own control sequences: clean is applied to the text
// between them, and the sequences are written as they are.
func split(s string, clean func(string) string) string {
	parts := strings.Split(s, nonce)
	if len(parts) == 1 {
		return clean(s)
	}
	var b strings.Builder
	b.WriteString(clean(parts[0]))
	for _, p := range parts[1:] {
		end := strings.IndexByte(p, ';')
		seq, err := hex.DecodeString(p[:max(end, 0)])
		if end < 0 || err != nil {
			b.WriteString(clean(p))
			continue
		}
		b.Write(seq)
		b.WriteString(clean(p[end+1:]))
	}
	return b.String()
}
