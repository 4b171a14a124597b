package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/systemlog"
	"github.com/oktascim/oktascim/plan"
)

// StatusRow is one app's state, as `oktascim status` shows it.
type StatusRow struct {
	Integration  string `json:"integration"`
	AppID        string `json:"appId,omitempty"`
	Label        string `json:"label"`
	AppName      string `json:"appName"`
	Status       string `json:"status,omitempty"` // ACTIVE | INACTIVE; empty: no app
	SignOnMode   string `json:"signOnMode,omitempty"`
	Provisioning string `json:"provisioning"` // on | off | unknown
	// LastTest is Okta's most recent test of the provisioning credentials in the
	// System Log (logged when they are saved), if any in the last 90 days.
	LastTest *LogLine `json:"lastConnectionTest"`
	// Drift: yes, no, not created, error, or unknown (--all has no file to compare).
	Drift  string   `json:"drift"`
	Detail []string `json:"detail"`
}

// logRetention is how far back the System Log goes.
const logRetention = 90 * 24 * time.Hour

// Status reads the integrations' apps and compares them with the file.
func (s *Session) Status(ctx context.Context) ([]StatusRow, error) {
	p, err := s.r.plan(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]StatusRow, 0, len(p.Integrations))
	for _, in := range p.Integrations {
		row := StatusRow{Integration: in.Name, AppID: in.AppID, Label: in.Label, AppName: in.AppName, Status: in.Status,
			SignOnMode: in.SignOnMode, Provisioning: in.Provisioning, Detail: []string{}}
		switch {
		case in.Action == plan.Error:
			row.Drift, row.Provisioning = "error", "unknown"
			row.Detail = append(row.Detail, in.Error)
		case in.Action == plan.Create:
			row.Drift = "not created"
		case in.Action == plan.Adopt:
			row.Drift = "yes"
			row.Detail = append(row.Detail, "not stamped yet: apply adopts it")
		case in.Drifted():
			row.Drift = "yes"
		default:
			row.Drift = "no"
		}
		for _, c := range append(in.Changes, in.Removals...) {
			row.Detail = append(row.Detail, c.String())
		}
		row.Detail = append(row.Detail, in.Manual...)
		rows = append(rows, row)
	}
	return rows, s.r.lastTests(ctx, rows)
}

// lastTests fills each row's last connection test, reading the System Log per app in
// parallel.
func (r *runner) lastTests(ctx context.Context, rows []StatusRow) error {
	errs := make([]error, len(rows))
	notStarted := r.each(ctx, len(rows), func(i int) {
		if rows[i].AppID != "" {
			rows[i].LastTest, errs[i] = r.lastTest(ctx, rows[i].AppID)
		}
	})
	if len(notStarted) > 0 {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

// StatusAll lists every app in the org that carries an oktascim stamp.
func (s *Session) StatusAll(ctx context.Context) ([]StatusRow, error) {
	c := s.r.opts.Client
	apps, err := c.ListApps(ctx)
	if err != nil {
		return nil, err
	}
	rows := []StatusRow{}
	for _, a := range apps {
		name, ok := okta.StampedName(a.AdminNote)
		if !ok {
			continue
		}
		rows = append(rows, StatusRow{Integration: name, AppID: a.ID, Label: a.Label, AppName: a.Name, Status: a.Status, SignOnMode: a.SignOnMode,
			Provisioning: "on", Drift: "unknown", Detail: []string{"no file to compare with"}})
	}
	errs := make([]error, len(rows))
	s.r.each(ctx, len(rows), func(i int) {
		if _, err := c.Features(ctx, rows[i].AppID); errors.Is(err, okta.ErrProvisioningOff) {
			rows[i].Provisioning = "off"
		} else if err != nil {
			errs[i] = err
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rows, s.r.lastTests(ctx, rows)
}

// lastTest is the newest provisioning-credential event on the app in the System Log.
func (r *runner) lastTest(ctx context.Context, appID string) (*LogLine, error) {
	events, err := r.opts.Client.Logs(ctx, okta.LogQuery{TargetID: appID, EventType: systemlog.ConfigurationUpdate,
		Since: r.opts.Now().Add(-logRetention + time.Minute), Limit: 1, MaxPages: 1})
	if err != nil {
		return nil, fmt.Errorf("reading the System Log of app %s: %w", appID, err)
	}
	if len(events) == 0 {
		return nil, nil
	}
	l := LogLineOf(events[0])
	return &l, nil
}
