package simenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func startTestEnv(t *testing.T) *Env {
	t.Helper()
	e, err := Start(Options{Groups: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// createApp creates an app through the org's API, as the tool would.
func createApp(t *testing.T, e *Env, body map[string]any) string {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", e.OrgURL+"/api/v1/apps", bytes.NewReader(raw))
	req.Header.Set("Authorization", "SSWS "+e.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var app map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&app); err != nil || resp.StatusCode != 200 {
		t.Fatalf("create app: %d %v %v", resp.StatusCode, err, app)
	}
	return app["id"].(string)
}

func on() *bool { b := true; return &b }

func TestAdminStandInTemplateApp(t *testing.T) {
	e := startTestEnv(t)
	do := e.AdminStandIn(0)
	id := createApp(t, e, map[string]any{"name": "scim2headerauth", "label": "Acme", "signOnMode": "SAML_2_0",
		"settings": map[string]any{"app": map[string]any{}}})

	// A wrong token: the simulator's credential test fails and the stand-in says so.
	wrong := &ProvisioningForm{BaseURL: e.SCIM20.URL, AuthMode: "header", Token: "wrong-token", PushNewUsers: true}
	if err := do(context.Background(), AdminStep{AppID: id, Form: wrong}); err == nil {
		t.Fatal("a wrong token must fail the credential test")
	}
	if p, _ := e.Org.Provisioning(id); p.Enabled {
		t.Fatalf("a failed test saves nothing: %+v", p)
	}

	form := &ProvisioningForm{BaseURL: e.SCIM20.URL, AuthMode: "header", Token: e.SCIMToken, UserIDField: "userName",
		PushNewUsers: true, PushGroups: on()}
	if err := do(context.Background(), AdminStep{AppID: id, Form: form}); err != nil {
		t.Fatal(err)
	}
	p, _ := e.Org.Provisioning(id)
	if !p.Enabled || p.BaseURL != e.SCIM20.URL || p.AuthMode != "header" || !p.PushNewUsers || p.PushProfileUpdates || !p.PushGroups || p.ImportUsers {
		t.Fatalf("provisioning as entered: %+v", p)
	}

	// Group push: the group reaches the SCIM server under its target name.
	gid := e.Org.AddGroup("Engineering")
	if err := do(context.Background(), AdminStep{AppID: id, Pushes: []GroupPush{{GroupID: gid, Target: "eng"}}}); err != nil {
		t.Fatal(err)
	}
	e.Org.Wait()
	found := false
	for _, g := range e.SCIM20.Groups() {
		found = found || g["displayName"] == "eng"
	}
	if !found {
		t.Fatalf("pushed group not on the SCIM server: %v", e.SCIM20.Groups())
	}
}

func TestAdminStandInCustomApp(t *testing.T) {
	e := startTestEnv(t)
	id := createApp(t, e, map[string]any{"label": "HR", "signOnMode": "SAML_2_0", "settings": map[string]any{"signOn": map[string]any{
		"ssoAcsUrl": "https://sp.example/acs", "audience": "https://sp.example",
		"subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"}}})
	form := &ProvisioningForm{Custom: true, BaseURL: e.SCIM20.URL, AuthMode: "oauth", PushNewUsers: true, PushProfileUpdates: true,
		ImportGroups: on(), TokenEndpoint: e.OAuth.TokenURL, AuthorizeEndpoint: e.OAuth.AuthorizeURL,
		ClientID: e.OAuth.ClientID, ClientSecret: e.OAuth.ClientSecret}
	if err := e.AdminStandIn(0)(context.Background(), AdminStep{AppID: id, Form: form}); err != nil {
		t.Fatal(err)
	}
	p, _ := e.Org.Provisioning(id)
	if !p.Enabled || p.AuthMode != "oauth2" || !p.PushNewUsers || !p.PushProfileUpdates || p.PushGroups {
		t.Fatalf("SCIM as entered: %+v", p)
	}
}

func TestAdminStandInRefusesAndWaits(t *testing.T) {
	e := startTestEnv(t)
	do := e.AdminStandIn(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := do(ctx, AdminStep{AppID: "0oa1"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled step does nothing: %v", err)
	}
	for _, s := range []AdminStep{{}, {AppID: "0oa1"}} {
		if err := e.AdminStandIn(0)(context.Background(), s); err == nil {
			t.Fatalf("%v: want an error", s)
		}
	}
}

func TestAdminStepPrintsNoSecret(t *testing.T) {
	form := &ProvisioningForm{Token: "tok-secret", Password: "pw-secret", ClientSecret: "cs-secret", BaseURL: "https://x"}
	s := AdminStep{AppID: "0oa1", Form: form}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%v", *form), fmt.Sprintf("%+v", form), fmt.Sprintf("%#v", s), fmt.Sprintf("%#v", form), fmt.Sprintf("%d %x", s, *form)} {
		if strings.Contains(out, "secret") {
			t.Fatalf("printed a secret: %s", out)
		}
	}
}
