package systemlog

import (
	"strings"
	"testing"

	"github.com/oktascim/oktascim/okta"
)

func TestHint(t *testing.T) {
	for _, tc := range []struct {
		eventType, result, reason, want string
	}{
		{ConfigurationUpdate, "FAILURE", "Error authenticating: 401 Unauthorized", "refused the credentials"},
		{ConfigurationUpdate, "FAILURE", "", "credential test failed"},
		{UserPush, "FAILURE", "409 Conflict: user exists", "filter=userName eq"},
		{UserPush, "FAILURE", "", "POST /Users must answer 201"},
		{UserPushProfile, "FAILURE", "", "PATCH (SCIM 2.0)"},
		{UserDeactivate, "FAILURE", "", "active=false"},
		{UserImport, "FAILURE", "", "startIndex and count"},
		{GroupMemberAdd, "FAILURE", "", "members add/remove"},
		{AuthFailure, "FAILURE", "", "refused the credentials"},
		{RateLimitExceeded, "FAILURE", "", "429"},
		{GeneralFailure, "FAILURE", "PKIX path building failed", "TLS certificate"},
		{GeneralFailure, "FAILURE", "connect timed out", "reachable from the internet"},
		{GeneralFailure, "FAILURE", "", "conformance tests"},
		{UserPush, "SUCCESS", "", ""},
		{"application.lifecycle.update", "FAILURE", "", ""},
	} {
		got := Hint(okta.LogEvent{EventType: tc.eventType, Result: tc.result, Reason: tc.reason})
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s %s %q: hint %q, want it to contain %q", tc.eventType, tc.result, tc.reason, got, tc.want)
		}
	}
}
