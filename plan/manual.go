package plan

import "github.com/oktascim/oktascim/config"

// ManualStep is what an admin must do in the Admin Console because the API cannot.
type ManualStep struct {
	Integration string        `json:"integration"`
	AppID       string        `json:"appId"`
	Title       string        `json:"title"`
	Link        string        `json:"link"`
	Actions     []string      `json:"actions"`
	Fields      []ManualField `json:"fields"`
	Verify      string        `json:"verify"`
	// Values is the same as Fields, typed, for an automated stand-in (the simulator's
	// admin). Secrets in it print as (sensitive).
	Values ProvisioningValues `json:"-"`
	// Pushes are the groups of a manual group push step, for the stand-in.
	Pushes []PushWant `json:"-"`
}

// ManualField is one value to enter.
type ManualField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Secret bool   `json:"secret,omitempty"`
}

// ProvisioningValues are the Provisioning tab's values.
type ProvisioningValues struct {
	BaseURL, AuthMode, Username, UserIDField string
	Token, Password                          config.Secret
	PushNewUsers, PushProfileUpdates         bool
	// PushGroups, ImportUsers, ImportGroups: nil when the file does not declare them —
	// the step does not mention them and the admin leaves the form as Okta shows it.
	PushGroups, ImportUsers *bool
	// Custom apps (App Integration Wizard): SCIM is switched on first (General tab),
	// Import Groups is an action, and OAuth 2 takes the authorization server's values.
	Custom                                     bool
	ImportGroups                               *bool
	TokenEndpoint, AuthorizeEndpoint, ClientID string
	ClientSecret                               config.Secret
}
