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
// a pattern matches (Okta's q is a prefix search; the pattern is applied here); and the
// patterns that match none.
func (r *runner) pushWants(ctx context.Context, pgs []config.PushGroup) (out []plan.PushWant, unmatched []string, err error) {
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
				return nil, nil, err
			}
			if err := g.problem(pg.Group); err != nil {
				return nil, nil, fmt.Errorf("pushGroups: %w", err)
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
			return nil, nil, err
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
		matched := false
		for _, g := range found {
			// Only Okta's own groups are pushed, not the app groups pushes create.
			if ok, _ := path.Match(pg.Match, g.Name); ok && g.Type != "APP_GROUP" {
				matched = true
				add(plan.PushWant{GroupID: g.ID, GroupName: g.Name, Target: g.Name})
			}
		}
		if !matched {
			unmatched = append(unmatched, pg.Match)
		}
	}
	return out, unmatched, nil
}

// runPush carries out the plan's push step through the Group Push Mappings API (or,
// where the org lacks it, as a manual step): each create or activation is verified
// from its answer (ACTIVE; ERROR carries Okta's reason), then the SCIM server must
// list each group. When the plan deferred the step (provisioning or Push Groups was
// not on), the push mappings are read now and the plan decides.
func (r *runner) runPush(ctx context.Context, ir *integrationRun) {
	c := r.opts.Client
	st := ir.steps.Push
	if st.Deferred || ir.turnedOn {
		have, tab, err := r.pushTab(ctx, ir.app.ID)
		switch {
		case err != nil:
			r.fail(ir, StepPush, err, "")
			return
		case tab == tabOff:
			r.skip(ir, StepPush, "Push Groups is not on for the app yet (see the actions step)")
			return
		case tab == tabMissingAPI:
			st = plan.PushStep{Console: true, Wants: st.Wants}
		default:
			st = plan.DecidePush(st.Wants, have, r.pushNames(ctx, st.Wants, have, ir.obs), r.opts.Prune)
		}
		st.Unmatched = ir.steps.Push.Unmatched
	}
	if st.Console {
		r.manualGroupPush(ctx, ir, st.Wants)
		return
	}
	byID := map[string]plan.PushWant{}
	for _, w := range st.Wants {
		byID[w.GroupID] = w
	}
	for _, w := range st.Create {
		got, err := c.CreateGroupPush(ctx, ir.app.ID, w.GroupID, w.Target)
		if isBadRequest(err) && plan.PushGroupsSeemOff(ir.pushGroupsChecked) {
			if !r.pushGroupsStep(ctx, ir, w, err) {
				return
			}
			continue
		}
		if err == nil {
			err = r.verifyPush(ctx, ir, w, "", got)
		}
		if err != nil {
			r.failPush(ir, err)
			return
		}
	}
	for _, h := range st.Activate {
		got, err := c.SetGroupPushStatus(ctx, ir.app.ID, h.ID, "ACTIVE")
		if err == nil {
			err = r.verifyPush(ctx, ir, byID[h.SourceGroupID], h.ID, got)
		}
		if err != nil {
			r.failPush(ir, err)
			return
		}
	}
	for _, h := range st.Remove {
		if st.DeactivateFirst(h) {
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
	detail := fmt.Sprintf("%d group(s) pushed and verified", len(st.Wants))
	if len(st.Kept) > 0 {
		detail += "; left alone (not in the file): " + strings.Join(st.Kept, ", ")
	}
	for _, n := range st.Notes() {
		detail += "; " + n
	}
	if st.Unchanged() {
		r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Unchanged, AppID: ir.app.ID, Detail: detail})
		return
	}
	if !r.awaitGroupsOnServer(ctx, ir, st.Wants) {
		return
	}
	all := append(append([]plan.FieldChange{}, st.Changes...), st.Removals...)
	r.report(Event{Integration: ir.in.Name, Step: StepPush, Outcome: Done, AppID: ir.app.ID, Changes: all,
		Detail: plan.Summarize(all) + "; " + detail})
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
	step := r.withSecrets(ir, plan.ConsoleActionsStep(ir.in, ir.app, r.opts.Client, []plan.FieldChange{change}))
	step.Verify = "oktascim pushes " + w.GroupName + " again: Okta accepts the push once Push Groups is on"
	ev := Event{Step: StepPush, Manual: &step, Changes: []plan.FieldChange{change},
		Detail: fmt.Sprintf("Push Groups appears to be off: Okta refused to push %s (%v) although %s; an admin must turn Push Groups on in the Admin Console",
			w.GroupName, refused, plan.PushGroupsSign(ir.app))}
	return r.manualStep(ctx, ir, ev, func() (bool, error) {
		got, err := r.opts.Client.CreateGroupPush(ctx, ir.app.ID, w.GroupID, w.Target)
		switch {
		case isBadRequest(err):
			return false, nil // still off
		case err != nil:
			return false, err
		}
		return true, r.verifyPush(ctx, ir, w, "", got)
	}, "verified: Push Groups is on (Okta accepted the push of "+w.GroupName+")")
}

// verifyPush verifies a push write from its answer, or — where the answer lacks what
// the verifier reads (the spec requires no field of it) — from one read: the mapping
// by id (the answer's, or id, the one written), else the app's mappings.
func (r *runner) verifyPush(ctx context.Context, ir *integrationRun, w plan.PushWant, id string, got okta.GroupPush) error {
	if !plan.PushAnswerShort(got) {
		return plan.VerifyPush(w, got)
	}
	if got.ID != "" {
		id = got.ID
	}
	var err error
	if id != "" {
		got, err = r.opts.Client.GetGroupPush(ctx, ir.app.ID, id)
	} else {
		var have []okta.GroupPush
		have, err = r.opts.Client.GroupPushes(ctx, ir.app.ID)
		got = plan.FindPush(w, have)
	}
	if err != nil {
		return fmt.Errorf("re-reading the group push mapping for %s to verify it: %w", w.GroupName, err)
	}
	return plan.VerifyPush(w, got)
}

// failPush reports a push write that failed or that Okta did not keep.
func (r *runner) failPush(ir *integrationRun, err error) {
	hint := ""
	if errors.As(err, new(*plan.PushFailedError)) {
		hint = "see 'oktascim logs --failures'; the SCIM server must accept POST /Groups and PATCH /Groups/{id}"
	}
	r.fail(ir, StepPush, err, hint)
}

// pushNames names the source group of every push: the file's groups, and the others
// (kept, or pruned) from what the integration's observation already named (its
// declared groups; with --prune every group assigned to the app). Only a removal needs
// a name it lacks, so only with --prune is a group read by id; without, a kept push
// the file does not name is shown by its group's id (declared means managed: it is
// not read for the plan's sake).
func (r *runner) pushNames(ctx context.Context, wants []plan.PushWant, have []okta.GroupPush, obs plan.Observed) map[string]string {
	known := map[string]string{}
	for name, id := range obs.Groups {
		known[id] = name
	}
	for id, name := range obs.Assigned {
		known[id] = name
	}
	names := map[string]string{}
	for _, w := range wants {
		names[w.GroupID] = w.GroupName
	}
	for _, h := range have {
		id := h.SourceGroupID
		if _, ok := names[id]; ok {
			continue
		}
		if n, ok := known[id]; ok {
			names[id] = n
		} else if r.opts.Prune {
			if n, err := r.groupName(ctx, id); err == nil {
				names[id] = n
			}
		}
	}
	return names
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
	step := plan.ConsolePushStep(ir.in, ir.app, r.opts.Client, wants)
	ev := Event{Step: StepPush, Manual: &step,
		Detail: "this org has no Group Push Mappings API; an admin must push the groups in the Admin Console"}
	r.manualStep(ctx, ir, ev, func() (bool, error) {
		return r.groupsOnServer(ctx, ir, wants), nil
	}, "verified: the SCIM server lists every pushed group")
}
