package plan

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// Steps are what apply does for one integration, in the order it does them: the
// single decision, made by Compute from one observation of the org. apply writes
// what a step says and verifies the write with the step's own verifier; a step that
// is Deferred cannot be decided until an earlier step of the same run has turned
// provisioning on, and apply decides it then with the same Decide function.
type Steps struct {
	App          AppStep
	Provisioning ProvisioningStep
	Actions      ActionsStep
	Mappings     MappingsStep
	Groups       GroupsStep
	Push         PushStep
}

// AppOp is what the app step writes.
type AppOp string

// The app step's operations.
const (
	AppCreate    AppOp = "create"    // POST the spec
	AppUpdate    AppOp = "update"    // PUT the spec (and activate when not ACTIVE)
	AppActivate  AppOp = "activate"  // only activate
	AppUnchanged AppOp = "unchanged" // nothing to write
)

// AppStep is the app's write: a create of Spec, an update of Current to Spec with
// Changes, an activation, or nothing.
type AppStep struct {
	Op      AppOp
	Spec    okta.AppSpec
	Current okta.App // the app as read (not for a create)
	Adopt   bool     // the app is not stamped yet: the update stamps it
	Changes []FieldChange
}

// DecideApp decides the app step from the match.
func DecideApp(in config.Integration, m Match) AppStep {
	want := DesiredApp(in)
	if m.App == nil {
		return AppStep{Op: AppCreate, Spec: want}
	}
	app := *m.App
	// Keep the admin's own notes next to the stamp.
	want.AdminNote = okta.WithStamp(app.AdminNote, in.Name)
	s := AppStep{Op: AppUnchanged, Spec: want, Current: app, Adopt: m.Adopt, Changes: AppChanges(DesiredApp(in), app)}
	if len(s.Changes) > 0 {
		s.Op = AppUpdate
	}
	if app.Status != "ACTIVE" {
		s.Changes = append(s.Changes, FieldChange{"status", app.Status, "ACTIVE"})
		if s.Op == AppUnchanged {
			s.Op = AppActivate
		}
	}
	return s
}

// Writes reports whether the update writes the app's fields (not only its status).
func (s AppStep) Writes() bool { return s.Op == AppCreate || s.Op == AppUpdate }

// Activates reports whether the app must be activated after the step's write.
func (s AppStep) Activates() bool {
	return s.Op != AppCreate && s.Current.Status != "" && s.Current.Status != "ACTIVE"
}

// NotKeptError says which written fields Okta did not keep.
type NotKeptError struct {
	What string
	Left []FieldChange
}

func (e *NotKeptError) Error() string {
	return fmt.Sprintf("Okta did not keep what was written to %s: %s", e.What, Summarize(e.Left))
}

// Verify checks the app as Okta returned it (the write's answer, or the app read
// again after an activation) against what the step wrote.
func (s AppStep) Verify(got okta.App) error {
	if left := AppChanges(s.Spec, got); len(left) > 0 {
		return &NotKeptError{"app " + got.ID, left}
	}
	if got.Status != "ACTIVE" {
		return fmt.Errorf("app %s is %s after activation", got.ID, got.Status)
	}
	return nil
}

// ProvisioningOp is what the provisioning step does.
type ProvisioningOp string

// The provisioning step's operations.
const (
	// ProvisioningUnchanged: on, and nothing the API can read differs.
	ProvisioningUnchanged ProvisioningOp = "unchanged"
	// ProvisioningSetConnection: on, and the connection's base URL differs: POST it.
	ProvisioningSetConnection ProvisioningOp = "set connection"
	// ProvisioningTryAPI: off; try the Provisioning Connection API, then the manual step.
	ProvisioningTryAPI ProvisioningOp = "try the connection API, then the manual step"
	// ProvisioningManual: off, and the API has no scheme for the credentials.
	ProvisioningManual ProvisioningOp = "manual step"
)

// ProvisioningStep is the provisioning step's decision.
type ProvisioningStep struct {
	Op ProvisioningOp
	// Why the connection is set ("base URL a → b"), for ProvisioningSetConnection.
	Why string
	// Connection is the connection as read while provisioning is on.
	Connection okta.Connection
	BaseURL    string
}

// TokenAuth reports whether the Provisioning Connection API could take the file's
// credentials: it has no Basic scheme, and a custom app's OAuth 2 is Okta's own.
func TokenAuth(in config.Integration) bool {
	m := in.SCIM.Auth.Method
	return m == "header" || (m == "oauth" && in.Kind != config.KindCustom)
}

// DecideProvisioning decides the provisioning step from what the org shows.
func DecideProvisioning(in config.Integration, on bool, conn okta.Connection) ProvisioningStep {
	s := ProvisioningStep{Op: ProvisioningManual, Connection: conn, BaseURL: in.SCIM.BaseURL}
	switch {
	case on && conn.Supported() && conn.Status == "ENABLED" && conn.BaseURL != in.SCIM.BaseURL && TokenAuth(in):
		s.Op, s.Why = ProvisioningSetConnection, fmt.Sprintf("base URL %s → %s", conn.BaseURL, in.SCIM.BaseURL)
	case on:
		s.Op = ProvisioningUnchanged
	case TokenAuth(in):
		s.Op = ProvisioningTryAPI
	}
	return s
}

// ConnectionState is what a connection write's answer shows.
type ConnectionState int

// The states a connection answer can show.
const (
	ConnectionSet         ConnectionState = iota // ENABLED with the declared base URL
	ConnectionUnsupported                        // the API does not manage the app (UNKNOWN)
	ConnectionInactive                           // stored but not ENABLED: activate it
	// ConnectionUnshown: ENABLED, but the answer has no base URL (the spec does not
	// require it of a write's answer): read the connection once to verify it.
	ConnectionUnshown
)

// VerifyConnection reads the connection as Okta answered a write (or as read again
// after an activation). A base URL the answer leaves out is not a contradiction: it
// is ConnectionUnshown, and the executor reads the connection once; a read that
// still has none fails (reread says which one this is).
func (s ProvisioningStep) VerifyConnection(got okta.Connection, reread bool) (ConnectionState, error) {
	switch {
	case !got.Supported():
		return ConnectionUnsupported, nil
	case got.Status != "ENABLED":
		return ConnectionInactive, nil
	case got.BaseURL == "" && !reread:
		return ConnectionUnshown, nil
	case got.BaseURL != s.BaseURL:
		return ConnectionSet, fmt.Errorf("after setting the provisioning connection Okta reports status %s, base URL %q", got.Status, got.BaseURL)
	}
	return ConnectionSet, nil
}

// ActionsStep is the provisioning actions' decision: the USER_PROVISIONING body to
// PUT (nil when the To App actions are as declared) and the Integration actions only
// the Admin Console sets.
type ActionsStep struct {
	// Deferred: provisioning is off at plan time; DecideActions once it is on.
	Deferred bool
	Put      *okta.UserProvisioning
	Changes  []FieldChange // what Put changes
	Console  []FieldChange
	// Evidence is what the org showed of the Integration actions.
	Evidence ActionEvidence
	// Missing: the actions cannot be set (ErrNoUserProvisioning).
	Missing error
}

// ErrNoUserProvisioning: provisioning is on, but Okta lists no USER_PROVISIONING
// feature to set the To App actions on.
var ErrNoUserProvisioning = errors.New("Okta lists no USER_PROVISIONING feature for the app")

// DecideActions decides the actions from the app's USER_PROVISIONING feature and
// what the org shows of the Integration actions. The PUT carries the app's own values
// for what the file does not declare, so a replacing PUT and a partial one end the same.
func DecideActions(in config.Integration, have okta.UserProvisioning, ev ActionEvidence) ActionsStep {
	s := ActionsStep{Changes: UserProvisioningChanges(in.Provisioning, have), Console: IntegrationActionChanges(in.Provisioning, ev), Evidence: ev}
	if len(s.Changes) > 0 {
		want := WantUserProvisioning(in.Provisioning, have)
		s.Put = &want
	}
	return s
}

// Verify checks USER_PROVISIONING as the PUT answered it.
func (s ActionsStep) Verify(in config.Integration, got okta.UserProvisioning) error {
	if left := UserProvisioningChanges(in.Provisioning, got); len(left) > 0 {
		return fmt.Errorf("Okta did not keep the provisioning actions: %s", Summarize(left))
	}
	return nil
}

// ConsoleDone reports whether the org now shows the Integration actions as declared
// (the manual step's verification).
func ConsoleDone(in config.Integration, ev ActionEvidence) bool {
	return len(IntegrationActionChanges(in.Provisioning, ev)) == 0
}

// NeedsFeaturesList reports whether the integration's steps look at the app's
// features list (a declared Push Groups or Import, or groups to push, which wait for
// Push Groups to show as on): only then is the app read again once provisioning
// changed in a run.
func NeedsFeaturesList(in config.Integration) bool {
	p := in.Provisioning
	return p.PushGroups != nil || p.ImportUsers != nil || len(in.PushGroups) > 0
}

// NeedsPushTab reports whether the Push Groups tab can decide a declared Push Groups
// that the rest of the evidence does not show.
func NeedsPushTab(in config.Integration, ev ActionEvidence) bool {
	return in.Kind != config.KindCustom && config.On(in.Provisioning.PushGroups) && !ev.PushGroups()
}

// GroupRef is a group by id and name.
type GroupRef struct{ ID, Name string }

// GroupsStep is the assignments' decision.
type GroupsStep struct {
	Declared []string   // the file's names, resolved
	Assign   []GroupRef // declared, not assigned
	Remove   []GroupRef // assigned, not declared, with --prune
}

// DecideGroups compares the declared groups (name → id) with the app's assignments
// (id → name): all of them when the app's were read, else only the declared ones.
func DecideGroups(in config.Integration, ids map[string]string, assigned map[string]string, prune bool) GroupsStep {
	s := GroupsStep{}
	declared := map[string]bool{}
	for _, g := range in.Groups {
		id, ok := ids[g]
		if !ok {
			continue // a problem of the plan (Preconditions)
		}
		s.Declared = append(s.Declared, g)
		declared[id] = true
		if _, ok := assigned[id]; !ok {
			s.Assign = append(s.Assign, GroupRef{id, g})
		}
	}
	if !prune {
		return s // undeclared assignments are untouched (and read only with --prune)
	}
	var extra []GroupRef
	for id, name := range assigned {
		if !declared[id] {
			extra = append(extra, GroupRef{id, name})
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	s.Remove = append(s.Remove, extra...)
	return s
}

// Unchanged reports whether the step writes nothing.
func (s GroupsStep) Unchanged() bool { return len(s.Assign)+len(s.Remove) == 0 }

// VerifyAssigned checks an assignment as the PUT answered it.
func (s GroupsStep) VerifyAssigned(g GroupRef, answeredID string) error {
	if answeredID != g.ID {
		return fmt.Errorf("Okta does not show the assignment of group %s after assigning it", g.Name)
	}
	return nil
}

// VerifyRemoved checks the app's assignments read again after removals.
func (s GroupsStep) VerifyRemoved(have []string) error {
	set := map[string]bool{}
	for _, id := range have {
		set[id] = true
	}
	var still []string
	for _, g := range s.Remove {
		if set[g.ID] {
			still = append(still, g.Name)
		}
	}
	if len(still) > 0 {
		return fmt.Errorf("Okta still shows group(s) %s assigned after removing them", strings.Join(still, ", "))
	}
	return nil
}

// MappingWrite is one profile mapping's partial update.
type MappingWrite struct {
	Direction string // toApp | toOkta
	ID        string
	Body      map[string]okta.MappingProperty
	Changes   []FieldChange
	declared  []config.PropertyMapping
}

// MappingsStep is the mappings' decision: app user properties to add, then the
// mappings to write.
type MappingsStep struct {
	// Deferred: provisioning is off at plan time (Okta has the app's schema and
	// mappings once it is on); DecideMappings once it is on.
	Deferred bool
	Add      map[string]okta.AppSchemaProperty
	Writes   []MappingWrite
	// Missing names a declared direction the app has no mapping for.
	Missing error
}

// DecideMappings decides the mappings from the app's schema and its two mappings.
func DecideMappings(in config.Integration, schema okta.AppSchema, toApp, toOkta okta.Mapping) MappingsStep {
	m := in.Mappings
	s := MappingsStep{}
	if len(m.ToApp) > 0 {
		s.Add = MissingAppProperties(m.ToApp, schema)
	}
	for _, dir := range []struct {
		name     string
		declared []config.PropertyMapping
		mapping  okta.Mapping
		hint     string
	}{
		{"toApp", m.ToApp, toApp, "Okta has no Okta user → app profile mapping for this app"},
		{"toOkta", m.ToOkta, toOkta, "Okta has no app → Okta user profile mapping for this app: turn on import (provisioning.importUsers) first"},
	} {
		if len(dir.declared) == 0 {
			continue
		}
		if dir.mapping.ID == "" {
			s.Missing = fmt.Errorf("mappings.%s: %s", dir.name, dir.hint)
			return s
		}
		if diff := MappingChanges(dir.name, dir.declared, dir.mapping); len(diff) > 0 {
			s.Writes = append(s.Writes, MappingWrite{Direction: dir.name, ID: dir.mapping.ID, Body: MappingUpdate(dir.declared, dir.mapping), Changes: diff, declared: dir.declared})
		}
	}
	return s
}

// Unchanged reports whether the step writes nothing.
func (s MappingsStep) Unchanged() bool { return len(s.Add) == 0 && len(s.Writes) == 0 }

// VerifySchema checks the app user schema as the schema POST answered it.
func (s MappingsStep) VerifySchema(in config.Integration, got okta.AppSchema) error {
	if left := MissingAppProperties(in.Mappings.ToApp, got); len(left) > 0 {
		return fmt.Errorf("Okta did not keep the app user properties %s", strings.Join(SortedKeys(left), ", "))
	}
	return nil
}

// Verify checks a mapping as the mapping POST answered it.
func (w MappingWrite) Verify(got okta.Mapping) error {
	if left := MappingChanges(w.Direction, w.declared, got); len(left) > 0 {
		return fmt.Errorf("Okta did not keep the mapping: %s", Summarize(left))
	}
	return nil
}

// PushStep is the group push's decision.
type PushStep struct {
	// Deferred: provisioning is off, or Push Groups does not show as on, at plan
	// time; DecidePush once the push mappings can be read.
	Deferred bool
	// Console: the org has no Group Push Mappings API; an admin pushes the groups.
	Console  bool
	Wants    []PushWant
	Create   []PushWant
	Activate []okta.GroupPush
	Remove   []okta.GroupPush // with --prune
	Changes  []FieldChange
	Removals []FieldChange
	Kept     []string
	// Unmatched are the file's match: patterns that match no group in the org.
	Unmatched []string
}

// Notes say, for plan and apply alike, which patterns push nothing.
func (s PushStep) Notes() []string {
	var out []string
	for _, m := range s.Unmatched {
		out = append(out, "push."+m+": matches no group in the org")
	}
	return out
}

// DecidePush compares the groups to push with the app's push mappings (names: the
// source groups' names, for what is removed or kept).
func DecidePush(wants []PushWant, have []okta.GroupPush, names map[string]string, prune bool) PushStep {
	s := PushStep{Wants: wants}
	s.Changes, s.Removals, s.Kept = PushChanges(wants, have, names, prune)
	bySource := bySourceGroup(have)
	wanted := map[string]bool{}
	for _, w := range wants {
		wanted[w.GroupID] = true
		h, ok := bySource[w.GroupID]
		switch {
		case !ok:
			s.Create = append(s.Create, w)
		case h.Status != "ACTIVE":
			s.Activate = append(s.Activate, h)
		}
	}
	if prune {
		for _, h := range have {
			if !wanted[h.SourceGroupID] {
				s.Remove = append(s.Remove, h)
			}
		}
	}
	return s
}

// DeactivateFirst reports whether a push mapping to remove must be deactivated before
// Okta deletes it.
func (s PushStep) DeactivateFirst(h okta.GroupPush) bool { return h.Status == "ACTIVE" }

// Unchanged reports whether the step writes nothing.
func (s PushStep) Unchanged() bool { return len(s.Create)+len(s.Activate)+len(s.Remove) == 0 }

// ErrPushNotShown is VerifyPush's answer for a mapping the write did not return.
var ErrPushNotShown = errors.New("Okta shows no group push mapping")

// PushAnswerShort reports whether a push write's answer lacks what VerifyPush reads
// (its source group or status; the spec requires no field of the answer, and no push
// is recorded): the executor reads the mapping once — by id where it knows it, else
// the app's mappings, FindPush — and verifies that instead.
func PushAnswerShort(got okta.GroupPush) bool {
	return got.SourceGroupID == "" || got.Status == ""
}

// FindPush is the push mapping of w's group among the app's mappings (zero: none).
func FindPush(w PushWant, have []okta.GroupPush) okta.GroupPush {
	return bySourceGroup(have)[w.GroupID]
}

// VerifyPush checks a push mapping as its create or activation answered it (or as
// read again after a short answer).
func VerifyPush(w PushWant, got okta.GroupPush) error {
	switch {
	case got.ID == "" || got.SourceGroupID != w.GroupID:
		return fmt.Errorf("%w for %s after creating it", ErrPushNotShown, w.GroupName)
	case got.Status == "ERROR":
		return &PushFailedError{w.GroupName, orNoReason(got.ErrorSummary)}
	case got.Status != "ACTIVE":
		return fmt.Errorf("the group push mapping for %s is %s after activating it", w.GroupName, got.Status)
	}
	return nil
}

// PushGroupsSeemOff reports whether Okta's 400 to a push create most likely means
// Push Groups is off: no admin checked a documented Push Groups control in a verified
// step of this run (checked: a custom app's Supported provisioning actions). Whatever
// else showed it on is a sign, not proof: the app's features list (some orgs fill it
// with what the app supports, not what is on), and the Push Groups tab answering (the
// Group Push Mappings list may answer whatever the setting; nothing documents that it
// refuses). Okta documents no error for this, so the status and the situation decide,
// never the wording.
func PushGroupsSeemOff(checked bool) bool { return !checked }

// PushGroupsSign says what showed Push Groups on before Okta refused a push.
func PushGroupsSign(app okta.App) string {
	if app.HasFeature("GROUP_PUSH") {
		return "the app's features list names GROUP_PUSH (the list may name what the app supports rather than what is on)"
	}
	return "the org showed it on (the Push Groups tab answers, which it may do whatever the setting)"
}

// ChecksPushGroups reports whether a verified manual step checked a custom app's
// documented Push Groups control: the provisioning step (console nil: its fields name
// every declared action) or an actions step whose changes include pushGroups.
func ChecksPushGroups(in config.Integration, console []FieldChange) bool {
	if in.Kind != config.KindCustom || !config.On(in.Provisioning.PushGroups) {
		return false
	}
	if console == nil {
		return true
	}
	for _, c := range console {
		if c.Field == "pushGroups" {
			return true
		}
	}
	return false
}

// PushFailedError is a push mapping Okta answered in ERROR: the SCIM server refused it.
type PushFailedError struct{ Group, Reason string }

func (e *PushFailedError) Error() string {
	return fmt.Sprintf("pushing %s failed: %s", e.Group, e.Reason)
}

func orNoReason(s string) string {
	if s == "" {
		return "no reason given"
	}
	return s
}
