package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// groupLookup is what the org holds under one group name.
type groupLookup struct {
	id    string // set when exactly one group has the name
	count int
}

// findGroup looks a group up by exact name, once per run.
func (r *runner) findGroup(ctx context.Context, name string) (groupLookup, error) {
	return r.groups.get(name, func() (groupLookup, error) {
		one, matches, err := r.opts.Client.FindGroup(ctx, name)
		return groupLookup{id: one.ID, count: len(matches)}, err
	})
}

// groupName names a group by id (for assignments the file does not declare).
func (r *runner) groupName(ctx context.Context, id string) (string, error) {
	return r.groupNames.get(id, func() (string, error) {
		g, err := r.opts.Client.GetGroup(ctx, id)
		return g.Name, err
	})
}

// why says, for the plan, what is wrong with a name that does not name exactly one group.
func (g groupLookup) why() string {
	switch {
	case g.count == 0:
		return "does not exist in the org"
	case g.count > 1:
		return fmt.Sprintf("%d groups have this name", g.count)
	}
	return ""
}

func (g groupLookup) problem(name string) error {
	switch {
	case g.count == 0:
		return fmt.Errorf("group %q does not exist in the org", name)
	case g.count > 1:
		return fmt.Errorf("%d groups are named %q", g.count, name)
	}
	return nil
}

// observe reads what the org holds for one integration, writing nothing. An error
// means the org could not be read at all (auth, network); an app that cannot be
// chosen is reported in Observed.MatchErr.
func (r *runner) observe(ctx context.Context, in config.Integration) (plan.Observed, error) {
	want := plan.DesiredApp(in)
	obs := plan.Observed{Groups: map[string]string{}, GroupProblems: map[string]string{}, GroupCandidates: map[string][]string{}, Assigned: map[string]string{},
		Console: r.opts.Client}
	apps, err := r.appsNamed(ctx, want.Name)
	if err != nil {
		return obs, err
	}
	obs.Match, obs.MatchErr = plan.FindManaged(in.Name, want.Label, want.Name, apps)
	if obs.MatchErr != nil {
		return obs, nil
	}
	// Every group named in the file, for a new app too: the plan's preconditions.
	for _, name := range plan.DeclaredGroups(in) {
		g, err := r.findGroup(ctx, name)
		if err != nil {
			return obs, err
		}
		if p := g.problem(name); p != nil {
			obs.GroupProblems[name] = g.why()
			if g.count == 0 {
				if obs.GroupCandidates[name], err = r.similarGroups(ctx, name); err != nil {
					return obs, err
				}
			}
			continue
		}
		obs.Groups[name] = g.id
	}
	if err := r.observePushWants(ctx, in, &obs); err != nil {
		return obs, err
	}
	if obs.Match.App == nil {
		return obs, nil
	}
	id := obs.Match.App.ID
	obs.Evidence.Features = obs.Match.App.Features
	features, err := r.opts.Client.Features(ctx, id)
	switch {
	case errors.Is(err, okta.ErrProvisioningOff):
	case err != nil:
		return obs, err
	default:
		obs.ProvisioningOn = true
		var listed bool
		obs.UserProvisioning, listed = okta.UserProvisioningOf(features)
		obs.NoUserProvisioning = !listed
		obs.Evidence.Inbound = features["INBOUND_PROVISIONING"] != nil
		if obs.Connection, err = r.opts.Client.GetConnection(ctx, id); err != nil {
			return obs, err
		}
	}
	if obs.ProvisioningOn {
		// Before provisioning is on, the app's schema and mappings are not written.
		if err := r.observeMappings(ctx, in, id, &obs); err != nil {
			return obs, err
		}
	}
	if err := r.observePush(ctx, in, id, &obs); err != nil {
		return obs, err
	}
	if err := r.observeAssignments(ctx, in, *obs.Match.App, &obs); err != nil {
		return obs, err
	}
	if obs.PushRead {
		// After the assignments: with --prune they name the groups pushes are often of.
		obs.PushNames = r.pushNames(ctx, obs.PushWants, obs.Pushes, obs)
	}
	return obs, nil
}

// observeAssignments reads which of the declared groups the app is assigned: from
// each declared group's apps, read once per run for all the file's apps; per app
// where the org does not serve a group's apps, where the app is not ACTIVE (whether
// Okta lists an inactive app there is not confirmed), and with --prune, which reads
// every assignment of the app, named (the ones the file does not name are removed).
// Without --prune an assignment the file does not name is neither read nor shown.
func (r *runner) observeAssignments(ctx context.Context, in config.Integration, app okta.App, obs *plan.Observed) error {
	declared := map[string]string{}
	for _, g := range in.Groups {
		if id, ok := obs.Groups[g]; ok {
			declared[id] = g
		}
	}
	if len(declared) == 0 && !r.opts.Prune {
		return nil
	}
	if !r.opts.Prune && app.Status == "ACTIVE" {
		err := r.assignedByGroup(ctx, app.ID, declared, obs)
		if !errors.Is(err, okta.ErrGroupAppsUnavailable) {
			return err
		}
	}
	if !r.opts.Prune {
		ids, err := r.opts.Client.AppGroupIDs(ctx, app.ID)
		for _, id := range ids {
			if name, ok := declared[id]; ok {
				obs.Assigned[id] = name
			}
		}
		return err
	}
	all, err := r.opts.Client.AppGroups(ctx, app.ID)
	for id, name := range all {
		if n, ok := declared[id]; ok {
			name = n // the file's spelling
		}
		obs.Assigned[id] = name
	}
	return err
}

// assignedByGroup fills the declared groups the app is assigned from each group's
// apps (read once per group per run).
func (r *runner) assignedByGroup(ctx context.Context, appID string, declared map[string]string, obs *plan.Observed) error {
	for id, name := range declared {
		apps, err := r.groupApps.get(id, func() (map[string]bool, error) {
			ids, err := r.opts.Client.GroupAppIDs(ctx, id)
			set := make(map[string]bool, len(ids))
			for _, a := range ids {
				set[a] = true
			}
			return set, err
		})
		if err != nil {
			return err
		}
		if apps[appID] {
			obs.Assigned[id] = name
		}
	}
	return nil
}

// Plan reads the org and says what apply would do, writing nothing.
func (r *runner) plan(ctx context.Context) (plan.Plan, error) {
	ins := r.opts.Integrations
	p := plan.Plan{Integrations: make([]plan.Integration, len(ins))}
	errs := make([]error, len(ins))
	notStarted := r.each(ctx, len(ins), func(i int) {
		obs, err := r.observe(ctx, ins[i])
		if err != nil {
			errs[i] = fmt.Errorf("integration %s: %w", ins[i].Name, err)
			r.setPlanned(ins[i].Name, planned{obs: obs, err: err})
			return
		}
		p.Integrations[i] = plan.Compute(ins[i], obs, r.opts.Prune)
		r.setPlanned(ins[i].Name, planned{obs: obs, plan: p.Integrations[i]})
	})
	if len(notStarted) > 0 {
		return p, ctx.Err()
	}
	for _, err := range errs {
		if err != nil {
			return p, err
		}
	}
	if r.opts.Prune {
		orphans, err := r.orphans(ctx)
		if err != nil {
			return p, err
		}
		p.Prune = orphans
	}
	p.Finish()
	return p, nil
}

// orphans are apps stamped by oktascim whose integration the file no longer names
// (one listing of every app).
func (r *runner) orphans(ctx context.Context) ([]plan.AppRef, error) {
	named := map[string]bool{}
	for _, in := range r.opts.AllIntegrations {
		named[in.Name] = true
	}
	apps, err := r.appsNamed(ctx, "")
	if err != nil {
		return nil, err
	}
	out := []plan.AppRef{}
	for _, a := range apps {
		if stamp, ok := okta.StampedName(a.AdminNote); ok && !named[stamp] {
			out = append(out, plan.AppRef{ID: a.ID, Label: a.Label, AppName: a.Name, Integration: stamp, Status: a.Status})
		}
	}
	return out, nil
}

// observeMappings reads the app's schema and profile mappings when the file declares
// mappings (and only then: no reads for files without them).
func (r *runner) observeMappings(ctx context.Context, in config.Integration, appID string, obs *plan.Observed) error {
	if len(in.Mappings.ToApp) == 0 && len(in.Mappings.ToOkta) == 0 {
		return nil
	}
	var err error
	if len(in.Mappings.ToApp) > 0 {
		if obs.Schema, err = r.opts.Client.GetAppSchema(ctx, appID); err != nil {
			return err
		}
	}
	if obs.ToApp, obs.ToOkta, err = r.opts.Client.AppMappings(ctx, appID); err != nil {
		return err
	}
	obs.MappingsRead = true
	return nil
}

// similarGroups are the names of groups a name no group has may have been meant as
// (only read when a declared group is missing).
func (r *runner) similarGroups(ctx context.Context, name string) ([]string, error) {
	var out []string
	for _, prefix := range plan.SearchPrefixes(name) {
		found, err := r.opts.Client.SearchGroups(ctx, prefix)
		if err != nil {
			return nil, err
		}
		for _, g := range found {
			out = append(out, g.Name)
		}
	}
	return out, nil
}

// observePushWants resolves the groups to push (for a new app too: apply pushes them
// once provisioning is on).
func (r *runner) observePushWants(ctx context.Context, in config.Integration, obs *plan.Observed) error {
	for _, pg := range in.PushGroups {
		if _, missing := obs.GroupProblems[pg.Group]; pg.Group != "" && missing {
			return nil // a problem of the plan (Preconditions), not an error of the run
		}
	}
	if len(in.PushGroups) > 0 {
		wants, unmatched, err := r.pushWants(ctx, in.PushGroups)
		if err != nil {
			return err
		}
		obs.PushWants, obs.PushUnmatched = append([]plan.PushWant{}, wants...), unmatched
	}
	return nil
}

// observePush reads the app's push mappings once provisioning is on (Okta refuses
// them before).
func (r *runner) observePush(ctx context.Context, in config.Integration, appID string, obs *plan.Observed) error {
	if len(in.PushGroups) > 0 && obs.PushWants == nil {
		return nil // a group to push is a problem of the plan (Preconditions)
	}
	// The Push Groups tab is read when the file pushes groups, or declares Push
	// Groups on and the features list does not show it (the tab may, instead).
	if !obs.ProvisioningOn || (len(in.PushGroups) == 0 && !plan.NeedsPushTab(in, obs.Evidence)) {
		return nil
	}
	pushes, tab, err := r.pushTab(ctx, appID)
	switch {
	case err != nil:
		return err
	case tab == tabMissingAPI:
		obs.PushAPIMissing = len(in.PushGroups) > 0
		return nil
	case tab == tabOff:
		return nil
	}
	obs.Evidence.PushTab = true
	if len(in.PushGroups) == 0 {
		return nil
	}
	obs.Pushes, obs.PushRead = pushes, true
	return nil
}

// pushTabState is what the Group Push Mappings API says about an app's Push Groups tab.
type pushTabState int

const (
	tabOn         pushTabState = iota // the mappings are served: the tab is there
	tabOff                            // refused for this app (Push Groups not on)
	tabMissingAPI                     // the org has no Group Push Mappings API
)

// pushTab reads the app's group push mappings and says whether the tab is there.
func (r *runner) pushTab(ctx context.Context, appID string) ([]okta.GroupPush, pushTabState, error) {
	pushes, err := r.opts.Client.GroupPushes(ctx, appID)
	var ae *okta.APIError
	switch {
	case err == nil:
		return pushes, tabOn, nil
	case okta.IsFeatureOff(err):
		return nil, tabMissingAPI, nil
	case errors.As(err, &ae) && ae.Status == 400:
		return nil, tabOff, nil
	}
	return nil, tabOff, err
}
