package oktaorg

import (
	"net/http"
	"strings"
)

// scopeRule says which OAuth 2.0 scopes an endpoint needs: all of them, as the
// operation's oauth2 security requirement in Okta's OpenAPI spec (2026.06.3) lists
// them (TestScopeRulesMatchTheSpec checks every row against the spec).
type scopeRule struct {
	method, path string // path with {placeholders} for one segment each
	scopes       []string
}

const (
	appsRead       = "okta.apps.read"
	appsManage     = "okta.apps.manage"
	groupsRead     = "okta.groups.read"
	groupsManage   = "okta.groups.manage"
	logsRead       = "okta.logs.read"
	usersRead      = "okta.users.read"
	usersManage    = "okta.users.manage"
	usersReadSelf  = "okta.users.read.self"
	rolesRead      = "okta.roles.read"
	schemasRead    = "okta.schemas.read"
	schemasManage  = "okta.schemas.manage"
	mappingsRead   = "okta.profileMappings.read"
	mappingsManage = "okta.profileMappings.manage"
)

// scopeRules cover every endpoint the simulator answers.
var scopeRules = []scopeRule{
	{"GET", "/api/v1/apps", []string{appsRead}},
	{"POST", "/api/v1/apps", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}", []string{appsRead}},
	{"PUT", "/api/v1/apps/{appId}", []string{appsManage}},
	{"DELETE", "/api/v1/apps/{appId}", []string{appsManage}},
	{"POST", "/api/v1/apps/{appId}/lifecycle/activate", []string{appsManage}},
	{"POST", "/api/v1/apps/{appId}/lifecycle/deactivate", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}/connections/default", []string{appsRead}},
	{"POST", "/api/v1/apps/{appId}/connections/default", []string{appsManage}},
	{"POST", "/api/v1/apps/{appId}/connections/default/lifecycle/activate", []string{appsManage}},
	{"POST", "/api/v1/apps/{appId}/connections/default/lifecycle/deactivate", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}/features", []string{appsRead}},
	{"GET", "/api/v1/apps/{appId}/features/{featureName}", []string{appsRead}},
	{"PUT", "/api/v1/apps/{appId}/features/{featureName}", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}/groups", []string{appsRead}},
	{"GET", "/api/v1/apps/{appId}/groups/{groupId}", []string{appsRead}},
	{"PUT", "/api/v1/apps/{appId}/groups/{groupId}", []string{appsManage}},
	{"PATCH", "/api/v1/apps/{appId}/groups/{groupId}", []string{appsManage}},
	{"DELETE", "/api/v1/apps/{appId}/groups/{groupId}", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}/group-push/mappings", []string{appsRead, groupsRead}},
	{"POST", "/api/v1/apps/{appId}/group-push/mappings", []string{appsManage, groupsManage}},
	{"GET", "/api/v1/apps/{appId}/group-push/mappings/{mappingId}", []string{appsRead, groupsRead}},
	{"PATCH", "/api/v1/apps/{appId}/group-push/mappings/{mappingId}", []string{appsManage, groupsManage}},
	{"DELETE", "/api/v1/apps/{appId}/group-push/mappings/{mappingId}", []string{appsManage, groupsManage}},
	{"GET", "/api/v1/groups", []string{groupsRead}},
	{"POST", "/api/v1/groups", []string{groupsManage}},
	{"GET", "/api/v1/groups/{groupId}", []string{groupsRead}},
	{"PUT", "/api/v1/groups/{groupId}", []string{groupsManage}},
	{"DELETE", "/api/v1/groups/{groupId}", []string{groupsManage}},
	{"GET", "/api/v1/logs", []string{logsRead}},
	{"GET", "/api/v1/users/{id}", []string{usersRead}},
	// The users and app assignments of the round trip (users_api.go).
	{"GET", "/api/v1/users", []string{usersRead}},
	{"POST", "/api/v1/users", []string{usersManage}},
	{"POST", "/api/v1/users/{id}", []string{usersManage}},
	{"PUT", "/api/v1/users/{id}", []string{usersManage}},
	{"DELETE", "/api/v1/users/{id}", []string{usersManage}},
	{"POST", "/api/v1/users/{id}/lifecycle/activate", []string{usersManage}},
	{"POST", "/api/v1/users/{id}/lifecycle/deactivate", []string{usersManage}},
	{"GET", "/api/v1/apps/{appId}/users", []string{appsRead}},
	{"POST", "/api/v1/apps/{appId}/users", []string{appsManage}},
	{"GET", "/api/v1/apps/{appId}/users/{userId}", []string{appsRead}},
	{"DELETE", "/api/v1/apps/{appId}/users/{userId}", []string{appsManage}},
	{"GET", "/api/v1/users/{userId}/roles", []string{rolesRead}},
	{"GET", "/api/v1/mappings", []string{mappingsRead}},
	{"GET", "/api/v1/mappings/{mappingId}", []string{mappingsRead}},
	{"POST", "/api/v1/mappings/{mappingId}", []string{mappingsManage}},
	{"GET", "/api/v1/meta/schemas/apps/{appId}/default", []string{schemasRead}},
	{"POST", "/api/v1/meta/schemas/apps/{appId}/default", []string{schemasManage}},
}

// knownScopes are the scopes a token request may name: the rules' and the other
// okta.* scopes of the resources the simulator holds. Others are invalid_scope.
var knownScopes = func() map[string]bool {
	m := map[string]bool{usersReadSelf: true, "okta.roles.manage": true, "okta.apps.manage": true}
	for _, r := range scopeRules {
		for _, s := range r.scopes {
			m[s] = true
		}
	}
	return m
}()

// requiredScopes are the scopes a request needs; ok is false for an endpoint no rule
// covers (the router then answers 404 or 405). GET /api/v1/users/me needs
// okta.users.read.self or okta.users.read (the "self" scope reads the token's own user).
func requiredScopes(method, path string) (anyOf [][]string, ok bool) {
	path = strings.TrimRight(path, "/")
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if method == http.MethodGet && path == "/api/v1/users/me" {
		return [][]string{{usersReadSelf}, {usersRead}}, true
	}
	seg := strings.Split(path, "/")
	for _, r := range scopeRules {
		if r.method == method && matchTemplate(r.path, seg) {
			return [][]string{r.scopes}, true
		}
	}
	return nil, false
}

func matchTemplate(template string, seg []string) bool {
	ts := strings.Split(template, "/")
	if len(ts) != len(seg) {
		return false
	}
	for i, t := range ts {
		if strings.HasPrefix(t, "{") {
			if seg[i] == "" {
				return false
			}
			continue
		}
		if t != seg[i] {
			return false
		}
	}
	return true
}

// hasScope reports whether granted covers need. A manage scope covers its read scope:
// Okta's docs have .read for GETs and .manage for writes, and a service app granted
// okta.apps.manage alone lists and reads apps.
func hasScope(granted []string, need string) bool {
	for _, g := range granted {
		if g == need || (strings.HasSuffix(need, ".read") && g == strings.TrimSuffix(need, ".read")+".manage") {
			return true
		}
	}
	return false
}

// missingScopes is nil when granted satisfies one alternative of anyOf, else the
// scopes of the first alternative that granted lacks.
func missingScopes(granted []string, anyOf [][]string) []string {
	var first []string
	for i, all := range anyOf {
		var lack []string
		for _, s := range all {
			if !hasScope(granted, s) {
				lack = append(lack, s)
			}
		}
		if len(lack) == 0 {
			return nil
		}
		if i == 0 {
			first = lack
		}
	}
	return first
}
