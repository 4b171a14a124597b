package plan

import (
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
)

// Match is how an integration relates to the apps in the org.
type Match struct {
	App   *okta.App // nil: create
	Adopt bool      // App has no stamp but matches by template and exact label
}

// AmbiguousError means more than one app could be the integration's.
type AmbiguousError struct {
	Integration string
	Reason      string
	IDs         []string
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("integration %s: %s: %s — remove the extra app(s) or the stamp [oktascim:%s] from all but one in settings.notes.admin",
		e.Integration, e.Reason, strings.Join(e.IDs, ", "), e.Integration)
}

// FindManaged picks the integration's app among apps: the one carrying its stamp,
// else exactly one unstamped app of the same template with the same label (adopt).
func FindManaged(name, label, appName string, apps []okta.App) (Match, error) {
	var stamped, candidates []okta.App
	for _, a := range apps {
		if n, ok := okta.StampedName(a.AdminNote); ok {
			if n == name {
				stamped = append(stamped, a)
			}
			continue
		}
		if a.Label == label && (a.Name == appName || (appName == "" && (a.SignOnMode == SignOnSAML || a.SignOnMode == SignOnCustomSWA) && !config.IsTemplateName(a.Name))) {
			// appName "" is a custom app, whose name Okta made up.
			candidates = append(candidates, a)
		}
	}
	switch {
	case len(stamped) == 1:
		return Match{App: &stamped[0]}, nil
	case len(stamped) > 1:
		return Match{}, &AmbiguousError{name, "several apps carry its ownership stamp", ids(stamped)}
	case len(candidates) == 1:
		return Match{App: &candidates[0], Adopt: true}, nil
	case len(candidates) > 1:
		return Match{}, &AmbiguousError{name, fmt.Sprintf("several unmanaged %s apps are labelled %q", orCustom(appName), label), ids(candidates)}
	}
	return Match{}, nil
}

func ids(apps []okta.App) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = a.ID
	}
	return out
}

func orCustom(appName string) string {
	if appName == "" {
		return "custom"
	}
	return appName
}
