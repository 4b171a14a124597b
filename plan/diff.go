package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/okta"
)

// FieldChange is one field that differs between the org and the file.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

func (c FieldChange) String() string { return fmt.Sprintf("%s: %s → %s", c.Field, c.Old, c.New) }

// Summarize joins changes for a one-line report.
func Summarize(cs []FieldChange) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, "; ")
}

// AppChanges lists the declared app fields that differ in the org. settings.app keys
// the file does not declare are not compared (they belong to the template).
func AppChanges(want okta.AppSpec, have okta.App) []FieldChange {
	var out []FieldChange
	str := func(field, old, new string) {
		if old != new {
			out = append(out, FieldChange{field, fmt.Sprintf("%q", old), fmt.Sprintf("%q", new)})
		}
	}
	boolean := func(field string, old, new bool) {
		if old != new {
			out = append(out, FieldChange{field, fmt.Sprint(old), fmt.Sprint(new)})
		}
	}
	str("label", have.Label, want.Label)
	str("signOnMode", have.SignOnMode, want.SignOnMode)
	keys := make([]string, 0, len(want.AppSettings))
	for k := range want.AppSettings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		str("settings.app."+k, fmt.Sprint(valueOr(have.AppSettings[k])), fmt.Sprint(want.AppSettings[k]))
	}
	keys = keys[:0]
	for k := range want.SignOnSettings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if old, new := canonical(have.SignOnSettings[k]), canonical(want.SignOnSettings[k]); old != new {
			out = append(out, FieldChange{"settings.signOn." + k, old, new})
		}
	}
	if name, ok := okta.StampedName(have.AdminNote); !ok || name != wantStampName(want.AdminNote) {
		str("settings.notes.admin (ownership stamp)", firstLine(have.AdminNote), stampTag(want.AdminNote))
	}
	boolean("visibility.hide.web", have.HideWeb, want.HideWeb)
	boolean("visibility.hide.iOS", have.HideMobile, want.HideMobile)
	boolean("visibility.autoSubmitToolbar", have.AutoSubmitToolbar, want.AutoSubmitToolbar)
	return out
}

// canonical prints a setting as JSON (maps with sorted keys), so that values read from
// Okta and values the file declares compare equal when they mean the same.
func canonical(v any) string {
	if v == nil {
		return `""`
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func valueOr(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func wantStampName(note string) string {
	n, _ := okta.StampedName(note)
	return n
}

// stampTag is the stamp's key part, [oktascim:NAME], without the sentence after it.
func stampTag(note string) string {
	if n, ok := okta.StampedName(note); ok {
		return "[oktascim:" + n + "]"
	}
	return firstLine(note)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// UserProvisioningChanges lists the "To App" actions that differ.
func UserProvisioningChanges(want, have okta.UserProvisioning) []FieldChange {
	var out []FieldChange
	add := func(field string, old, new bool) {
		if old != new {
			out = append(out, FieldChange{field, onOff(old), onOff(new)})
		}
	}
	add("createUsers", have.Create, want.Create)
	add("updateUsers", have.UpdateProfile, want.UpdateProfile)
	add("deactivateUsers", have.Deactivate, want.Deactivate)
	add("syncPassword", have.SyncPassword, want.SyncPassword)
	return out
}

// IntegrationActionChanges lists the Provisioning > Integration checkboxes that differ,
// as Okta reports them in the app's read-only features list.
func IntegrationActionChanges(pushGroups, importUsers bool, have okta.App) []FieldChange {
	var out []FieldChange
	if got := have.HasFeature("GROUP_PUSH"); got != pushGroups {
		out = append(out, FieldChange{"pushGroups", onOff(got), onOff(pushGroups)})
	}
	if got := have.HasFeature("IMPORT_NEW_USERS"); got != importUsers {
		out = append(out, FieldChange{"importUsers", onOff(got), onOff(importUsers)})
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Missing returns the ids in want that are not in have, in want's order.
func Missing(want, have []string) []string {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	var out []string
	for _, w := range want {
		if !set[w] {
			out = append(out, w)
		}
	}
	return out
}
