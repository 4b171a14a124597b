package systemlog

import (
	"context"
	"testing"
	"time"

	"github.com/oktascim/oktascim/internal/redact"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/sim/oktaorg"
)

func startOrg(t *testing.T) (*oktaorg.Server, *okta.Client) {
	t.Helper()
	s, err := oktaorg.Start(oktaorg.Options{Token: "00systemlog-test", RateLimitPerMinute: 100000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := okta.NewClient(context.Background(), okta.Settings{OrgURL: s.URL, Token: redact.NewSecret("00systemlog-test")})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func logN(t *testing.T, s *oktaorg.Server, app, eventType, result string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := s.LogEvent(app, eventType, result, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// NewestByApp reads the newest event of each app in one read for all of them, and
// each app's is its own: the newest, of the type asked, on that app.
func TestNewestByAppOneRead(t *testing.T) {
	s, c := startOrg(t)
	var ids []string
	for _, label := range []string{"a", "b", "c", "none"} {
		ids = append(ids, s.AddApp(map[string]any{"name": "scim2testapp", "label": label}))
	}
	logN(t, s, ids[0], ConfigurationUpdate, "FAILURE", 3)
	logN(t, s, ids[1], ConfigurationUpdate, "FAILURE", 1)
	logN(t, s, ids[1], ConfigurationUpdate, "SUCCESS", 1) // b's newest
	logN(t, s, ids[0], ConfigurationUpdate, "SUCCESS", 1) // a's newest
	logN(t, s, ids[2], ConfigurationUpdate, "FAILURE", 1)
	logN(t, s, ids[2], "application.provision.user.push", "SUCCESS", 2) // another type: not c's
	before := c.Stats().Requests
	got, err := NewestByApp(context.Background(), c, ids, ConfigurationUpdate, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Requests - before; n != 1 {
		t.Errorf("%d System Log reads for %d apps, want 1", n, len(ids))
	}
	want := map[string]string{ids[0]: "SUCCESS", ids[1]: "SUCCESS", ids[2]: "FAILURE"}
	if len(got) != len(want) {
		t.Errorf("events for %d apps, want %d: %+v", len(got), len(want), got)
	}
	for id, result := range want {
		e := got[id]
		if e.EventType != ConfigurationUpdate || e.Result != result || len(e.TargetIDs) != 1 || e.TargetIDs[0] != id {
			t.Errorf("app %s: %+v, want its newest %s %s", id, e, ConfigurationUpdate, result)
		}
	}
}

// When one app's events fill the shared read's pages, the others are read on their
// own (one event each) instead of paging through the busy app's whole log; an app
// beyond the first 50 is in a second shared read.
func TestNewestByAppBusyApp(t *testing.T) {
	s, c := startOrg(t)
	quiet := s.AddApp(map[string]any{"name": "scim2testapp", "label": "quiet"})
	none := s.AddApp(map[string]any{"name": "scim2testapp", "label": "none"})
	busy := s.AddApp(map[string]any{"name": "scim2testapp", "label": "busy"})
	logN(t, s, quiet, ConfigurationUpdate, "FAILURE", 1)
	logN(t, s, busy, ConfigurationUpdate, "SUCCESS", newestPages*1000+1)
	before := c.Stats().Requests
	got, err := NewestByApp(context.Background(), c, []string{quiet, none, busy}, ConfigurationUpdate, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Requests - before; n != newestPages+2 {
		t.Errorf("%d reads, want %d: %d shared pages and one read each for the two apps they did not reach", n, newestPages+2, newestPages)
	}
	if got[quiet].Result != "FAILURE" || got[busy].Result != "SUCCESS" || len(got) != 2 {
		t.Errorf("got %+v", got)
	}

	var many []string
	for i := 0; i < appsPerRead+1; i++ {
		many = append(many, s.AddApp(map[string]any{"name": "scim2testapp", "label": "many"}))
	}
	logN(t, s, many[appsPerRead], ConfigurationUpdate, "SUCCESS", 1)
	before = c.Stats().Requests
	got, err = NewestByApp(context.Background(), c, many, ConfigurationUpdate, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Requests - before; n != 2 || len(got) != 1 || got[many[appsPerRead]].Result != "SUCCESS" {
		t.Errorf("%d apps: %d reads, want 2; got %+v", len(many), n, got)
	}
}
