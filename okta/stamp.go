package okta

import (
	"regexp"
	"strings"
)

// The ownership stamp lives in settings.notes.admin (free text, shown to admins on the
// app's General tab). It is the key the tool finds its apps by again.
var stampPattern = regexp.MustCompile(`\[oktascim:([a-z0-9][a-z0-9-]*)\]`)

// Stamp is the admin note that marks an app as managed by the integration name.
func Stamp(name string) string {
	return "[oktascim:" + name + "] Managed by oktascim from a declarative file; changes made here are reverted by the next apply."
}

// StampedName returns the integration name in an admin note, if stamped.
func StampedName(note string) (string, bool) {
	m := stampPattern.FindStringSubmatch(note)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// WithStamp returns note carrying the stamp for name, keeping the admin's own text.
func WithStamp(note, name string) string {
	rest := strings.TrimSpace(stampPattern.ReplaceAllString(stripStampSentence(note), ""))
	if rest == "" {
		return Stamp(name)
	}
	return Stamp(name) + "\n" + rest
}

func stripStampSentence(note string) string {
	return strings.ReplaceAll(note, " Managed by oktascim from a declarative file; changes made here are reverted by the next apply.", "")
}
