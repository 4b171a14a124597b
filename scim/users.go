package scim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// User is a user as the SCIM server holds it, reduced to what a round trip checks.
type User struct {
	ID         string
	UserName   string
	Active     bool
	GivenName  string
	FamilyName string
}

// Answer is what the SCIM server answered one request, for a report: never a
// credential.
type Answer struct {
	Request string // e.g. GET /Users?filter=userName eq "…"
	Status  int    // 0 when there was no answer
	Detail  string // the SCIM error's detail (and scimType), or the transport error
}

func (a Answer) String() string {
	s := a.Request + " → "
	if a.Status == 0 {
		s += "no answer"
	} else {
		s += fmt.Sprint(a.Status)
	}
	if a.Detail != "" {
		s += ": " + a.Detail
	}
	return s
}

// do sends one request with the target's credentials and decodes a JSON answer.
func do(ctx context.Context, hc *http.Client, t Target, method, path string, out any) (Answer, error) {
	ans := Answer{Request: method + " " + path}
	authz, err := AuthorizationHeader(t.Credentials)
	if err != nil {
		return ans, err
	}
	red := newRedactor(t.Credentials)
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(t.BaseURL, "/")+path, nil)
	if err != nil {
		return ans, err
	}
	req.Header.Set("Authorization", authz)
	req.Header.Set("Accept", "application/scim+json")
	resp, err := noRedirects(hc).Do(req)
	if err != nil {
		ans.Detail = red.String(err.Error())
		return ans, fmt.Errorf("%s", ans.Detail)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	ans.Status = resp.StatusCode
	if err != nil {
		return ans, err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Detail   string `json:"detail"`
			ScimType string `json:"scimType"`
		}
		if json.Unmarshal(body, &e) == nil && e.Detail != "" {
			ans.Detail = red.String(sanitizeLine(e.Detail))
			if e.ScimType != "" {
				ans.Detail += " (scimType " + red.String(sanitizeLine(e.ScimType)) + ")"
			}
		} else {
			ans.Detail = red.String(excerpt(string(body)))
		}
		return ans, nil
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return ans, fmt.Errorf("%s: the answer is not JSON: %v", ans.Request, err)
		}
	}
	return ans, nil
}

type userJSON struct {
	ID       string `json:"id"`
	UserName string `json:"userName"`
	Active   *bool  `json:"active"`
	Name     struct {
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
	} `json:"name"`
}

func (u userJSON) user() User {
	return User{ID: u.ID, UserName: u.UserName, Active: u.Active == nil || *u.Active, GivenName: u.Name.GivenName, FamilyName: u.Name.FamilyName}
}

// UserByName looks a user up as Okta does, GET /Users?filter=userName eq "…": nil when
// the server has none. A non-2xx answer is not an error: the Answer says it.
func UserByName(ctx context.Context, hc *http.Client, t Target, userName string) (*User, Answer, error) {
	filter := fmt.Sprintf("userName eq %q", userName)
	var list struct {
		Resources []userJSON `json:"Resources"`
	}
	ans, err := do(ctx, hc, t, http.MethodGet, "/Users?filter="+url.QueryEscape(filter), &list)
	ans.Request = "GET /Users?filter=" + filter
	if err != nil || ans.Status != http.StatusOK {
		return nil, ans, err
	}
	for _, u := range list.Resources {
		if strings.EqualFold(u.UserName, userName) {
			out := u.user()
			return &out, ans, nil
		}
	}
	return nil, ans, nil
}

// GetUser reads a user by id: nil when the server answers 404.
func GetUser(ctx context.Context, hc *http.Client, t Target, id string) (*User, Answer, error) {
	var u userJSON
	ans, err := do(ctx, hc, t, http.MethodGet, "/Users/"+url.PathEscape(id), &u)
	if err != nil || ans.Status != http.StatusOK {
		return nil, ans, err
	}
	out := u.user()
	return &out, ans, nil
}

// DeleteUser deletes a user: the Answer's status says whether the server allowed it
// (204 or 200), had none (404), or refuses DELETE (405, 501, …).
func DeleteUser(ctx context.Context, hc *http.Client, t Target, id string) (Answer, error) {
	return do(ctx, hc, t, http.MethodDelete, "/Users/"+url.PathEscape(id), nil)
}
