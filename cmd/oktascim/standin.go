package main

import (
	"context"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/plan"
	"github.com/oktascim/oktascim/sim/simenv"
)

// adminStandIn is the engine's manual-step hook done by the simulator's admin stand-in.
// The stand-in does not know the engine's types; this is the one place they meet.
func adminStandIn(env *simenv.Env, delay time.Duration) apply.ManualHandler {
	do := env.AdminStandIn(delay)
	return func(ctx context.Context, m plan.ManualStep) error { return do(ctx, standInStep(m)) }
}

// standInStep is a manual step as the admin enters it: the groups to push, else the
// Provisioning tab's form, secrets in clear (the admin types them).
func standInStep(m plan.ManualStep) simenv.AdminStep {
	s := simenv.AdminStep{AppID: m.AppID}
	if len(m.Pushes) > 0 {
		for _, p := range m.Pushes {
			s.Pushes = append(s.Pushes, simenv.GroupPush{GroupID: p.GroupID, Target: p.Target})
		}
		return s
	}
	v := m.Values
	s.Form = &simenv.ProvisioningForm{
		Custom:  v.Custom,
		BaseURL: v.BaseURL, AuthMode: v.AuthMode, Username: v.Username, UserIDField: v.UserIDField,
		Token: v.Token.Value(), Password: v.Password.Value(),
		PushNewUsers: v.PushNewUsers, PushProfileUpdates: v.PushProfileUpdates,
		PushGroups: v.PushGroups, ImportUsers: v.ImportUsers, ImportGroups: v.ImportGroups,
		TokenEndpoint: v.TokenEndpoint, AuthorizeEndpoint: v.AuthorizeEndpoint, ClientID: v.ClientID,
		ClientSecret: v.ClientSecret.Value(),
	}
	return s
}
