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
		for _, m := range in.Manual {
			row.Detail = append(row.Detail, "manual step pending: "+m.Summary())
		}
		rows = append(rows, row)
	}
	return rows, s.r.lastTests(ctx, rows)
}

// lastTests fills each row's last connection test from one System Log read for all
// the rows' apps (one per 50 apps), not one per app.
func (r *runner) lastTests(ctx context.Context, rows []StatusRow) error {
	var ids []string
	for _, row := range rows {
		if row.AppID != "" {
			ids = append(ids, row.AppID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	newest, err := systemlog.NewestByApp(ctx, r.opts.Client, ids, systemlog.ConfigurationUpdate, r.opts.Now().Add(-logRetention+time.Minute))
	if err != nil {
		return fmt.Errorf("reading the System Log: %w", err)
	}
	for i := range rows {
		if e, ok := newest[rows[i].AppID]; ok && rows[i].AppID != "" {
			l := LogLineOf(e)
			rows[i].LastTest = &l
		}
	}
	return nil
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
