package oktaorg

import (
	"net/http"
	"strings"
)

// The org has two admins: the one whose token has full access (Super Administrator)
// and the one behind the read-only tokens (Read-only Administrator).
const (
	superAdminID    = "00usimadmin000000001"
	readOnlyAdminID = "00usimreadonly000001"
)

// adminOf is the admin a request's token belongs to.
func (o *Org) adminOf(r *http.Request) string {
	if o.authorized(r, true) {
		return superAdminID
	}
	return readOnlyAdminID
}

func (o *Org) routeUsers(w http.ResponseWriter, r *http.Request, rest []string, body []byte) {
	id := ""
	if len(rest) > 0 {
		id = rest[0]
		if id == "me" {
			id = o.adminOf(r)
		}
	}
	name := map[string]string{superAdminID: "admin", readOnlyAdminID: "auditor"}[id]
	switch {
	case name == "":
		o.routePeople(w, r, rest, body) // every other user (users_api.go)
	case r.Method != http.MethodGet:
		methodNotAllowed(w)
		notFound(w, strings.Join(rest, "/")+" (User)")
	case len(rest) == 1:
		login := name + "@" + o.opts.Domain + ".example"
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "status": "ACTIVE",
			"profile": map[string]any{"login": login, "email": login, "firstName": "Sim", "lastName": name}})
	case len(rest) == 2 && rest[1] == "roles":
		role, label := "SUPER_ADMIN", "Super Administrator"
		if id == readOnlyAdminID {
			role, label = "READ_ONLY_ADMIN", "Read Only Administrator"
		}
		now := o.stamp()
		writeJSON(w, http.StatusOK, []any{map[string]any{"id": "ra1" + id[3:], "label": label, "type": role, "status": "ACTIVE",
			"created": now, "lastUpdated": now, "assignmentType": "USER",
			"_links": map[string]any{"assignee": map[string]any{"href": "http://" + r.Host + "/api/v1/users/" + id}}}})
	default:
		notFound(w, r.URL.Path)
	}
}
