package systemlog

import (
	"testing"
	"time"

	"github.com/oktascim/oktascim/okta"
)

func TestLine(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		e    okta.LogEvent
		want string
	}{
		{okta.LogEvent{Published: at, EventType: ConfigurationUpdate, Result: "FAILURE", Reason: "Bad credentials", Actor: "admin@example.com"},
			"2026-03-04T04:06:07Z  application.configuration.update               FAILURE   Bad credentials  (by admin@example.com)"},
		{okta.LogEvent{Published: at, EventType: UserPush, Result: "SUCCESS"},
			"2026-03-04T04:06:07Z  application.provision.user.push                SUCCESS"},
	} {
		if got := Line(tc.e); got != tc.want {
			t.Errorf("Line:\n got %q\nwant %q", got, tc.want)
		}
	}
}
