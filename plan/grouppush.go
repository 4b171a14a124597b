package plan

import (
	"sort"

	"github.com/oktascim/oktascim/okta"
)

// PushWant is one Okta group to push, resolved from the file's pushGroups.
type PushWant struct {
	GroupID, GroupName string
	Target             string // the group's name on the SCIM server
}

// PushChanges compares the groups to push with the app's group push mappings. Mappings
// of groups the file does not name are removals with prune, else kept (by group id).
func PushChanges(want []PushWant, have []okta.GroupPush, names map[string]string, prune bool) (changes, removals []FieldChange, kept []string) {
	bySource := bySourceGroup(have)
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[w.GroupID] = true
		field := "push." + w.GroupName
		h, ok := bySource[w.GroupID]
		switch {
		case !ok:
			changes = append(changes, FieldChange{field, "", "pushed as " + w.Target})
		case h.Status != "ACTIVE":
			changes = append(changes, FieldChange{field, h.Status + errorNote(h), "ACTIVE"})
		}
	}
	var extra []okta.GroupPush
	for _, h := range have {
		if !wanted[h.SourceGroupID] {
			extra = append(extra, h)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return names[extra[i].SourceGroupID] < names[extra[j].SourceGroupID] })
	for _, h := range extra {
		name := names[h.SourceGroupID]
		if name == "" {
			name = h.SourceGroupID
		}
		if prune {
			removals = append(removals, FieldChange{"push." + name, h.Status, ""})
		} else {
			kept = append(kept, "push "+name)
		}
	}
	return changes, removals, kept
}

func errorNote(h okta.GroupPush) string {
	if h.Status == "ERROR" && h.ErrorSummary != "" {
		return " (" + h.ErrorSummary + ")"
	}
	return ""
}

// bySourceGroup indexes push mappings by the Okta group they push.
func bySourceGroup(have []okta.GroupPush) map[string]okta.GroupPush {
	out := map[string]okta.GroupPush{}
	for _, h := range have {
		out[h.SourceGroupID] = h
	}
	return out
}
