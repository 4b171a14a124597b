package config

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Render writes integrations as an oktascim file (version 1), the way `oktascim import`
// hands them to the user. Secrets are always references (env, file or stdin), never
// values; base URLs may be ${NAME} placeholders. notes are comments per integration.
func Render(ins []Integration, notes map[string][]string) []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=https://raw.githubusercontent.com/oktascim/oktascim/main/docs/oktascim.schema.json\n")
	b.WriteString("version: 1\nintegrations:\n")
	for _, in := range ins {
		for _, n := range notes[in.Name] {
			fmt.Fprintf(&b, "  # %s\n", strings.ReplaceAll(n, "\n", " "))
		}
		fmt.Fprintf(&b, "  - name: %s\n", scalar(in.Name))
		fmt.Fprintf(&b, "    label: %s\n", scalar(in.Label))
		b.WriteString("    scim:\n")
		fmt.Fprintf(&b, "      version: %s\n", scalar(in.SCIM.Version))
		fmt.Fprintf(&b, "      baseUrl: %s\n", scalar(in.SCIM.BaseURL))
		if in.SCIM.AppName != "" {
			fmt.Fprintf(&b, "      appName: %s\n", scalar(in.SCIM.AppName))
		}
		if in.SCIM.UserIDField != "" && in.SCIM.UserIDField != "userName" {
			fmt.Fprintf(&b, "      userIdField: %s\n", scalar(in.SCIM.UserIDField))
		}
		b.WriteString("      auth:\n")
		fmt.Fprintf(&b, "        method: %s\n", in.SCIM.Auth.Method)
		if in.SCIM.Auth.Method == "basic" {
			fmt.Fprintf(&b, "        username: %s\n", scalar(in.SCIM.Auth.Username))
			fmt.Fprintf(&b, "        password: %s\n", secretRef(in.SCIM.Auth.Password))
		} else {
			fmt.Fprintf(&b, "        token: %s\n", secretRef(in.SCIM.Auth.Token))
		}
		b.WriteString("    signOn:\n")
		fmt.Fprintf(&b, "      mode: %s\n", in.SignOn.Mode)
		switch {
		case in.SignOn.SAML != nil:
			fmt.Fprintf(&b, "      saml:\n        acsUrl: %s\n        audience: %s\n", scalar(in.SignOn.SAML.ACSURL), scalar(in.SignOn.SAML.Audience))
		case in.SignOn.SWA != nil:
			fmt.Fprintf(&b, "      swa:\n        loginUrl: %s\n", scalar(in.SignOn.SWA.LoginURL))
		}
		// Every value import read is written out, so that it is managed from now on; a
		// value it could not read is left out (and so left as the org has it).
		v := in.Visibility
		var vis []string
		for _, o := range []optional{{"hideWeb", v.HideWeb}, {"hideMobile", v.HideMobile}, {"autoLogin", v.AutoLogin}} {
			if o.v != nil {
				vis = append(vis, fmt.Sprintf("%s: %t", o.name, *o.v))
			}
		}
		if len(vis) > 0 {
			fmt.Fprintf(&b, "    visibility: { %s }\n", strings.Join(vis, ", "))
		}
		p := in.Provisioning
		fmt.Fprintf(&b, "    provisioning:\n      createUsers: %t\n      updateUsers: %t\n      deactivateUsers: %t\n", p.CreateUsers, p.UpdateUsers, p.DeactivateUsers)
		for _, o := range []optional{{"syncPassword", p.SyncPassword}, {"pushGroups", p.PushGroups}, {"importUsers", p.ImportUsers}, {"importGroups", p.ImportGroups}} {
			if o.v != nil {
				fmt.Fprintf(&b, "      %s: %t\n", o.name, *o.v)
			}
		}
		if len(in.Groups) > 0 {
			b.WriteString("    groups:\n")
			for _, g := range in.Groups {
				fmt.Fprintf(&b, "      - %s\n", scalar(g))
			}
		}
	}
	return b.Bytes()
}

type optional struct {
	name string
	v    *bool
}

// scalar quotes s when YAML would otherwise read it as something else.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func secretRef(r *SecretRef) string {
	switch {
	case r == nil:
		return "{ env: SCIM_SECRET }"
	case r.File != "":
		return "{ file: " + scalar(r.File) + " }"
	case r.Stdin:
		return "{ stdin: true }"
	}
	return "{ env: " + r.Env + " }"
}
