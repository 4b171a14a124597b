package simenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/oktascim/oktascim/sim/oktaorg"
)

// AdminStep is what the admin stand-in enters in the Admin Console for one manual
// step, in the console's own terms: the app, then either the Provisioning tab's form
// or the groups to push. It is the stand-in's language, not the engine's: the engine's
// manual step is converted to it where the two are wired together (cmd/oktascim).
type AdminStep struct {
	AppID string
	// Form is the Provisioning tab's values; nil for a group push step.
	Form *ProvisioningForm
	// Pushes are the groups to push from the Push Groups tab.
	Pushes []GroupPush
}

// String names the step without any value the admin types (the form holds secrets).
func (s AdminStep) String() string {
	switch {
	case len(s.Pushes) > 0:
		return fmt.Sprintf("push %d group(s) from app %s", len(s.Pushes), s.AppID)
	case s.Form != nil:
		return "enter the Provisioning tab of app " + s.AppID
	}
	return "nothing to do on app " + s.AppID
}

// ProvisioningForm is the Provisioning tab as the admin fills it in. The secrets are
// plain strings here: this is the person typing them.
type ProvisioningForm struct {
	// Custom is an App Integration Wizard app: SCIM is switched on (General tab) first,
	// Import Groups is an action, and OAuth 2 takes an authorization server's values.
	Custom bool
	// BaseURL, AuthMode (header | oauth | basic), Username, UserIDField; "" leaves a
	// field empty as Okta shows it.
	BaseURL, AuthMode, Username, UserIDField string
	Token, Password                          string
	// The action checkboxes. PushNewUsers and PushProfileUpdates are always set (the
	// tool's defaults are on); the others are nil when the step does not mention them,
	// and the admin leaves them as Okta shows them.
	PushNewUsers, PushProfileUpdates      bool
	PushGroups, ImportUsers, ImportGroups *bool
	// A custom app's OAuth 2 mode: the authorization server and the client.
	TokenEndpoint, AuthorizeEndpoint, ClientID, ClientSecret string
}

// GroupPush is one group to push and its name on the SCIM server.
type GroupPush struct {
	GroupID, Target string
}

// String keeps the form's secrets out of any print of it.
func (f ProvisioningForm) String() string {
	return fmt.Sprintf("{custom:%t baseUrl:%s authMode:%s}", f.Custom, f.BaseURL, f.AuthMode)
}

// Format prints String whatever the verb (%#v and %d would otherwise print the fields).
func (f ProvisioningForm) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, f.String()) }

// Format prints String whatever the verb.
func (s AdminStep) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, s.String()) }

// AdminStandIn returns a handler that does each manual step as an admin would, after
// delay: it enters the form on the app's Provisioning tab (a custom app's SCIM switch
// and connection, or a template app's API integration), which makes the simulator run
// the real credential test against the SCIM server; or pushes the step's groups from
// the Push Groups tab.
func (e *Env) AdminStandIn(delay time.Duration) func(ctx context.Context, s AdminStep) error {
	return func(ctx context.Context, s AdminStep) error {
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		switch {
		case s.AppID == "":
			return errors.New("manual step names no app")
		case len(s.Pushes) > 0:
			for _, p := range s.Pushes {
				if _, err := e.Org.PushGroup(ctx, s.AppID, p.GroupID, p.Target); err != nil {
					return err
				}
			}
			return nil
		case s.Form == nil:
			return fmt.Errorf("manual step on app %s has neither a form nor groups to push", s.AppID)
		case s.Form.Custom:
			return e.Org.EnableSCIM(ctx, s.AppID, s.Form.scim())
		}
		f := s.Form
		return e.Org.EnableProvisioning(ctx, s.AppID, oktaorg.ProvisioningSettings{
			BaseURL: f.BaseURL, AuthMode: f.AuthMode, Token: f.Token, Username: f.Username, Password: f.Password,
			UserIDField: f.UserIDField, PushNewUsers: f.PushNewUsers, PushProfileUpdates: f.PushProfileUpdates,
			PushGroups: untouched(f.PushGroups), ImportUsers: untouched(f.ImportUsers),
		})
	}
}

// scim is a custom app's form in the wizard's SCIM terms.
func (f *ProvisioningForm) scim() oktaorg.SCIMSettings {
	s := oktaorg.SCIMSettings{BaseURL: f.BaseURL, UserIDField: f.UserIDField, AuthMode: f.AuthMode,
		Username: f.Username, Password: f.Password,
		Actions: oktaorg.SCIMActions{ImportNewUsers: untouched(f.ImportUsers), PushNewUsers: f.PushNewUsers,
			PushProfileUpdates: f.PushProfileUpdates, PushGroups: untouched(f.PushGroups), ImportGroups: untouched(f.ImportGroups)}}
	switch f.AuthMode {
	case "header":
		s.HeaderValue = "Bearer " + f.Token // the wizard's HTTP Header mode
	case "oauth":
		s.AuthMode = "oauth2"
		s.OAuth = oktaorg.SCIMOAuth{TokenEndpoint: f.TokenEndpoint, AuthorizeEndpoint: f.AuthorizeEndpoint,
			ClientID: f.ClientID, ClientSecret: f.ClientSecret}
	}
	return s
}

// untouched is a checkbox as the admin leaves it: as the step says, else unchecked
// (what Okta then shows is the actions-after-enable variant's to decide).
func untouched(b *bool) bool { return b != nil && *b }
