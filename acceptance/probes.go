package acceptance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/roundtrip"
)

// CleanupProbes deletes the round trip's probe users (login roundtrip.ProbePrefix…)
// created since the run began, should a round trip have failed to remove its own;
// probes of other runs (older) are left alone. It returns the logins it deleted.
func CleanupProbes(ctx context.Context, c *okta.Client, since time.Time) (deleted []string, err error) {
	users, err := c.UsersWithLoginPrefix(ctx, roundtrip.ProbePrefix)
	if err != nil {
		return nil, fmt.Errorf("cleanup probes: %w", err)
	}
	var errs []error
	for _, u := range users {
		if !strings.HasPrefix(strings.ToLower(u.Login), roundtrip.ProbePrefix) || u.Created.Before(since) {
			continue
		}
		if err := c.DeleteUser(ctx, u.ID); err != nil {
			errs = append(errs, fmt.Errorf("cleanup probes: %s: %w", u.Login, err))
			continue
		}
		deleted = append(deleted, u.Login)
	}
	return deleted, errors.Join(errs...)
}
