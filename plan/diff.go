package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// FieldChange is one field that differs between the org and the file.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// String is the change for people, in the file's field names (FileField). An empty
// old value is an addition and an empty new value a removal (as in plan.schema.json),
// so neither prints an arrow from or to nothing.
func (c FieldChange) String() string {
	switch {
	case c.Old == "":
		return fmt.Sprintf("%s: %s", FileField(c.Field), c.New)
	case c.New == "":
		return fmt.Sprintf("%s: %s → removed", FileField(c.Field), c.Old)
	}
	return fmt.Sprintf("%s: %s → %s", FileField(c.Field), c.Old, c.New)
}

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
	if !SameSignOn(want, have.SignOnMode) {
		str("signOnMode", have.SignOnMode, want.SignOnMode)
	}
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
	// Visibility keys the file does not declare are the org's.
	for _, v := range []struct {
		field string
		have  bool
		want  *bool
	}{{"visibility.hide.web", have.HideWeb, want.HideWeb}, {"visibility.hide.iOS", have.HideMobile, want.HideMobile},
		{"visibility.autoSubmitToolbar", have.AutoSubmitToolbar, want.AutoSubmitToolbar}} {
		if v.want != nil {
			boolean(v.field, v.have, *v.want)
		}
	}
	return out
}

// SameSignOn says whether the org's sign-on mode is the one declared. A template app
// declared with SWA may hold either SWA mode: which one the SCIM templates take, and
// whether Okta rewrites one into the other, is not known (docs/variants.md,
// template-swa).
func SameSignOn(want okta.AppSpec, have string) bool {
	swa := func(m string) bool { return m == SignOnSWA || m == SignOnCustomSWA }
	return have == want.SignOnMode || want.Name != "" && swa(want.SignOnMode) && swa(have)
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

// UserProvisioningChanges lists the declared "To App" actions that differ from what
// the app has; a documented default shows as "on (default)".
func UserProvisioningChanges(p config.Provisioning, have okta.UserProvisioning) []FieldChange {
	var out []FieldChange
	haves := map[string]bool{"createUsers": have.Create, "updateUsers": have.UpdateProfile, "deactivateUsers": have.Deactivate, "syncPassword": have.SyncPassword}
	for _, a := range DeclaredActions(p) {
		old, toApp := haves[a.Name]
		if toApp && old != a.On {
			out = append(out, FieldChange{a.Name, onOff(old), a.Value()})
		}
	}
	return out
}

// ActionEvidence is what the org shows of the Provisioning > Integration actions
// (Push Groups, Import). Which controls a template app's Integration page offers is
// not confirmed, so each plausible sign counts: the app's read-only features list,
// the To Okta settings (INBOUND_PROVISIONING) being served, the Push Groups tab (the
// Group Push Mappings API answering for the app).
type ActionEvidence struct {
	Features []string // the app's features list
	Inbound  bool     // GET …/features lists INBOUND_PROVISIONING
	PushTab  bool     // GET …/group-push/mappings answers
	// Confirmed: the controls are documented for the app's kind (a custom app's
	// Supported provisioning actions), so only the features list counts.
	Confirmed bool
}

// PushGroups reports whether Push Groups shows as on.
func (e ActionEvidence) PushGroups() bool {
	return has(e.Features, "GROUP_PUSH") || (!e.Confirmed && e.PushTab)
}

// ImportUsers reports whether import shows as on.
func (e ActionEvidence) ImportUsers() bool {
	return has(e.Features, "IMPORT_NEW_USERS") || (!e.Confirmed && e.Inbound)
}

// satisfied reports whether the evidence agrees with the declared value: on needs
// one sign of it; off needs the features list not to name it.
func (e ActionEvidence) satisfied(name string, on bool) (bool, string) {
	feature, seen := "GROUP_PUSH", e.PushGroups()
	if name == "importUsers" {
		feature, seen = "IMPORT_NEW_USERS", e.ImportUsers()
	}
	if on {
		return seen, onOff(seen)
	}
	listed := has(e.Features, feature)
	return !listed, onOff(listed)
}

// IntegrationActionChanges lists the declared Integration actions (pushGroups,
// importUsers) the org does not show as declared. Omitted ones are not compared.
func IntegrationActionChanges(p config.Provisioning, e ActionEvidence) []FieldChange {
	var out []FieldChange
	for _, a := range DeclaredActions(p) {
		if a.Name != "pushGroups" && a.Name != "importUsers" {
			continue
		}
		if ok, old := e.satisfied(a.Name, a.On); !ok {
			out = append(out, FieldChange{a.Name, old, a.Value()})
		}
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
