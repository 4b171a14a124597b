package apply

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
	"github.com/oktascim/oktascim/scim"
)

// pushWants resolves the file's pushGroups to Okta groups: exact names, and every group
// a pattern matches (Okta's q is a prefix search; the pattern is applied here).
func (r *runner) pushWants(ctx context.Context, pgs []config.PushGroup) ([]plan.PushWant, error) {
	var out []plan.PushWant
	seen := map[string]bool{}
	add := func(w plan.PushWant) {
		if !seen[w.GroupID] {
			seen[w.GroupID] = true
			out = append(out, w)
		}
	}
	for _, pg := range pgs {
		if pg.Group != "" {
			g, err := r.findGroup(ctx, pg.Group)
			if err != nil {
				return nil, err
			}
			if err := g.problem(pg.Group); err != nil {
				return nil, fmt.Errorf("pushGroups: %w", err)
			}
			target := pg.Target
			if target == "" {
				target = pg.Group
			}
			add(plan.PushWant{GroupID: g.id, GroupName: pg.Group, Target: target})
			continue
		}
		prefix := pg.Match
		if i := strings.IndexAny(prefix, "*?["); i >= 0 {
			prefix = prefix[:i]
		}
		found, err := r.opts.Client.SearchGroups(ctx, prefix)
		if err != nil {
			return nil, err
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
		for _, g := range found {
			// Only Okta's own groups are pushed, not the app groups pushes create.
			if ok, _ := path.Match(pg.Match, g.Name); ok && g.Type != "APP_GROUP" {
				add(plan.PushWant{GroupID: g.ID, GroupName: g.Name, Target: g.Name})
			}
		}
	}
	return out, nil
}

// ensureGroupPush pushes the declared groups through the Group Push Mappings API (or,
// where the org lacks it, as a manual step), verifies each mapping is ACTIVE, and
// checks the SCIM server now has each group.
func (r *runner) ensureGroupPush(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	wants, err := r.pushWants(ctx, ir.in.PushGroups)
	if err != nil {
		r.fail(ir, StepPush, err, "")
		return
	}
	have, err := c.GroupPushes(ctx, ir.app.ID)
	if okta.IsFeatureOff(err) {
		r.manualGroupPush(ctx, ir, wants)
		return
	}
	if err != nil {
		r.fail(ir, StepPush, err, "")
		return
	}
	changes, removals, kept := plan.PushChanges(wants, have, r.pushNames(ctx, wants, have), r.opts.Prune)
	bySource := bySourceGroup(have)
	for _, w := range wants {
		h, ok := bySource[w.GroupID]
		switch {
		case !ok:
			_, err = c.CreateGroupPush(ctx, ir.app.ID, w.GroupID, w.Target)
			if pushGroupsSeemOff(ir, err) {
				if !r.pushGroupsStep(ctx, ir, w, err) {
					return
				}
				err = nil
			}
		case h.Status != "ACTIVE":
			_, err = c.SetGroupPushStatus(ctx, ir.app.ID, h.ID, "ACTIVE")
		}
		if err != nil {
			r.fail(ir, StepPush, err, "")
			return
		}
	}
	if r.opts.Prune {
		for _, h := range have {
			if containsWant(wants, h.SourceGroupID) {
				continue
			}
			if h.Status == "ACTIVE" {
				if _, err := c.SetGroupPushStatus(ctx, ir.app.ID, h.ID, "INACTIVE"); err != nil {
					r.fail(ir, StepPush, err, "")
					return
				}
			}
			if err := c.DeleteGroupPush(ctx, ir.app.ID, h.ID); err != nil {
				r.fail(ir, StepPush, err, "")
				return
			}
		}
	}
	if !r.verifyGroupPush(ctx, ir, wants) {
		return
	}
	all := append(changes, removals...)
	detail := fmt.Sprintf("%d group(s) pushed and verified", len(wants))
	if len(kept) > 0 {
		detail += "; left alone (not in the file): " + strings.Join(kept, ", ")
	}
	if len(all) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	}
	r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Done, AppID: ir.app.ID, Changes: all,
		Detail: plan.Summarize(all) + "; " + detail})
}

// pushNames names the source group of every push: the file's groups, and the others
// (to show what is kept or pruned) read by id.
func (r *runner) pushNames(ctx context.Context, wants []plan.PushWant, have []okta.GroupPush) map[string]string {
	names := map[string]string{}
	for _, w := range wants {
		names[w.GroupID] = w.GroupName
	}
	for _, h := range have {
		if _, ok := names[h.SourceGroupID]; !ok {
			if n, err := r.groupName(ctx, h.SourceGroupID); err == nil {
				names[h.SourceGroupID] = n
			}
		}
	}
	return names
}

func containsWant(wants []plan.PushWant, id string) bool {
	for _, w := range wants {
		if w.GroupID == id {
			return true
		}
	}
	return false
}

// verifyGroupPush re-reads the mappings (each must be ACTIVE; ERROR carries Okta's
// reason) and looks for each group on the SCIM server.
func (r *runner) verifyGroupPush(ctx context.Context, ir *integrationRun, wants []plan.PushWant) bool {
	have, err := r.opts.Client.GroupPushes(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepPush, fmt.Errorf("re-reading the group push mappings to verify them: %w", err), "")
		return false
	}
	bySource := bySourceGroup(have)
	for _, w := range wants {
		h, ok := bySource[w.GroupID]
		switch {
		case !ok:
			r.fail(ir, StepPush, fmt.Errorf("Okta shows no group push mapping for %s after creating it", w.GroupName), "")
			return false
		case h.Status == "ERROR":
			r.fail(ir, StepPush, fmt.Errorf("pushing %s failed: %s", w.GroupName, orUnknown(h.ErrorSummary)),
				"see 'oktascim logs --failures'; the SCIM server must accept POST /Groups and PATCH /Groups/{id}")
			return false
		case h.Status != "ACTIVE":
			r.fail(ir, StepPush, fmt.Errorf("the group push mapping for %s is %s after activating it", w.GroupName, h.Status), "")
			return false
		}
	}
	return r.awaitGroupsOnServer(ctx, ir, wants)
}

// awaitGroupsOnServer waits, bounded and visibly, until the SCIM server lists each
// pushed group: Okta pushes asynchronously, so a mapping can be ACTIVE before the
// server has the group.
func (r *runner) awaitGroupsOnServer(ctx context.Context, ir *integrationRun, wants []plan.PushWant) bool {
	deadline := r.opts.Now().Add(r.opts.PushWait)
	delay := 100 * time.Millisecond
	reported := false
	for {
		missing, err := r.missingOnServer(ctx, ir, wants)
		switch {
		case err != nil:
			r.fail(ir, StepPush, err, "")
			return false
		case len(missing) == 0:
			return true
		case !r.opts.Now().Before(deadline):
			r.fail(ir, StepPush, fmt.Errorf("Okta reports the push ACTIVE but the SCIM server still has no group %s after %s", strings.Join(missing, ", "), r.opts.PushWait),
				"see 'oktascim logs --failures' for the push's outcome")
			return false
		case !reported:
			reported = true
			r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Waiting, AppID: ir.app.ID,
				Detail: fmt.Sprintf("waiting for the SCIM server to list %s (Okta pushes groups asynchronously; up to %s)", strings.Join(missing, ", "), r.opts.PushWait)})
		}
		select {
		case <-ctx.Done():
			r.fail(ir, StepPush, ctx.Err(), "")
			return false
		case <-time.After(delay):
		}
		if delay *= 2; delay > r.opts.PollInterval {
			delay = r.opts.PollInterval
		}
	}
}

// missingOnServer lists the pushed groups the SCIM server does not have (none where
// the tool lacks the credentials Okta uses).
func (r *runner) missingOnServer(ctx context.Context, ir *integrationRun, wants []plan.PushWant) ([]string, error) {
	creds, ok := ir.creds.scim()
	if !ok {
		return nil, nil // OAuth 2: Okta's own tokens; the mapping status is the verification
	}
	t := scim.Target{BaseURL: ir.in.SCIM.BaseURL, Version: ir.in.SCIM.Version, Credentials: creds}
	var missing []string
	for _, w := range wants {
		id, err := scim.GroupByName(ctx, r.opts.SCIMClient, t, w.Target)
		if err != nil {
			return nil, fmt.Errorf("looking for group %q on the SCIM server: %w", w.Target, err)
		}
		if id == "" {
			missing = append(missing, w.Target)
		}
	}
	return missing, nil
}

// groupsOnServer reports whether the SCIM server lists each group (for the console
// path, which polls on its own).
func (r *runner) groupsOnServer(ctx context.Context, ir *integrationRun, wants []plan.PushWant) bool {
	missing, err := r.missingOnServer(ctx, ir, wants)
	return err == nil && len(missing) == 0
}

// manualGroupPush is the console path for an org without the Group Push Mappings API.
func (r *runner) manualGroupPush(ctx context.Context, ir *integrationRun, wants []plan.PushWant) {
	if r.groupsOnServer(ctx, ir, wants) {
		r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Unchanged, AppID: ir.app.ID,
			Detail: fmt.Sprintf("the SCIM server has all %d group(s) (this org has no Group Push Mappings API; verified on the server)", len(wants))})
		return
	}
	step := plan.ManualStep{Integration: ir.in.Name, AppID: ir.app.ID, Pushes: wants,
		Title: fmt.Sprintf("Push groups to %q", ir.app.Label),
		Link:  r.opts.Client.PushGroupsTabURL(ir.app.Name, ir.app.ID),
		Actions: []string{"Open the link (Applications > " + ir.app.Label + " > Push Groups)",
			"For each group below: + Push Groups > Find groups by name, pick it, set the target name (link to an existing group of that name if offered), Save"},
		Verify: "oktascim checks that the SCIM server's /Groups lists each group"}
	for _, w := range wants {
		step.Fields = append(step.Fields, plan.ManualField{Name: w.GroupName, Value: "push as " + w.Target})
	}
	ev := Event{Step: StepPush, Manual: &step,
		Detail: "this org has no Group Push Mappings API; an admin must push the groups in the Admin Console"}
	r.manualStep(ctx, ir, ev, func() (bool, error) {
		return r.groupsOnServer(ctx, ir, wants), nil
	}, "verified: the SCIM server lists every pushed group")
}

// pushGroupsSeemOff reports whether Okta's refusal of a push create most likely means
// Push Groups is off: a 400, where all that showed it on was the app's features list
// (which some orgs fill with what the app supports, not what is on) — not the Push
// Groups tab (read only when the list lacks GROUP_PUSH) nor a custom app's Supported
// provisioning actions an admin checked in this run. Okta documents no error for
// this, so the status and the situation decide, never the wording.
func pushGroupsSeemOff(ir *integrationRun, err error) bool {
	return isBadRequest(err) && ir.app.HasFeature("GROUP_PUSH") && !ir.pushGroupsChecked
}

func isBadRequest(err error) bool {
	var ae *okta.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusBadRequest
}

// pushGroupsStep is the actions step's own Push Groups step, asked for when Okta
// refused the push of w although the features list showed Push Groups on. Creating the
// push again verifies it: Okta answers the mapping once Push Groups is on.
func (r *runner) pushGroupsStep(ctx context.Context, ir *integrationRun, w plan.PushWant, refused error) bool {
	change := plan.FieldChange{Field: "pushGroups", Old: "off", New: "on"}
	step := r.actionsStep(ir, []plan.FieldChange{change})
	step.Verify = "oktascim pushes " + w.GroupName + " again: Okta accepts the push once Push Groups is on"
	ev := Event{Step: StepPush, Manual: &step, Changes: []plan.FieldChange{change},
		Detail: fmt.Sprintf("Push Groups appears to be off: Okta refused to push %s (%v) although the app's features list names GROUP_PUSH "+
			"(the list may name what the app supports rather than what is on); an admin must turn Push Groups on in the Admin Console", w.GroupName, refused)}
	return r.manualStep(ctx, ir, ev, func() (bool, error) {
		_, err := r.opts.Client.CreateGroupPush(ctx, ir.app.ID, w.GroupID, w.Target)
		if isBadRequest(err) {
			return false, nil // still off
		}
		return err == nil, err
	}, "verified: Push Groups is on (Okta accepted the push of "+w.GroupName+")")
}

func bySourceGroup(have []okta.GroupPush) map[string]okta.GroupPush {
	out := map[string]okta.GroupPush{}
	for _, h := range have {
		out[h.SourceGroupID] = h
	}
	return out
}
