package plan

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oktascim/oktascim/config"
)

// Preconditions are what the org must hold for apply to succeed that plan can check
// before anything is written, for a new app and an existing one alike: each declared
// group (assigned or pushed by name) exists once, and each declared mapping direction
// has a profile mapping to write to. A plan with problems fails (exit 1), and apply
// does not start that integration: otherwise it would create the app, enable
// provisioning and then fail on the group, leaving a half-configured app.
func Preconditions(in config.Integration, obs Observed) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range DeclaredGroups(in) {
		if seen[g] {
			continue
		}
		seen[g] = true
		if why, bad := obs.GroupProblems[g]; bad {
			out = append(out, fmt.Sprintf("group %q: %s%s", g, why, DidYouMean(g, obs.GroupCandidates[g])))
		}
	}
	if obs.MappingsRead {
		for _, dir := range []struct {
			name     string
			declared []config.PropertyMapping
			id       string
			fix      string
		}{
			{"toApp", in.Mappings.ToApp, obs.ToApp.ID, "Okta has no Okta user → app profile mapping for this app"},
			{"toOkta", in.Mappings.ToOkta, obs.ToOkta.ID, "Okta has no app → Okta user profile mapping for this app: turn on import (provisioning.importUsers) first"},
		} {
			if len(dir.declared) > 0 && dir.id == "" {
				out = append(out, fmt.Sprintf("mappings.%s: %s", dir.name, dir.fix))
			}
		}
	}
	return out
}

// DeclaredGroups are the groups the file names for an integration: assigned, and
// pushed by name.
func DeclaredGroups(in config.Integration) []string {
	out := append([]string(nil), in.Groups...)
	for _, pg := range in.PushGroups {
		if pg.Group != "" {
			out = append(out, pg.Group)
		}
	}
	return out
}

// DidYouMean suggests the existing group a missing name was probably meant to be
// (" (did you mean …?)"), saying what differs when the two only look alike: a Greek Ε
// for a Latin E, a zero-width space, a fullwidth letter. "" when nothing is close.
func DidYouMean(name string, candidates []string) string {
	best, bestScore := "", -1
	for _, c := range candidates {
		if c == name {
			continue
		}
		score := -1
		switch {
		case Skeleton(c) == Skeleton(name):
			score = 1000
		case strings.EqualFold(Skeleton(c), Skeleton(name)):
			score = 900
		default:
			d := editDistance(strings.ToLower(Skeleton(c)), strings.ToLower(Skeleton(name)))
			if limit := max(1, utf8.RuneCountInString(name)/4); d <= limit {
				score = 100 - d
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	lookalikes := describeLookalikes(name)
	switch {
	case best == "" && lookalikes != "":
		return fmt.Sprintf(" (%s)", lookalikes)
	case best == "":
		return ""
	case bestScore == 1000 && lookalikes != "":
		return fmt.Sprintf(" (did you mean %q? the two only look alike: %s)", best, lookalikes)
	case bestScore == 900:
		return fmt.Sprintf(" (did you mean %q? group names are compared exactly, case included)", best)
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// SearchPrefixes are the prefixes to ask Okta for (its q is a prefix match) to find
// groups a missing name may have been meant as: its look-alike-free form, and the
// first letters of it (a typo further on).
func SearchPrefixes(name string) []string {
	var out []string
	add := func(p string) {
		if p != "" && p != name && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sk := Skeleton(name)
	add(sk)
	if r := []rune(sk); len(r) > 3 {
		add(string(r[:3]))
	}
	return out
}

// Skeleton is name with look-alike characters replaced by the ASCII letters they
// imitate and invisible characters removed, so two names that print alike compare
// equal.
func Skeleton(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case invisible(r):
		case confusables[r] != 0:
			b.WriteRune(confusables[r])
		case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
			b.WriteRune(r - 0xFEE0)
		case r == 0x00A0 || r == 0x2007 || r == 0x202F || r == 0x3000:
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func invisible(r rune) bool {
	return r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD
}

// describeLookalikes names each character of name that imitates another: its position,
// code point and script, and what it looks like.
func describeLookalikes(name string) string {
	var parts []string
	i := 0
	for _, r := range name {
		i++
		var looks string
		switch {
		case invisible(r):
			looks = "an invisible character"
		case confusables[r] != 0:
			looks = fmt.Sprintf("%q", confusables[r])
		case r >= 0xFF01 && r <= 0xFF5E:
			looks = fmt.Sprintf("%q", r-0xFEE0)
		default:
			continue
		}
		parts = append(parts, fmt.Sprintf("character %d is U+%04X (%s), not %s", i, r, script(r), looks))
	}
	return strings.Join(parts, "; ")
}

func script(r rune) string {
	for name, t := range map[string]*unicode.RangeTable{"Greek": unicode.Greek, "Cyrillic": unicode.Cyrillic, "Armenian": unicode.Armenian, "Cherokee": unicode.Cherokee} {
		if unicode.Is(t, r) {
			return name
		}
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		return "fullwidth"
	}
	return "format character"
}

// confusables maps letters of other scripts to the Latin letters they are drawn like
// (after Unicode's confusables.txt, the common cases).
var confusables = map[rune]rune{
	// Greek
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	'ο': 'o', 'ν': 'v', 'α': 'a', 'ι': 'i', 'κ': 'k', 'ρ': 'p', 'υ': 'u', 'χ': 'x',
	// Cyrillic
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J',
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j', 'ԁ': 'd', 'ɡ': 'g', 'һ': 'h',
	// Armenian, Cherokee
	'Օ': 'O', 'օ': 'o', 'ս': 'u', 'Ꭺ': 'A', 'Ꭼ': 'E', 'Ꮋ': 'H', 'Ꮪ': 'S', 'Ꭲ': 'T',
}

// editDistance is the optimal string alignment distance between a and b, in runes:
// insertions, deletions, substitutions and swaps of two neighbours (Salse, Sales).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
