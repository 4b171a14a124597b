package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// varRef is a Runscope variable reference, {{name}}.
var varRef = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_]+)\s*\}\}`)

// refs returns the variable names s references, in order, without repeats.
func refs(s string) []string {
	var out []string
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// subst replaces each {{name}} with esc(value); an undefined name is left as it is
// (callers check refs against the variables before substituting).
func subst(s string, vars map[string]string, esc func(name, value string) string) string {
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		name := varRef.FindStringSubmatch(m)[1]
		v, ok := vars[name]
		if !ok {
			return m
		}
		if esc != nil {
			return esc(name, v)
		}
		return v
	})
}

// jsonEscape makes v safe inside a JSON string literal (the suites' bodies put their
// variables inside quotes).
func jsonEscape(_, v string) string {
	b, _ := json.Marshal(v)
	return string(b[1 : len(b)-1])
}

// buildURL substitutes the variables of a Runscope URL template and encodes what
// Runscope encodes on the wire: the raw spaces and quotes of the query
// (?filter=userName eq "x") and any variable value placed in the path. baseVars are
// the variables holding the base URL, inserted verbatim.
func buildURL(tmpl string, vars map[string]string, baseVars ...string) (string, error) {
	pathT, queryT, hasQuery := strings.Cut(tmpl, "?")
	path := subst(pathT, vars, func(name, v string) string {
		if slices.Contains(baseVars, name) {
			return v
		}
		return url.PathEscape(v)
	})
	u, err := url.Parse(path)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", path)
	}
	if !hasQuery {
		return path, nil
	}
	query := subst(queryT, vars, nil)
	var parts []string
	for _, kv := range strings.Split(query, "&") {
		k, v, eq := strings.Cut(kv, "=")
		p := queryEscape(k)
		if eq {
			p += "=" + queryEscape(v)
		}
		parts = append(parts, p)
	}
	return path + "?" + strings.Join(parts, "&"), nil
}

// queryEscape escapes a query component with %20 for spaces, which every server reads
// as a space (a "+" is not read so everywhere).
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

var (
	pathPart = regexp.MustCompile(`^([^\[\]]+)((?:\[\d+\])*)$`)
	indexRe  = regexp.MustCompile(`\d+`)
)

// lookup walks a Runscope property path such as Resources[0].name.familyName.
func lookup(doc any, prop string) (any, bool) {
	cur := doc
	for _, seg := range strings.Split(prop, ".") {
		m := pathPart.FindStringSubmatch(seg)
		if m == nil {
			return nil, false
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[m[1]]; !ok {
			return nil, false
		}
		for _, idx := range indexRe.FindAllString(m[2], -1) {
			i, _ := strconv.Atoi(idx)
			arr, ok := cur.([]any)
			if !ok || i >= len(arr) {
				return nil, false
			}
			cur = arr[i]
		}
	}
	return cur, true
}

// valueString is the text Runscope compares: strings as they are, numbers without a
// trailing .0, booleans as true/false, anything else as compact JSON.
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// shown renders a response value for a message: JSON, cut to about 120 characters.
func shown(v any, found bool) string {
	if !found {
		return "(missing)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return cut(string(b), 120)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Failure is one assertion that did not hold.
type Failure struct {
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

func (f Failure) String() string { return "expected " + f.Expected + ", got " + f.Got }

// compareJSON applies a response_json comparison to the value at prop; nil when it holds.
func compareJSON(cmp, prop string, got any, found bool, want string) *Failure {
	gotText := prop + " " + shown(got, found)
	fail := func(expected string) *Failure { return &Failure{Expected: prop + " " + expected, Got: gotText} }
	switch cmp {
	case "not_empty":
		empty := !found || got == nil || got == ""
		if a, ok := got.([]any); ok && len(a) == 0 {
			empty = true
		}
		if m, ok := got.(map[string]any); ok && len(m) == 0 {
			empty = true
		}
		if empty {
			return fail("not empty")
		}
	case "equal":
		if !found || valueString(got) != want {
			return fail("equal to " + strconv.Quote(want))
		}
	case "equal_number":
		n, ok := got.(float64)
		w, err := strconv.ParseFloat(want, 64)
		if !ok || err != nil || n != w {
			return fail("the number " + want)
		}
	case "is_a_number":
		if _, ok := got.(float64); !ok {
			if s, isStr := got.(string); isStr {
				gotText = prop + " " + strconv.Quote(s) + " (a string)"
			}
			return fail("a number")
		}
	case "has_value", "contains":
		switch x := got.(type) {
		case []any:
			for _, e := range x {
				if valueString(e) == want {
					return nil
				}
			}
		case string:
			if strings.Contains(x, want) {
				return nil
			}
		}
		return fail("containing " + strconv.Quote(want))
	default:
		return &Failure{Expected: prop + " " + cmp + " " + strconv.Quote(want), Got: "a comparison oktascim does not implement (" + cmp + ")"}
	}
	return nil
}

// compareNumber applies a comparison to a number the response gave (status, time).
func compareNumber(cmp string, got float64, want string) bool {
	w, err := strconv.ParseFloat(strings.TrimSpace(want), 64)
	if err != nil && cmp != "one_of" {
		return false
	}
	switch cmp {
	case "equal_number", "equal":
		return got == w
	case "is_less_than":
		return got < w
	case "one_of": // oktascim's own steps only (crud.go): "200,204"
		for _, s := range strings.Split(want, ",") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && f == got {
				return true
			}
		}
	}
	return false
}
