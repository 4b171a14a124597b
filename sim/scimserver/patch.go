package scimserver

import (
	"encoding/json"
	"net/http"
	"strings"
)

// patch20 applies an RFC 7644 §3.5.2 PatchOp to res in place.
func patch20(res map[string]any, body map[string]any) error {
	if !containsString(get(body, "schemas"), urnPatchOp) {
		return errorf(http.StatusBadRequest, "invalidSyntax", "PATCH body must have schemas [%q]", urnPatchOp)
	}
	ops, ok := get(body, "Operations").([]any)
	if !ok || len(ops) == 0 {
		return errorf(http.StatusBadRequest, "invalidSyntax", "PATCH body must have a non-empty Operations array")
	}
	for _, o := range ops {
		op, ok := o.(map[string]any)
		if !ok {
			return errorf(http.StatusBadRequest, "invalidSyntax", "each operation must be an object")
		}
		name, _ := get(op, "op").(string)
		path, _ := get(op, "path").(string)
		value, hasValue := op[key(op, "value")]
		var err error
		switch strings.ToLower(name) {
		case "add", "replace":
			if !hasValue {
				return errorf(http.StatusBadRequest, "invalidValue", "operation %q needs a value", name)
			}
			err = applyValue(res, path, value, strings.ToLower(name) == "replace")
		case "remove":
			err = removePath(res, path, value)
		default:
			return errorf(http.StatusBadRequest, "invalidSyntax", "unknown PATCH op %q", name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// patchPath is a parsed PATCH path: attr[filterAttr eq "filterValue"].sub
type patchPath struct {
	container map[string]any
	attr      string
	filterOn  string
	filterVal string
	hasFilter bool
	sub       string
}

func parsePath(res map[string]any, p string, create bool) (*patchPath, error) {
	bad := errorf(http.StatusBadRequest, "invalidPath", "unsupported PATCH path %q", p)
	pp := &patchPath{container: res}
	if strings.HasPrefix(strings.ToLower(p), "urn:") {
		// urn:...:attr[.sub]; the attribute follows the last ':' outside a filter.
		head := p
		if i := strings.Index(head, "["); i >= 0 {
			head = head[:i]
		}
		i := strings.LastIndex(head, ":")
		urn, rest := p[:i], p[i+1:]
		p = rest
		if !strings.EqualFold(urn, urnUser20) && !strings.EqualFold(urn, urnGroup20) {
			ext, ok := get(res, urn).(map[string]any)
			if !ok {
				if !create {
					return nil, errorf(http.StatusBadRequest, "noTarget", "no attribute %q", urn)
				}
				ext = map[string]any{}
				res[key(res, urn)] = ext
			}
			pp.container = ext
		}
	}
	if i := strings.Index(p, "["); i >= 0 {
		j := strings.Index(p, "]")
		if j < i {
			return nil, bad
		}
		pp.attr = p[:i]
		f := strings.TrimSpace(p[i+1 : j])
		fields := strings.SplitN(f, " ", 3)
		if len(fields) != 3 || !strings.EqualFold(fields[1], "eq") {
			return nil, bad
		}
		pp.filterOn, pp.hasFilter = fields[0], true
		if err := json.Unmarshal([]byte(strings.TrimSpace(fields[2])), &pp.filterVal); err != nil {
			return nil, bad
		}
		rest := p[j+1:]
		if rest != "" {
			if !strings.HasPrefix(rest, ".") || len(rest) < 2 {
				return nil, bad
			}
			pp.sub = rest[1:]
		}
	} else if i := strings.Index(p, "."); i >= 0 {
		pp.attr, pp.sub = p[:i], p[i+1:]
	} else {
		pp.attr = p
	}
	if pp.attr == "" {
		return nil, bad
	}
	return pp, nil
}

func (pp *patchPath) matches(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	switch x := get(m, pp.filterOn).(type) {
	case string:
		return x == pp.filterVal
	case bool:
		b, ok := toBool(pp.filterVal)
		return ok && b == x
	}
	return false
}

// applyValue implements add (replace=false) and replace.
func applyValue(res map[string]any, path string, value any, replace bool) error {
	if path == "" {
		m, ok := value.(map[string]any)
		if !ok {
			return errorf(http.StatusBadRequest, "invalidValue", "an operation without a path needs an object value")
		}
		for k, v := range m {
			if strings.Contains(k, ".") || strings.HasPrefix(strings.ToLower(k), "urn:") && !isMap(v) {
				if err := applyValue(res, k, v, replace); err != nil {
					return err
				}
				continue
			}
			setAttr(res, k, v, replace)
		}
		return nil
	}
	if isMap(value) && (strings.EqualFold(path, urnEnterprise) || strings.HasPrefix(strings.ToLower(path), "urn:") && isMap(get(res, path))) {
		setAttr(res, path, value, replace) // the whole extension object
		return nil
	}
	pp, err := parsePath(res, path, true)
	if err != nil {
		return err
	}
	c := pp.container
	k := key(c, pp.attr)
	switch {
	case pp.hasFilter:
		arr, _ := c[k].([]any)
		found := false
		for i, e := range arr {
			if !pp.matches(e) {
				continue
			}
			found = true
			if pp.sub == "" {
				if replace {
					arr[i] = value
				} else if em, ok := e.(map[string]any); ok {
					if vm, ok := value.(map[string]any); ok {
						for vk, vv := range vm {
							em[key(em, vk)] = vv
						}
					}
				}
			} else if em, ok := e.(map[string]any); ok {
				em[key(em, pp.sub)] = value
			}
		}
		if !found {
			if pp.sub == "" {
				return errorf(http.StatusBadRequest, "noTarget", "no value of %s matches the filter", pp.attr)
			}
			c[k] = append(arr, map[string]any{pp.filterOn: pp.filterVal, pp.sub: value})
		}
	case pp.sub != "":
		m, ok := c[k].(map[string]any)
		if !ok {
			m = map[string]any{}
			c[k] = m
		}
		setAttr(m, pp.sub, value, replace)
	default:
		setAttr(c, pp.attr, value, replace)
	}
	return nil
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

// setAttr sets m[name]: arrays are appended to by add and replaced by replace; complex
// values are merged; "active" accepts "True"/"False" strings.
func setAttr(m map[string]any, name string, v any, replace bool) {
	k := key(m, name)
	if strings.EqualFold(name, "active") {
		if b, ok := toBool(v); ok {
			v = b
		}
	}
	switch nv := v.(type) {
	case []any:
		if old, ok := m[k].([]any); ok && !replace {
			for _, e := range nv {
				if !containsValue(old, e) {
					old = append(old, e)
				}
			}
			m[k] = old
			return
		}
	case map[string]any:
		if old, ok := m[k].(map[string]any); ok {
			for sk, sv := range nv {
				setAttr(old, sk, sv, replace)
			}
			return
		}
	}
	m[k] = v
}

// containsValue reports whether arr has an element equal to e, comparing multi-valued
// elements by their "value" sub-attribute.
func containsValue(arr []any, e any) bool {
	em, isMap := e.(map[string]any)
	for _, x := range arr {
		if xm, ok := x.(map[string]any); ok && isMap {
			if v := get(em, "value"); v != nil && v == get(xm, "value") {
				return true
			}
		} else if x == e {
			return true
		}
	}
	return false
}

func removePath(res map[string]any, path string, value any) error {
	if path == "" {
		return errorf(http.StatusBadRequest, "noTarget", "remove needs a path")
	}
	pp, err := parsePath(res, path, false)
	if err != nil {
		return err
	}
	c := pp.container
	k := key(c, pp.attr)
	switch {
	case pp.hasFilter:
		arr, _ := c[k].([]any)
		kept := arr[:0:0]
		for _, e := range arr {
			if !pp.matches(e) {
				kept = append(kept, e)
				continue
			}
			if pp.sub != "" {
				if em, ok := e.(map[string]any); ok {
					delete(em, key(em, pp.sub))
				}
				kept = append(kept, e)
			}
		}
		c[k] = kept
	case pp.sub != "":
		if m, ok := c[k].(map[string]any); ok {
			delete(m, key(m, pp.sub))
		}
	default:
		// remove with a value on a multi-valued attribute removes just those values
		// (the form Azure AD and some Okta flows send for group members).
		arr, isArr := c[k].([]any)
		vals, hasVals := value.([]any)
		if isArr && hasVals {
			kept := arr[:0:0]
			for _, e := range arr {
				if !containsValue(vals, e) {
					kept = append(kept, e)
				}
			}
			c[k] = kept
			return nil
		}
		delete(c, k)
	}
	return nil
}

// patch11 applies a SCIM 1.1 partial resource: meta.attributes names attributes to
// remove; multi-valued attributes merge by "value", and elements with
// "operation":"delete" are removed; other attributes replace.
func patch11(res map[string]any, body map[string]any) error {
	if meta, ok := get(body, "meta").(map[string]any); ok {
		if attrs, ok := get(meta, "attributes").([]any); ok {
			for _, a := range attrs {
				name, ok := a.(string)
				if !ok {
					return errorf(http.StatusBadRequest, "invalidValue", "meta.attributes must be strings")
				}
				if i := strings.Index(name, "."); i >= 0 {
					if m, ok := get(res, name[:i]).(map[string]any); ok {
						delete(m, key(m, name[i+1:]))
					}
					continue
				}
				delete(res, key(res, name))
			}
		}
	}
	for k, v := range body {
		switch strings.ToLower(k) {
		case "meta", "id", "schemas":
			continue
		}
		rk := key(res, k)
		switch nv := v.(type) {
		case []any:
			old, _ := res[rk].([]any)
			for _, e := range nv {
				em, ok := e.(map[string]any)
				if !ok {
					if !containsValue(old, e) {
						old = append(old, e)
					}
					continue
				}
				del := false
				if op, _ := get(em, "operation").(string); strings.EqualFold(op, "delete") {
					del = true
				}
				delete(em, key(em, "operation"))
				kept := old[:0:0]
				for _, x := range old {
					if !containsValue([]any{em}, x) {
						kept = append(kept, x)
					}
				}
				if !del {
					kept = append(kept, em)
				}
				old = kept
			}
			if old == nil {
				old = []any{}
			}
			res[rk] = old
		default:
			setAttr(res, k, v, true)
		}
	}
	return nil
}

func containsString(v any, s string) bool {
	arr, _ := v.([]any)
	for _, x := range arr {
		if x == s {
			return true
		}
	}
	return false
}
