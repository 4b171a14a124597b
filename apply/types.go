// Package apply reads the org and carries out what plan decides; it decides nothing
// itself. Session.Plan observes the org once (observe.go: apps listed once per
// template, groups looked up once per name, per app the features, connection and the
// declared assignments) and lets plan.Compute decide each integration's steps.
// Session.Apply then runs those steps, integrations side by side, each one's in order
// as a pipeline (pipeline.go): app → provisioning → actions → mappings → groups → push
// → test; a step whose needs failed is skipped, naming them. It writes what a step
// says, verifies each write with the step's own verifier (from the write's answer,
// re-reading only where Okta answers nothing), and for a step the plan deferred (it
// waits on provisioning, which this run turned on) reads just what the step needs and
// calls the plan's decider. Manual steps are the plan's (plan.EnableProvisioningStep,
// …): apply fills in the secrets, prints them, hands them to a stand-in and waits.
// Every step reports its outcome as events. TestApplyDecidesNothing keeps the
// comparisons in plan.
package apply

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// Outcome of one step.
type Outcome string

// The outcomes a step reports.
const (
	Done      Outcome = "done"      // changed, and the change was verified
	Unchanged Outcome = "unchanged" // already as declared
	Manual    Outcome = "manual"    // the API cannot do it: an admin must, in the console
	Failed    Outcome = "failed"
	Skipped   Outcome = "skipped"
	Waiting   Outcome = "waiting" // progress while waiting for a manual step
	// Interrupted: Ctrl-C stopped the step in flight; NotStarted: a later step that
	// Ctrl-C kept from starting. Neither is a failure: run again to resume.
	Interrupted Outcome = "interrupted"
	NotStarted  Outcome = "not started"
)

// Steps, in the order they run.
const (
	StepApp          = "app"
	StepProvisioning = "provisioning"
	StepActions      = "actions"
	StepMappings     = "mappings"
	StepGroups       = "groups"
	StepPush         = "push"
	StepTest         = "test"
	StepDelete       = "delete"
)

// Event is one line of the report.
type Event struct {
	Integration string             `json:"integration"`
	Step        string             `json:"step"`
	Outcome     Outcome            `json:"outcome"`
	Detail      string             `json:"detail"`
	AppID       string             `json:"appId,omitempty"`
	Changes     []plan.FieldChange `json:"changes"`
	Hint        string             `json:"hint,omitempty"`
	Warnings    []string           `json:"warnings"`
	Manual      *plan.ManualStep   `json:"manual,omitempty"`
	SystemLog   []LogLine          `json:"systemLog"`
}

// MarshalJSON writes the event's arrays (changes, warnings, systemLog) always, empty
// when there are none, so scripts can iterate them (docs/output.md lists them as arrays).
func (e Event) MarshalJSON() ([]byte, error) {
	type event Event // without this method
	if e.Changes == nil {
		e.Changes = []plan.FieldChange{}
	}
	if e.Warnings == nil {
		e.Warnings = []string{}
	}
	if e.SystemLog == nil {
		e.SystemLog = []LogLine{}
	}
	return json.Marshal(event(e))
}

// LogLine is a System Log event as shown to the admin.
type LogLine struct {
	Time      time.Time `json:"time"`
	EventType string    `json:"eventType"`
	Outcome   string    `json:"outcome"`
	Reason    string    `json:"reason,omitempty"`
	Actor     string    `json:"actor,omitempty"`
}

// LogLineOf is the one conversion of a System Log event to a report's line.
func LogLineOf(e okta.LogEvent) LogLine {
	return LogLine{Time: e.Published, EventType: e.EventType, Outcome: e.Result, Reason: e.Reason, Actor: e.Actor}
}

// Event is the line as the event it came from (what systemlog's hints and lines take).
func (l LogLine) Event() okta.LogEvent {
	return okta.LogEvent{Published: l.Time, EventType: l.EventType, Result: l.Outcome, Reason: l.Reason, Actor: l.Actor}
}

// ManualHandler performs a manual step on the admin's behalf (the simulator's admin
// stand-in). Real runs have none: a person does it.
type ManualHandler func(ctx context.Context, m plan.ManualStep) error

// Options configure a run.
type Options struct {
	Client       *okta.Client
	Integrations []config.Integration
	// Wait polls until manual steps are done (or WaitTimeout passes).
	Wait         bool
	WaitTimeout  time.Duration // 0 → 15 min
	PollInterval time.Duration // 0 → 5 s
	// PushWait bounds the wait for pushed groups to reach the SCIM server (Okta pushes
	// asynchronously); 0 → 2 min.
	PushWait    time.Duration
	ShowSecrets bool // print SCIM secrets in manual steps
	Report      func(Event)
	Manual      ManualHandler
	SCIMClient  *http.Client // for the connection test; nil → 15 s timeout client
	Now         func() time.Time
	// Prune removes what the file does not name: group assignments of its apps, and
	// apps stamped by oktascim whose integration is no longer in AllIntegrations.
	Prune bool
	// Parallelism is how many integrations are worked on at once (each one's steps
	// stay in order); 0 → DefaultParallelism.
	Parallelism int
	// Finished is told when an integration's last step is done, with its exit code.
	Finished func(name string, code int)
	// AllIntegrations is the whole file (Integrations may be a --name selection); it
	// decides which stamped apps are orphans. nil → Integrations.
	AllIntegrations []config.Integration
}

// Result is the outcome of a run.
type Result struct {
	Events []Event `json:"events"`
	Code   int     `json:"exitCode"`
	// NotStarted are the integrations an interruption kept from starting.
	NotStarted []string `json:"notStarted,omitempty"`
}
