package roundtrip

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/scim"
)

// trip is one integration's round trip.
type trip struct {
	*runner
	in     config.Integration
	app    okta.App
	target scim.Target
	have   okta.UserProvisioning // the actions as Okta has them
	start  time.Time             // for the System Log
	// logsRead is when a wait last read the System Log.
	logsRead time.Time
	code     int

	// What was made, for the cleanup. login and groupName are set before the create, so
	// that a create whose answer was lost (Ctrl-C, a timeout) is found by its name.
	login     string
	groupName string
	user      okta.User
	assigned  bool
	scimID    string
	scimOff   bool // the SCIM user is known deactivated (or gone)
	group     okta.Group
	push      okta.GroupPush

	reported map[int]bool // stage numbers reported
}

// report reports a stage of this integration.
func (t *trip) report(s Stage) {
	if t.reported == nil {
		t.reported = map[int]bool{}
	}
	t.reported[s.Number] = true
	t.runner.report(s)
}

func (t *trip) stage(n int, name string, began time.Time, outcome apply.Outcome, detail string) Stage {
	return Stage{Integration: t.in.Name, Number: n, Name: name, Outcome: outcome, Detail: detail, AppID: t.app.ID,
		Probe: t.user.Login, Seconds: t.opts.Now().Sub(began).Round(time.Millisecond).Seconds()}
}

// fail reports a failed stage and the exit code it asks for.
func (t *trip) fail(s Stage, code int) {
	s.Outcome = apply.Failed
	if code == exitcode.AuthRefused && s.Hint == "" {
		s.Hint = "Okta refused: the round trip creates, changes and deletes a user, which needs an admin who may manage users (Super or Organization Administrator); an OAuth service app needs the scopes okta.users.read and okta.users.manage granted and requested ('oktascim doctor' checks it)"
	}
	t.code = exitcode.Worst(t.code, code)
	t.report(s)
}

func (t *trip) skipRest(from int, why string) {
	names := []string{StageAssign, StageCreate, StageUpdate, StageDeactivate, StageGroupPush}
	for n := from; n <= len(names); n++ {
		t.report(t.stage(n, names[n-1], t.opts.Now(), apply.Skipped, why))
	}
}

func (t *trip) run(ctx context.Context) {
	t.start = t.opts.Now().Add(-2 * time.Second) // the org's clock may lag a little
	if !t.prepare(ctx) {
		return
	}
	defer t.cleanup(ctx)
	if !t.assign(ctx) {
		t.skipRest(2, "the probe user could not be made and assigned")
		return
	}
	if t.waitCreated(ctx) {
		t.update(ctx)
		if ctx.Err() == nil {
			t.deactivate(ctx)
		}
	} else if ctx.Err() == nil {
		t.report(t.stage(3, StageUpdate, t.opts.Now(), apply.Skipped, "no user on the SCIM server to update"))
		t.report(t.stage(4, StageDeactivate, t.opts.Now(), apply.Skipped, "no user on the SCIM server to deactivate"))
	}
	if ctx.Err() != nil {
		return
	}
	t.groupPush(ctx) // the group does not depend on the user
}

// prepare finds the app and reads its actions; it reports stage 1 failed when the
// round trip cannot run.
func (t *trip) prepare(ctx context.Context) bool {
	began := t.opts.Now()
	bad := func(detail, hint string, code int) bool {
		s := t.stage(1, StageAssign, began, apply.Failed, detail)
		s.Hint = hint
		t.fail(s, code)
		t.skipRest(2, "the round trip could not start")
		return false
	}
	target, ok, err := apply.SCIMTarget(t.in)
	switch {
	case err != nil:
		return bad(err.Error(), "", exitcode.Invalid)
	case !ok:
		return bad("the tool holds no credential to read the SCIM server: with OAuth 2, Okta obtains its own tokens from the SCIM server's authorization server",
			"run the round trip with a token the SCIM server accepts (header or bearer auth), or check the SCIM server's own records", exitcode.Failure)
	}
	t.target = target
	app, err := t.session.ManagedApp(ctx, t.in)
	if err != nil {
		return bad(err.Error(), "", codeOf(ctx, err))
	}
	t.app = app
	features, err := t.opts.Client.Features(ctx, app.ID)
	if errors.Is(err, okta.ErrProvisioningOff) {
		return bad("provisioning is off for the app in Okta: nothing would reach the SCIM server", "run 'oktascim apply' (and do its manual step) first", exitcode.Failure)
	}
	if err != nil {
		return bad(err.Error(), "", codeOf(ctx, err))
	}
	have, ok := okta.UserProvisioningOf(features)
	if !ok {
		return bad("Okta lists no USER_PROVISIONING feature for the app", "run 'oktascim apply' first", exitcode.Failure)
	}
	t.have = have
	return true
}

func (t *trip) domain() string {
	if t.opts.Domain != "" {
		return t.opts.Domain
	}
	// The SCIM server's host name is a domain the service knows; an address is not.
	if u, err := url.Parse(t.in.SCIM.BaseURL); err == nil && strings.Contains(u.Hostname(), ".") && net.ParseIP(u.Hostname()) == nil {
		return strings.ToLower(u.Hostname())
	}
	return "example.com"
}

// assign is stage 1: a disposable user, created STAGED (no email), activated without
// an email, and assigned to the app.
func (t *trip) assign(ctx context.Context) bool {
	began := t.opts.Now()
	c := t.opts.Client
	login := ProbePrefix + random(10) + "@" + t.domain()
	t.login = login
	u, err := c.CreateStagedUser(ctx, login, "Oktascim", "Probe")
	if err != nil {
		t.fail(t.stage(1, StageAssign, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return false
	}
	t.user = u
	if err := c.ActivateUserSilently(ctx, u.ID); err != nil {
		t.fail(t.stage(1, StageAssign, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return false
	}
	au, err := c.AssignUser(ctx, t.app.ID, u.ID, login)
	if err != nil {
		t.fail(t.stage(1, StageAssign, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return false
	}
	t.assigned = true
	if au.ID != u.ID {
		t.fail(t.stage(1, StageAssign, began, apply.Failed, fmt.Sprintf("Okta answered the assignment with user %q, not %s", au.ID, u.ID)), exitcode.Failure)
		return false
	}
	t.report(t.stage(1, StageAssign, began, apply.Done, fmt.Sprintf("created Okta user %s (%s; activated without an email) and assigned it to app %s", login, u.ID, t.app.ID)))
	return true
}

// waitCreated is stage 2: the SCIM server gets the user.
func (t *trip) waitCreated(ctx context.Context) bool {
	began := t.opts.Now()
	if !t.have.Create {
		t.report(t.stage(2, StageCreate, began, apply.Skipped, "createUsers is off for the app in Okta: Okta does not create users on the SCIM server"+drift(t.in.Provisioning.CreateUsers)))
		return false
	}
	var found *scim.User
	w := t.wait(ctx, began, "application.provision.user.push", func(ctx context.Context) (bool, scim.Answer, error) {
		u, ans, err := scim.UserByName(ctx, t.opts.SCIMClient, t.target, t.user.Login)
		found = u
		return u != nil, ans, err
	})
	if !w.ok {
		t.failWait(2, StageCreate, began, w, "the SCIM server has no user "+t.user.Login)
		return false
	}
	t.scimID = found.ID
	t.report(t.stage(2, StageCreate, began, apply.Done, fmt.Sprintf("the SCIM server has user %s (id %s, active %t)", found.UserName, found.ID, found.Active)))
	return true
}

// update is stage 3: a profile change in Okta reaches the SCIM server.
func (t *trip) update(ctx context.Context) {
	began := t.opts.Now()
	if !t.have.UpdateProfile {
		t.report(t.stage(3, StageUpdate, began, apply.Skipped, "updateUsers is off for the app in Okta: Okta does not push profile changes"+drift(t.in.Provisioning.UpdateUsers)))
		return
	}
	attr, scimAttr := "lastName", "name.familyName"
	for _, m := range t.in.Mappings.ToApp {
		if m.Property == "familyName" && m.Expression != "user.lastName" {
			attr, scimAttr = "firstName", "name.givenName"
		}
	}
	value := "Probe-" + random(6)
	if _, err := t.opts.Client.SetUserProfile(ctx, t.user.ID, map[string]string{attr: value}); err != nil {
		t.fail(t.stage(3, StageUpdate, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return
	}
	w := t.wait(ctx, began, "application.provision.user.push_profile", func(ctx context.Context) (bool, scim.Answer, error) {
		u, ans, err := scim.GetUser(ctx, t.opts.SCIMClient, t.target, t.scimID)
		if u == nil {
			return false, ans, err
		}
		have := u.FamilyName
		if scimAttr == "name.givenName" {
			have = u.GivenName
		}
		return have == value, ans, err
	})
	if !w.ok {
		t.failWait(3, StageUpdate, began, w, fmt.Sprintf("the SCIM user's %s is not %q (set as %s in Okta)", scimAttr, value, attr))
		return
	}
	t.report(t.stage(3, StageUpdate, began, apply.Done, fmt.Sprintf("changed %s in Okta; the SCIM user's %s is %q", attr, scimAttr, value)))
}

// deactivate is stage 4: unassigning deactivates the SCIM user (or removes it).
func (t *trip) deactivate(ctx context.Context) {
	began := t.opts.Now()
	if !t.have.Deactivate {
		t.report(t.stage(4, StageDeactivate, began, apply.Skipped, "deactivateUsers is off for the app in Okta: Okta leaves the SCIM user active when it is unassigned"+drift(t.in.Provisioning.DeactivateUsers)))
		return
	}
	if err := t.opts.Client.UnassignUser(ctx, t.app.ID, t.user.ID); err != nil {
		t.fail(t.stage(4, StageDeactivate, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return
	}
	t.assigned = false
	gone := false
	w := t.wait(ctx, began, "application.provision.user.deactivate", func(ctx context.Context) (bool, scim.Answer, error) {
		u, ans, err := scim.GetUser(ctx, t.opts.SCIMClient, t.target, t.scimID)
		gone = err == nil && ans.Status == 404
		return gone || (u != nil && !u.Active), ans, err
	})
	if !w.ok {
		t.failWait(4, StageDeactivate, began, w, "the SCIM user is still active after the unassignment")
		return
	}
	t.scimOff = true
	detail := "unassigned in Okta; the SCIM user has active: false"
	if gone {
		detail = "unassigned in Okta; the SCIM server no longer has the user"
	}
	t.report(t.stage(4, StageDeactivate, began, apply.Done, detail))
}

// groupPush is stage 5: a disposable group pushed to the SCIM server, then removed.
func (t *trip) groupPush(ctx context.Context) {
	began := t.opts.Now()
	switch {
	case !config.On(t.in.Provisioning.PushGroups):
		t.report(t.stage(5, StageGroupPush, began, apply.Skipped, "pushGroups is off in the file"))
		return
	case len(t.in.PushGroups) == 0:
		t.report(t.stage(5, StageGroupPush, began, apply.Skipped, "the file declares no group push"))
		return
	}
	c := t.opts.Client
	name := ProbePrefix + random(10)
	t.groupName = name
	g, err := c.CreateGroup(ctx, name, "disposable group of oktascim test --round-trip; safe to delete")
	if err != nil {
		t.fail(t.stage(5, StageGroupPush, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return
	}
	t.group = g
	push, err := c.CreateGroupPush(ctx, t.app.ID, g.ID, name)
	if okta.IsFeatureOff(err) {
		t.report(t.stage(5, StageGroupPush, began, apply.Skipped, "the org has no Group Push Mappings API: "+err.Error()))
		return
	}
	if err != nil {
		t.fail(t.stage(5, StageGroupPush, began, apply.Failed, err.Error()), codeOf(ctx, err))
		return
	}
	if push.ID == "" {
		// The spec requires no field of the create's answer: find the mapping by its
		// group, so that the cleanup can remove it.
		pushes, err := c.GroupPushes(ctx, t.app.ID)
		if err != nil {
			t.fail(t.stage(5, StageGroupPush, began, apply.Failed, "pushed, but reading the push mappings to find it failed: "+err.Error()), codeOf(ctx, err))
			return
		}
		for _, p := range pushes {
			if p.SourceGroupID == g.ID {
				push = p
			}
		}
	}
	t.push = push
	w := t.wait(ctx, began, "application.provision.group_push.pushed", func(ctx context.Context) (bool, scim.Answer, error) {
		id, err := scim.GroupByName(ctx, t.opts.SCIMClient, t.target, name)
		ans := scim.Answer{Request: fmt.Sprintf("GET /Groups?filter=displayName eq %q", name), Status: 200}
		if err != nil {
			ans = scim.Answer{Request: ans.Request, Detail: err.Error()}
			return false, ans, nil
		}
		return id != "", ans, nil
	})
	if !w.ok {
		if m, err := c.GetGroupPush(ctx, t.app.ID, push.ID); err == nil && m.ErrorSummary != "" {
			w.detail += "; the push mapping says: " + m.ErrorSummary
		}
		t.failWait(5, StageGroupPush, began, w, "the SCIM server has no group "+name)
		return
	}
	if err := t.removePush(ctx); err != nil {
		t.fail(t.stage(5, StageGroupPush, began, apply.Failed, "pushed, but removing the push failed: "+err.Error()), codeOf(ctx, err))
		return
	}
	t.report(t.stage(5, StageGroupPush, began, apply.Done, fmt.Sprintf("pushed group %s: the SCIM server has it; push and group removed", name)))
}

// removePush deactivates and deletes the probe push mapping with its group on the app
// and the SCIM server, then deletes the Okta group.
func (t *trip) removePush(ctx context.Context) error {
	c := t.opts.Client
	if t.push.ID != "" {
		if _, err := c.SetGroupPushStatus(ctx, t.app.ID, t.push.ID, "INACTIVE"); err != nil && !okta.IsNotFound(err) {
			return err
		}
		if err := c.DeleteGroupPushAndTarget(ctx, t.app.ID, t.push.ID); err != nil && !okta.IsNotFound(err) {
			return err
		}
		t.push = okta.GroupPush{}
	}
	if t.group.ID != "" {
		if err := c.DeleteGroup(ctx, t.group.ID); err != nil {
			return err
		}
		t.group = okta.Group{}
	}
	return nil
}

// cleanup is stage 6: it removes what the round trip made in Okta, bounded, even
// after a failure or Ctrl-C.
func (t *trip) cleanup(parent context.Context) {
	began := t.opts.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), t.opts.CleanupTimeout)
	defer cancel()
	if parent.Err() != nil {
		names := []string{StageAssign, StageCreate, StageUpdate, StageDeactivate, StageGroupPush}
		for n := 1; n <= len(names); n++ {
			if !t.reported[n] {
				t.report(t.stage(n, names[n-1], began, apply.Skipped, "interrupted before this stage"))
			}
		}
	}
	c := t.opts.Client
	var done, problems []string
	t.findLost(ctx)
	if t.push.ID != "" || t.group.ID != "" {
		if err := t.removePush(ctx); err != nil {
			problems = append(problems, err.Error())
		} else {
			done = append(done, "the probe group and its push")
		}
	}
	if t.user.ID != "" {
		if t.assigned {
			if err := c.UnassignUser(ctx, t.app.ID, t.user.ID); err != nil {
				problems = append(problems, err.Error())
			}
		}
		if err := c.DeleteUser(ctx, t.user.ID); err != nil {
			problems = append(problems, err.Error())
		} else {
			done = append(done, "Okta user "+t.user.Login+" (deactivated and deleted)")
		}
	}
	detail := "removed in Okta: " + strings.Join(done, ", ")
	if len(done) == 0 {
		detail = "nothing was made in Okta"
	}
	if t.scimID != "" {
		detail += "; " + t.scimLeft(ctx)
	}
	s := t.stage(6, StageCleanup, began, apply.Done, detail)
	if len(problems) > 0 {
		s.Detail += "; left behind: " + strings.Join(problems, "; ")
		s.Hint = "a later 'oktascim test --round-trip' removes leftovers whose names start with " + ProbePrefix
		t.fail(s, codeOf(context.Background(), errors.New(problems[0])))
		return
	}
	if parent.Err() != nil {
		t.code = exitcode.Worst(t.code, exitcode.Interrupted)
	}
	t.report(s)
}

// findLost looks up, by name, a probe user or group whose create was sent but whose
// answer never came (Okta may have made it all the same).
func (t *trip) findLost(ctx context.Context) {
	if t.user.ID == "" && t.login != "" {
		if users, err := t.opts.Client.UsersWithLoginPrefix(ctx, t.login); err == nil {
			for _, u := range users {
				if strings.EqualFold(u.Login, t.login) {
					t.user = u
				}
			}
		}
	}
	if t.group.ID == "" && t.groupName != "" {
		if groups, err := t.opts.Client.GroupsWithNamePrefix(ctx, t.groupName); err == nil {
			for _, g := range groups {
				if g.Name == t.groupName {
					t.group = g.Group
				}
			}
		}
	}
}

// scimLeft says what the round trip leaves on the SCIM server, deleting the user
// first with CleanupSCIM.
func (t *trip) scimLeft(ctx context.Context) string {
	state := "deactivated (active: false)"
	if !t.scimOff {
		state = "as Okta left it (it was not seen deactivated)"
	}
	if !t.opts.CleanupSCIM {
		return fmt.Sprintf("the SCIM server keeps user %s (id %s) %s; --cleanup-scim deletes it", t.user.Login, t.scimID, state)
	}
	ans, err := scim.DeleteUser(ctx, t.opts.SCIMClient, t.target, t.scimID)
	switch {
	case err != nil:
		return fmt.Sprintf("could not delete SCIM user %s: %v; it is kept %s", t.scimID, err, state)
	case ans.Status == 204 || ans.Status == 200 || ans.Status == 404:
		return fmt.Sprintf("deleted SCIM user %s (%s)", t.user.Login, ans)
	}
	return fmt.Sprintf("the SCIM server does not allow deleting user %s (%s); it keeps it %s", t.scimID, ans, state)
}

// removeLeftovers removes earlier runs' probe users and groups (older than
// LeftoverAge), and the group pushes of those groups on the run's apps.
func (t *trip) removeLeftovers(ctx context.Context) {
	began := t.opts.Now()
	c := t.opts.Client
	bad := func(err error) {
		t.fail(t.stage(0, StageLeftovers, began, apply.Failed, "could not look for leftover probes: "+err.Error()), codeOf(ctx, err))
	}
	users, err := c.UsersWithLoginPrefix(ctx, ProbePrefix)
	if err != nil {
		bad(err)
		return
	}
	groups, err := c.GroupsWithNamePrefix(ctx, ProbePrefix)
	if err != nil {
		bad(err)
		return
	}
	old := func(created time.Time) bool { return created.IsZero() || began.Sub(created) >= t.opts.LeftoverAge }
	var removed, young, failed []string
	for _, u := range users {
		switch {
		case !strings.HasPrefix(strings.ToLower(u.Login), ProbePrefix):
		case !old(u.Created):
			young = append(young, u.Login)
		default:
			if err := c.DeleteUser(ctx, u.ID); err != nil {
				failed = append(failed, u.Login+": "+err.Error())
				continue
			}
			removed = append(removed, u.Login)
		}
	}
	var oldGroups []okta.DatedGroup
	for _, g := range groups {
		if old(g.Created) {
			oldGroups = append(oldGroups, g)
		} else {
			young = append(young, "group "+g.Name)
		}
	}
	if len(oldGroups) > 0 {
		for _, e := range t.removeLeftoverPushes(ctx, oldGroups) {
			failed = append(failed, e.Error())
		}
		for _, g := range oldGroups {
			if err := c.DeleteGroup(ctx, g.ID); err != nil {
				failed = append(failed, "group "+g.Name+": "+err.Error())
				continue
			}
			removed = append(removed, "group "+g.Name)
		}
	}
	if len(removed)+len(young)+len(failed) == 0 {
		return
	}
	detail := fmt.Sprintf("removed %d leftover probe(s) of earlier runs: %s", len(removed), listOrNone(removed))
	if len(young) > 0 {
		detail += fmt.Sprintf("; left %d younger than %s (another run may be using them): %s", len(young), t.opts.LeftoverAge, strings.Join(young, ", "))
	}
	s := t.stage(0, StageLeftovers, began, apply.Done, detail)
	if len(failed) > 0 {
		s.Detail += "; could not remove: " + strings.Join(failed, "; ")
		t.fail(s, exitcode.Failure)
		return
	}
	t.report(s)
}

// removeLeftoverPushes deactivates and deletes, with their groups on the app and the
// SCIM server, the pushes of leftover probe groups on the run's apps.
func (t *trip) removeLeftoverPushes(ctx context.Context, groups []okta.DatedGroup) []error {
	ids := map[string]bool{}
	for _, g := range groups {
		ids[g.ID] = true
	}
	var errs []error
	for _, in := range t.opts.Integrations {
		app, err := t.session.ManagedApp(ctx, in)
		if err != nil {
			continue // not made yet: nothing of it to remove
		}
		pushes, err := t.opts.Client.GroupPushes(ctx, app.ID)
		if err != nil {
			if !okta.IsFeatureOff(err) && !errors.Is(err, okta.ErrProvisioningOff) {
				errs = append(errs, err)
			}
			continue
		}
		for _, p := range pushes {
			if !ids[p.SourceGroupID] {
				continue
			}
			if _, err := t.opts.Client.SetGroupPushStatus(ctx, app.ID, p.ID, "INACTIVE"); err != nil && !okta.IsNotFound(err) {
				errs = append(errs, err)
				continue
			}
			if err := t.opts.Client.DeleteGroupPushAndTarget(ctx, app.ID, p.ID); err != nil && !okta.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// drift notes that the file wants an action Okta has off.
func drift(declared bool) string {
	if declared {
		return " (the file has it on: run 'oktascim apply')"
	}
	return ""
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
