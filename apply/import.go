package apply

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// Imported is an existing app turned into an integration of the file.
type Imported struct {
	Integration config.Integration
	AppID       string
	// Notes say what could not be read and how the file stands in for it.
	Notes []string
	// Stamped is set when import stamped the app (it was not stamped before).
	Stamped bool
}

// ImportSelector picks apps by id or by exact label (among the SCIM template apps).
type ImportSelector struct {
	IDs, Labels []string
}

// Import reads apps and writes their integrations. It stamps each app that has no
// stamp yet — its only write, verified — so that the next plan manages the app
// instead of offering to adopt it.
func (s *Session) Import(ctx context.Context, sel ImportSelector) ([]Imported, error) {
	r := s.r
	c := r.opts.Client
	var apps []okta.App
	for _, id := range sel.IDs {
		a, err := c.GetApp(ctx, id)
		if err != nil {
			return nil, err
		}
		apps = append(apps, a)
	}
	for _, label := range sel.Labels {
		var found []okta.App
		for _, n := range config.DefaultAppNames() {
			list, err := r.appsNamed(ctx, n)
			if err != nil {
				return nil, err
			}
			for _, a := range list {
				if a.Label == label {
					found = append(found, a)
				}
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("no SCIM template app (%s) is labelled %q", strings.Join(config.DefaultAppNames(), ", "), label)
		case 1:
			apps = append(apps, found[0])
		default:
			ids := make([]string, len(found))
			for i, a := range found {
				ids[i] = a.ID
			}
			return nil, fmt.Errorf("%d SCIM template apps are labelled %q: %s; import one by --app-id", len(found), label, strings.Join(ids, ", "))
		}
	}
	used := map[string]bool{}
	var out []Imported
	for _, a := range apps {
		im, err := r.importApp(ctx, a, used)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, nil
}

func (r *runner) importApp(ctx context.Context, a okta.App, used map[string]bool) (Imported, error) {
	c := r.opts.Client
	// Import writes what the org holds explicitly, so that plan right after is clean.
	in := config.Integration{Label: a.Label, Visibility: config.Visibility{HideWeb: config.Bool(a.HideWeb), HideMobile: config.Bool(a.HideMobile), AutoLogin: config.Bool(a.AutoSubmitToolbar)}}
	im := Imported{AppID: a.ID}
	name, stamped := okta.StampedName(a.AdminNote)
	if !stamped {
		name = uniqueName(slug(a.Label), used)
	}
	if used[name] {
		return im, fmt.Errorf("app %s: two apps would be integration %q", a.ID, name)
	}
	used[name] = true
	in.Name = name
	prefix := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	switch a.Name {
	case "scim1testapp":
		// The file's method picks the template: scim1testapp is known only as the OAuth
		// bearer variant (unconfirmed), so that is what the file says.
		in.SCIM.Version, in.SCIM.Auth.Method = "1.1", "oauth"
		im.Notes = append(im.Notes, "auth method: the SCIM 1.1 template's authentication cannot be read back; scim1testapp is taken as the OAuth bearer variant (unconfirmed) — check it")
	case "scim2headerauth":
		in.SCIM.Version, in.SCIM.Auth.Method = "2.0", "header"
	case "scim2testapp":
		in.SCIM.Version, in.SCIM.Auth.Method = "2.0", "oauth"
	case "scim2testapp_basic":
		in.SCIM.Version, in.SCIM.Auth.Method = "2.0", "basic"
	default:
		return im, fmt.Errorf("app %s is a %s app, not one of the SCIM template apps (%s)", a.ID, a.Name, strings.Join(config.DefaultAppNames(), ", "))
	}
	if in.SCIM.Auth.Method == "basic" {
		in.SCIM.Auth.Username = "${" + prefix + "_SCIM_USERNAME}"
		in.SCIM.Auth.Password = &config.SecretRef{Env: prefix + "_SCIM_PASSWORD"}
	} else {
		in.SCIM.Auth.Token = &config.SecretRef{Env: prefix + "_SCIM_TOKEN"}
	}
	switch a.SignOnMode {
	case plan.SignOnSAML:
		in.SignOn = config.SignOn{Mode: "saml", SAML: &config.SAML{ACSURL: str(a.AppSettings["acsUrl"]), Audience: str(a.AppSettings["audienceUri"])}}
	case plan.SignOnSWA, plan.SignOnCustomSWA: // a template's SWA may read back as either (docs/variants.md)
		in.SignOn = config.SignOn{Mode: "swa", SWA: &config.SWA{LoginURL: str(a.AppSettings["url"])}}
	default:
		return im, fmt.Errorf("app %s signs on with %s; the file supports SAML_2_0 (saml) and BROWSER_PLUGIN (swa)", a.ID, a.SignOnMode)
	}
	in.SCIM.BaseURL = "${" + prefix + "_SCIM_BASE_URL}"
	features, err := c.Features(ctx, a.ID)
	switch {
	case errors.Is(err, okta.ErrProvisioningOff):
		in.Provisioning = config.Provisioning{CreateUsers: true, UpdateUsers: true, DeactivateUsers: true}
		im.Notes = append(im.Notes, "provisioning is off in the org: the actions cannot be read; the three below are the defaults, the others are left out (not managed), and apply will print the manual step to turn it on")
	case err != nil:
		return im, err
	default:
		up, _ := okta.UserProvisioningOf(features)
		in.Provisioning = config.Provisioning{CreateUsers: up.Create, UpdateUsers: up.UpdateProfile, DeactivateUsers: up.Deactivate, SyncPassword: config.Bool(up.SyncPassword),
			PushGroups: config.Bool(a.HasFeature("GROUP_PUSH")), ImportUsers: config.Bool(a.HasFeature("IMPORT_NEW_USERS"))}
		conn, err := c.GetConnection(ctx, a.ID)
		if err != nil {
			return im, err
		}
		if conn.Supported() && conn.BaseURL != "" {
			in.SCIM.BaseURL = conn.BaseURL
		}
	}
	if strings.HasPrefix(in.SCIM.BaseURL, "${") {
		im.Notes = append(im.Notes, "scim.baseUrl: Okta's API cannot read it back; set "+prefix+"_SCIM_BASE_URL (or write the URL here)")
	}
	im.Notes = append(im.Notes, "credentials: Okta never returns them; set the variables named below")
	// One read names them all (expand=group), not a GET /groups/{id} per group.
	groups, err := c.AppGroups(ctx, a.ID)
	if err != nil {
		return im, err
	}
	for _, name := range groups {
		in.Groups = append(in.Groups, name)
	}
	sort.Strings(in.Groups)
	im.Integration = in
	if !stamped {
		if err := r.stamp(ctx, a, name); err != nil {
			return im, err
		}
		im.Stamped = true
	}
	return im, nil
}

// stamp writes the ownership stamp into the app's admin note, keeping the rest of
// the app as it is, and verifies it.
func (r *runner) stamp(ctx context.Context, a okta.App, name string) error {
	c := r.opts.Client
	spec := okta.AppSpec{Name: a.Name, Label: a.Label, SignOnMode: a.SignOnMode, AppSettings: map[string]any{},
		AdminNote: okta.WithStamp(a.AdminNote, name), HideWeb: config.Bool(a.HideWeb), HideMobile: config.Bool(a.HideMobile), AutoSubmitToolbar: config.Bool(a.AutoSubmitToolbar)}
	if _, err := c.UpdateApp(ctx, a, spec); err != nil {
		return err
	}
	got, err := c.GetApp(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("re-reading app %s to verify its stamp: %w", a.ID, err)
	}
	if n, ok := okta.StampedName(got.AdminNote); !ok || n != name {
		return fmt.Errorf("Okta did not keep the stamp [oktascim:%s] on app %s", name, a.ID)
	}
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an integration name from a label: lowercase letters, digits and dashes.
func slug(label string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(label), "-"), "-")
	if s == "" {
		s = "app"
	}
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

func uniqueName(base string, used map[string]bool) string {
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
