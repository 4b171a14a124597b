// Package plan is the single decision: it compares what the file declares with what
// the org holds (Observed, read by apply) and decides, per integration, the steps
// apply carries out (Steps: the app, provisioning, actions, mappings, groups and push,
// each saying what it writes, or that it is deferred until the run has turned
// provisioning on), the verifiers of those writes, the manual steps only an admin can
// do, and the plan document shown to the user. It does no I/O, so its tests are pure
// tables.
package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// Action is what apply would do with an integration's app as a whole.
type Action string

const (
	Create    Action = "create"    // no app yet: create it from the template
	Adopt     Action = "adopt"     // an unstamped app matches by template and label: stamp and manage it
	Update    Action = "update"    // the managed app differs from the file
	Unchanged Action = "unchanged" // nothing to write
	Error     Action = "error"     // the org cannot be planned against (e.g. two candidates)
)

// PlanVersion is the version of the plan document (docs/plan.schema.json); 2: the
// pending manual steps are step objects, not sentences.
const PlanVersion = 2

// Plan is what apply would do to the org, read without writing anything.
type Plan struct {
	Version      int           `json:"version"`
	Integrations []Integration `json:"integrations"`
	// Prune lists managed apps the file no longer names, deleted only with --prune;
	// always present (empty when there are none) so scripts can read .prune[].
	Prune []AppRef `json:"prune"`
	// Changes counts the changes in the plan (fields, groups, removals, creations).
	Changes int `json:"changes"`
	// Pending counts manual steps still to do in the Admin Console.
	Pending int     `json:"pending"`
	Summary Summary `json:"summary"`
}

// Summary counts integrations by action, and apps to delete.
type Summary struct {
	Create    int `json:"create"`
	Adopt     int `json:"adopt"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Delete    int `json:"delete"`
	Errors    int `json:"errors"`
	// Failing counts integrations whose preconditions fail (Integration.Problems).
	Failing int `json:"failing"`
}

// AppRef names an app.
type AppRef struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	AppName     string `json:"appName"`
	Integration string `json:"integration"`
	Status      string `json:"status"`
}

// Integration is the plan for one integration.
type Integration struct {
	Name    string `json:"name"`
	Label   string `json:"label"`
	AppName string `json:"appName"`
	AppID   string `json:"appId,omitempty"`
	Action  Action `json:"action"`
	// Status and SignOnMode are the app's, as read (empty when there is no app yet).
	Status     string `json:"status,omitempty"`
	SignOnMode string `json:"signOnMode,omitempty"`
	// Changes are field changes to the app, its actions and group assignments;
	// secrets show as (sensitive).
	Changes []FieldChange `json:"changes"`
	// Removals are group assignments the file does not name: removed only with --prune.
	Removals []FieldChange `json:"removals"`
	// Kept are group pushes the file does not name, left alone because --prune is off
	// ("push <group id>"); assignments it does not name are not read without --prune.
	Kept []string `json:"kept"`
	// Provisioning is on, off (a manual step is pending) or unknown (no app yet).
	Provisioning string `json:"provisioning"`
	// Manual are the steps only an admin can do, still pending: the steps apply prints,
	// with no secret in them (a secret field says where its value comes from).
	Manual []ManualStep `json:"manual"`
	// Notes are what the plan found that needs no change but should be said, e.g. a
	// pushGroups pattern that matches no group in the org.
	Notes []string `json:"notes"`
	// Unverifiable are declared values the API cannot read back, and how apply
	// verifies them instead.
	Unverifiable []string `json:"unverifiable"`
	Error        string   `json:"error,omitempty"`
	// Problems are preconditions the org does not meet (see Preconditions): apply
	// would fail on them after writing, so the plan fails and apply does not start
	// the integration.
	Problems []string `json:"problems,omitempty"`
	// Steps are what apply carries out, decided here (not part of the document).
	Steps Steps `json:"-"`
}

// HasChanges reports whether apply would write anything or a step is pending.
func (p Plan) HasChanges() bool { return p.Changes > 0 || p.Pending > 0 }

// Drifted reports whether the app differs from the file in what apply writes.
func (in Integration) Drifted() bool { return len(in.Changes)+len(in.Removals) > 0 }

// HasErrors reports whether some integration cannot be planned, or would fail.
func (p Plan) HasErrors() bool { return p.Summary.Errors > 0 || p.Summary.Failing > 0 }

// Observed is what the org holds for one integration, as read by apply.Observe.
type Observed struct {
	Match    Match
	MatchErr error
	// ProvisioningOn: Okta serves the app's provisioning features.
	ProvisioningOn bool
	// UserProvisioning is readable only when provisioning is on; NoUserProvisioning:
	// provisioning is on but Okta lists no USER_PROVISIONING feature.
	UserProvisioning   okta.UserProvisioning
	NoUserProvisioning bool
	// Connection is the provisioning connection as the API reports it (UNKNOWN for
	// most template apps: the API cannot read their base URL).
	Connection okta.Connection
	// Evidence is what the org shows of the Integration actions (the app's features
	// list, the To Okta settings, the Push Groups tab).
	Evidence ActionEvidence
	// Groups maps declared group names to ids; GroupProblems says why a name has no id
	// (it does not exist, or several groups carry it).
	Groups        map[string]string
	GroupProblems map[string]string
	// GroupCandidates are, for a declared name no group has, the names of groups it
	// may have been meant as (see SearchPrefixes), for a did-you-mean.
	GroupCandidates map[string][]string
	// Assigned are the app's group assignments, id → name.
	Assigned map[string]string
	// Mappings, when the file declares any: the app's user schema and its two profile
	// mappings, read.
	MappingsRead  bool
	Schema        okta.AppSchema
	ToApp, ToOkta okta.Mapping
	// Group push, when the file declares any: the groups resolved, the app's push
	// mappings (when provisioning is on), or that the org lacks the API.
	PushWants []PushWant
	// PushUnmatched are the file's match: patterns that match no group in the org
	// (read; nil when the groups were not read).
	PushUnmatched  []string
	PushRead       bool
	Pushes         []okta.GroupPush
	PushNames      map[string]string
	PushAPIMissing bool
	// Console gives the org's Admin Console links for the manual steps (nil: none).
	Console Console
}

// Compute plans one integration from what the org holds. prune decides whether the
// assignments and group pushes the file does not name are removed (else untouched).
func Compute(in config.Integration, obs Observed, prune bool) Integration {
	p := compute(in, obs, prune)
	if p.Action != Error {
		p.Problems = Preconditions(in, obs)
	}
	return p
}

func compute(in config.Integration, obs Observed, prune bool) Integration {
	want := DesiredApp(in)
	p := Integration{Name: in.Name, Label: want.Label, AppName: want.Name, Changes: []FieldChange{}, Removals: []FieldChange{}, Kept: []string{}, Manual: []ManualStep{}, Notes: []string{}, Unverifiable: []string{}}
	if obs.MatchErr != nil {
		p.Action, p.Error = Error, obs.MatchErr.Error()
		return p
	}
	st := &p.Steps
	st.App = DecideApp(in, obs.Match)
	st.Groups = DecideGroups(in, obs.Groups, obs.Assigned, prune)
	if obs.Match.App == nil {
		// Everything after the app waits on provisioning, which a new app does not have.
		st.Provisioning = DecideProvisioning(in, false, okta.Connection{})
		st.Actions, st.Mappings = ActionsStep{Deferred: true}, MappingsStep{Deferred: true}
		st.Push = PushStep{Deferred: true, Wants: obs.PushWants}
		p.Unverifiable = append(p.Unverifiable, unreadable(in))
		p.Action, p.Provisioning = Create, "unknown"
		kind := want.Name
		if kind == "" {
			kind = "custom app"
		}
		p.Changes = append(p.Changes, FieldChange{"app", "", fmt.Sprintf("%s %q (%s)", kind, want.Label, want.SignOnMode)})
		pending := pendingApp(want)
		p.Manual = append(p.Manual, provisioningPending(in, st.Provisioning, pending, obs.Console))
		for _, c := range UserProvisioningChanges(in.Provisioning, okta.UserProvisioning{}) {
			p.Changes = append(p.Changes, FieldChange{c.Field, "", c.New})
		}
		none := ActionEvidence{Confirmed: in.Kind == config.KindCustom}
		p.Manual = append(p.Manual, actionsPending(in, pending, obs.Console, IntegrationActionChanges(in.Provisioning, none), true)...)
		for _, g := range st.Groups.Assign {
			p.Changes = append(p.Changes, FieldChange{"groups", "", g.Name})
		}
		p.Changes = append(p.Changes, declaredMappings(in, waitingOnManual)...)
		st.Push.Unmatched = obs.PushUnmatched
		for _, pg := range in.PushGroups {
			if pg.Match != "" && slices.Contains(obs.PushUnmatched, pg.Match) {
				continue // a note, not a change
			}
			p.Changes = append(p.Changes, FieldChange{"push." + pushLabel(pg), "", "pushed once provisioning is on"})
		}
		p.Notes = append(p.Notes, st.Push.Notes()...)
		return p
	}
	app := *obs.Match.App
	p.AppID, p.Status, p.SignOnMode = app.ID, app.Status, app.SignOnMode
	p.Changes = append(p.Changes, st.App.Changes...)
	ev := obs.Evidence
	if ev.Features == nil {
		ev.Features = app.Features
	}
	ev.Confirmed = in.Kind == config.KindCustom
	st.Provisioning = DecideProvisioning(in, obs.ProvisioningOn, obs.Connection)
	if obs.ProvisioningOn {
		p.Provisioning = "on"
		st.Actions = DecideActions(in, obs.UserProvisioning, ev)
		if obs.NoUserProvisioning {
			st.Actions.Put, st.Actions.Missing = nil, ErrNoUserProvisioning
		}
		p.Changes = append(p.Changes, st.Actions.Changes...)
		if st.Provisioning.Op == ProvisioningSetConnection {
			// Setting the base URL re-sends the token, so the token shows as a change too.
			p.Changes = append(p.Changes, FieldChange{"scim.baseUrl", obs.Connection.BaseURL, in.SCIM.BaseURL}, FieldChange{"scim.auth.token", config.Sensitive, config.Sensitive})
		}
		p.Unverifiable = append(p.Unverifiable, unverifiable(in, obs.Connection))
	} else {
		st.Actions = ActionsStep{Deferred: true}
		p.Unverifiable = append(p.Unverifiable, unreadable(in))
		p.Provisioning = "off"
		p.Manual = append(p.Manual, provisioningPending(in, st.Provisioning, app, obs.Console))
		// The actions cannot be read (or set) until provisioning is on.
		for _, c := range UserProvisioningChanges(in.Provisioning, okta.UserProvisioning{}) {
			p.Changes = append(p.Changes, FieldChange{c.Field, "(unreadable until provisioning is on)", c.New})
		}
	}
	p.Manual = append(p.Manual, actionsPending(in, app, obs.Console, IntegrationActionChanges(in.Provisioning, ev), !obs.ProvisioningOn)...)
	for _, g := range st.Groups.Assign {
		p.Changes = append(p.Changes, FieldChange{"groups", "", g.Name})
	}
	for _, g := range st.Groups.Remove {
		p.Removals = append(p.Removals, FieldChange{"groups", g.Name, ""})
	}
	switch {
	case !obs.ProvisioningOn:
		// Okta has the app user schema and profile mappings of a provisioning app only
		// once provisioning is on (not confirmed when, so never before).
		st.Mappings = MappingsStep{Deferred: true}
		p.Changes = append(p.Changes, declaredMappings(in, waitingOnManual)...)
	case obs.MappingsRead:
		st.Mappings = DecideMappings(in, obs.Schema, obs.ToApp, obs.ToOkta)
		for _, name := range SortedKeys(st.Mappings.Add) {
			p.Changes = append(p.Changes, FieldChange{"appSchema." + name, "", "added (" + typeOf(in.Mappings.ToApp, name) + ")"})
		}
		p.Changes = append(p.Changes, directionChanges("toApp", in.Mappings.ToApp, obs.ToApp)...)
		p.Changes = append(p.Changes, directionChanges("toOkta", in.Mappings.ToOkta, obs.ToOkta)...)
	}
	switch {
	case len(in.PushGroups) == 0:
	case obs.PushAPIMissing:
		st.Push = PushStep{Console: true, Wants: obs.PushWants}
		p.Manual = append(p.Manual, pushPending(in, app, obs.Console, obs.PushWants))
	case obs.PushRead:
		st.Push = DecidePush(obs.PushWants, obs.Pushes, obs.PushNames, prune)
		p.Changes = append(p.Changes, st.Push.Changes...)
		p.Removals = append(p.Removals, st.Push.Removals...)
		p.Kept = append(p.Kept, st.Push.Kept...)
	default:
		st.Push = PushStep{Deferred: true, Wants: obs.PushWants}
		for _, w := range obs.PushWants {
			p.Changes = append(p.Changes, FieldChange{"push." + w.GroupName, "", "pushed as " + w.Target + " once provisioning and Push Groups are on"})
		}
	}
	st.Push.Unmatched = obs.PushUnmatched
	p.Notes = append(p.Notes, st.Push.Notes()...)
	switch {
	case obs.Match.Adopt:
		p.Action = Adopt
	case len(p.Changes)+len(p.Removals) > 0:
		p.Action = Update
	default:
		p.Action = Unchanged
	}
	return p
}

const unreadableConnection = "SCIM base URL and credentials: Okta's API cannot read them back for this template app; apply verifies them with the connection test (Okta's Test API Credentials request) and the System Log"

// unreadable says what the plan cannot read back for the integration's kind of app.
func unreadable(in config.Integration) string {
	if in.Kind == config.KindCustom {
		return strings.Replace(unreadableConnection, "this template app", "an App Integration Wizard app", 1)
	}
	return unreadableConnection
}

// unverifiable says what of the connection the plan could not compare.
func unverifiable(in config.Integration, c okta.Connection) string {
	if c.Supported() && c.Status == "ENABLED" {
		return "SCIM credentials: Okta never returns them; apply verifies them with the connection test and the System Log"
	}
	return unreadable(in)
}

// Finish counts the plan's changes and pending steps.
func (p *Plan) Finish() {
	p.Version = PlanVersion
	// The document's arrays are always present: an empty array, never null or absent.
	if p.Integrations == nil {
		p.Integrations = []Integration{}
	}
	if p.Prune == nil {
		p.Prune = []AppRef{}
	}
	for i := range p.Integrations {
		p.Integrations[i].fillArrays()
	}
	p.Changes, p.Pending = len(p.Prune), 0
	p.Summary = Summary{Delete: len(p.Prune)}
	for _, in := range p.Integrations {
		p.Changes += len(in.Changes) + len(in.Removals)
		p.Pending += len(in.Manual)
		switch in.Action {
		case Create:
			p.Summary.Create++
		case Adopt:
			p.Summary.Adopt++
		case Update:
			p.Summary.Update++
		case Unchanged:
			p.Summary.Unchanged++
		case Error:
			p.Summary.Errors++
		}
		if len(in.Problems) > 0 {
			p.Summary.Failing++
		}
	}
}

// fillArrays makes the integration's always-present arrays empty instead of null.
func (in *Integration) fillArrays() {
	if in.Changes == nil {
		in.Changes = []FieldChange{}
	}
	if in.Removals == nil {
		in.Removals = []FieldChange{}
	}
	if in.Kept == nil {
		in.Kept = []string{}
	}
	if in.Manual == nil {
		in.Manual = []ManualStep{}
	}
	if in.Unverifiable == nil {
		in.Unverifiable = []string{}
	}
	if in.Notes == nil {
		in.Notes = []string{}
	}
}

func pushLabel(pg config.PushGroup) string {
	if pg.Group != "" {
		return pg.Group
	}
	return pg.Match
}

func typeOf(ms []config.PropertyMapping, name string) string {
	for _, m := range ms {
		if m.Property == name {
			return m.Type
		}
	}
	return "string"
}

// waitingOnManual marks mappings that wait for provisioning to be on.
const waitingOnManual = " — written once provisioning is on (waiting on the manual step)"

// declaredMappings are the declared app user properties and mappings of an app that
// has no provisioning yet, each with note.
func declaredMappings(in config.Integration, note string) []FieldChange {
	var out []FieldChange
	if note != "" {
		for _, m := range in.Mappings.ToApp {
			out = append(out, FieldChange{"appSchema." + m.Property, "", "added if missing (" + m.Type + ")" + note})
		}
	}
	for _, d := range []struct {
		name string
		ms   []config.PropertyMapping
	}{{"toApp", in.Mappings.ToApp}, {"toOkta", in.Mappings.ToOkta}} {
		for _, m := range d.ms {
			out = append(out, FieldChange{"mappings." + d.name + "." + m.Property, "", describeMapping(okta.MappingProperty{Expression: m.Expression, PushStatus: pushStatus(m.Update)}) + note})
		}
	}
	return out
}

// directionChanges compares one direction, or says the mapping does not exist yet.
func directionChanges(name string, declared []config.PropertyMapping, have okta.Mapping) []FieldChange {
	if len(declared) == 0 {
		return nil
	}
	if have.ID == "" {
		return []FieldChange{{"mappings." + name, "(no such mapping on the app yet)", fmt.Sprintf("%d propert(ies)", len(declared))}}
	}
	return MappingChanges(name, declared, have)
}
