package scim

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oktascim/oktascim/sim/scimserver"
)

const (
	secretToken = "tok-9f8e7d6c5b4a"
	secretPass  = "pw-Zx81&Q"
)

func TestProbeAgainstSCIMTest(t *testing.T) {
	for _, v := range []string{"2.0", "1.1"} {
		for _, tc := range []struct {
			creds Credentials
			auth  scimserver.Auth
		}{
			{Credentials{Method: AuthOAuth, Token: secretToken}, scimserver.Auth{Mode: "bearer", Token: secretToken}},
			{Credentials{Method: AuthHeader, Token: secretToken}, scimserver.Auth{Mode: "header", Token: secretToken}},
			{Credentials{Method: AuthBasic, Username: "admin", Password: secretPass}, scimserver.Auth{Mode: "basic", Username: "admin", Password: secretPass}},
		} {
			t.Run(v+"/"+string(tc.creds.Method), func(t *testing.T) {
				srv, err := scimserver.Start(scimserver.Options{Version: v, Auth: tc.auth})
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				for _, withUsers := range []bool{false, true} {
					if withUsers {
						addUsers(t, srv, tc.creds, 3)
					}
					res := Probe(context.Background(), nil, Target{BaseURL: srv.URL + "/", Version: v, Credentials: tc.creds})
					if !res.OK || res.Problem != ProblemNone || res.Status != 200 || res.Detail != "" || res.Hint != "" {
						t.Fatalf("users=%v: %+v", withUsers, res)
					}
					if res.URL != srv.URL+"/Users?count=2&startIndex=1" {
						t.Errorf("URL %s", res.URL)
					}
					assertNoSecret(t, res)
				}
				reqs := srv.Requests()
				last := reqs[len(reqs)-1]
				wantAccept := "application/scim+json"
				if v == "1.1" {
					wantAccept = "application/json"
				}
				authz, _ := AuthorizationHeader(tc.creds)
				if last.Method != "GET" || !strings.HasSuffix(last.Path, "/Users") || last.RawQuery != "count=2&startIndex=1" ||
					last.Header.Get("Accept") != wantAccept || last.Header.Get("User-Agent") != "oktascim" || last.Header.Get("Authorization") != authz {
					t.Errorf("request sent: %+v", last)
				}
				// Wrong credentials are refused.
				bad := tc.creds
				bad.Token, bad.Password = "wrong", "wrong"
				if res := Probe(context.Background(), nil, Target{BaseURL: srv.URL, Version: v, Credentials: bad}); res.Problem != ProblemUnauthorized || res.Status != 401 {
					t.Errorf("wrong creds: %+v", res)
				}
			})
		}
	}
}

func addUsers(t *testing.T, srv *scimserver.Running, c Credentials, n int) {
	t.Helper()
	authz, err := AuthorizationHeader(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := fmt.Sprintf(`{"userName":"u%d@example.com","name":{"givenName":"G","familyName":"F"}}`, i)
		req, _ := http.NewRequest("POST", srv.URL+"/Users", strings.NewReader(body))
		req.Header.Set("Authorization", authz)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("create user: %d", res.StatusCode)
		}
	}
}

func assertNoSecret(t *testing.T, res Result) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte("admin:" + secretPass))
	for _, f := range []string{res.URL, res.ContentType, res.Detail, res.Hint, res.Excerpt} {
		for _, s := range []string{secretToken, secretPass, basic, "tok-9f8e", "Zx81"} {
			if strings.Contains(f, s) {
				t.Errorf("result leaks a secret (%q) in %q", s, f)
			}
		}
	}
}

func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL + "/scim/v2"
}

func TestProbeBrokenServers(t *testing.T) {
	scimJSON := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}
	}
	okList := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`
	for _, tc := range []struct {
		name    string
		h       http.HandlerFunc
		version string
		want    Problem
		status  int
		detail  string // substring of Detail
		hint    string // substring of Hint
	}{
		{"ok", scimJSON(200, okList), "", ProblemNone, 200, "", ""},
		{"ok with charset and application/json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			fmt.Fprint(w, okList)
		}, "", ProblemNone, 200, "", ""},
		{"401", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="x"`)
			scimJSON(401, `{"detail":"no"}`)(w, r)
		}, "", ProblemUnauthorized, 401, "asks for Basic", "include any 'Bearer ' prefix"},
		{"403", scimJSON(403, `{}`), "", ProblemForbidden, 403, "accepted", "lack permission"},
		{"404", scimJSON(404, `{}`), "", ProblemNotFound, 404, "/scim/v2/Users", "should be the SCIM root, e.g. http://127.0.0.1"},
		{"500", scimJSON(500, `{}`), "", ProblemServerError, 500, "500", "logs"},
		{"503", scimJSON(503, `{}`), "", ProblemServerError, 503, "503", "logs"},
		{"400", scimJSON(400, `{}`), "", ProblemNotListResponse, 400, "expects 200", "count and startIndex"},
		{"html 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><html><body>Sign in</body></html>")
		}, "", ProblemNotJSON, 200, "got HTML (text/html; charset=utf-8) instead of SCIM JSON", "web page"},
		{"html labelled json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, "<html>login</html>")
		}, "", ProblemNotJSON, 200, "HTML", "web page"},
		{"wrong content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, okList)
		}, "", ProblemNotJSON, 200, "got text/plain instead of SCIM JSON", "Content-Type application/scim+json"},
		{"invalid json", scimJSON(200, `{"schemas":`), "", ProblemNotJSON, 200, "not valid JSON", "JSON ListResponse"},
		{"bare array", scimJSON(200, `[{"id":"1"}]`), "", ProblemNotListResponse, 200, "bare JSON array", "ListResponse"},
		{"a user, not a list", scimJSON(200, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1"}`), "", ProblemNotListResponse, 200, "schemas does not contain", "ListResponse"},
		{"no totalResults", scimJSON(200, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[]}`), "", ProblemNotListResponse, 200, "totalResults", "ListResponse"},
		{"no Resources", scimJSON(200, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3}`), "", ProblemNotListResponse, 200, "Resources", "ListResponse"},
		{"1.1 answer to 2.0", scimJSON(200, `{"schemas":["urn:scim:schemas:core:1.0"],"totalResults":0,"Resources":[]}`), "", ProblemNotListResponse, 200, "schemas", "version to 1.1"},
		{"1.1 ok", scimJSON(200, `{"schemas":["urn:scim:schemas:core:1.0"],"totalResults":1,"Resources":[{"id":"1"}]}`), "1.1", ProblemNone, 200, "", ""},
		{"1.1 no totalResults", scimJSON(200, `{"Resources":[]}`), "1.1", ProblemNotListResponse, 200, "totalResults", "SCIM 1.1 list"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://login.example.com/sso?next=/scim", http.StatusFound)
		}, "", ProblemRedirect, 302, "https://login.example.com/sso?next=/scim", "does not follow redirects"},
		{"relative redirect", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "/other/Users")
			w.WriteHeader(http.StatusMovedPermanently)
		}, "", ProblemRedirect, 301, "http://127.0.0.1", "does not follow redirects"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := serve(t, tc.h)
			res := Probe(context.Background(), nil, Target{BaseURL: base, Version: tc.version, Credentials: Credentials{Method: AuthOAuth, Token: secretToken}})
			if res.Problem != tc.want || res.Status != tc.status || res.OK != (tc.want == ProblemNone) {
				t.Fatalf("got %+v, want problem %q status %d", res, tc.want, tc.status)
			}
			if !strings.Contains(res.Detail, tc.detail) || !strings.Contains(res.Hint, tc.hint) {
				t.Errorf("detail %q / hint %q, want %q / %q", res.Detail, res.Hint, tc.detail, tc.hint)
			}
			if tc.want != ProblemNone && (res.Hint == "" || res.Detail == "" || strings.Contains(res.Detail, "\n")) {
				t.Errorf("want a one-line detail and a hint: %+v", res)
			}
			assertNoSecret(t, res)
		})
	}
}

func TestProbeTransportErrors(t *testing.T) {
	creds := Credentials{Method: AuthHeader, Token: secretToken}
	t.Run("connect", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		res := Probe(context.Background(), nil, Target{BaseURL: "http://" + addr + "/scim/v2", Credentials: creds})
		if res.Problem != ProblemConnect || res.Status != 0 || res.Hint == "" || !strings.Contains(res.Detail, "refused") {
			t.Errorf("%+v", res)
		}
		assertNoSecret(t, res)
	})
	t.Run("tls", func(t *testing.T) {
		s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		s.Config.ErrorLog = log.New(io.Discard, "", 0)
		s.StartTLS()
		defer s.Close()
		res := Probe(context.Background(), nil, Target{BaseURL: s.URL + "/scim/v2", Credentials: creds})
		if res.Problem != ProblemTLS || res.Hint == "" || !strings.Contains(res.Hint, "certificate") {
			t.Errorf("%+v", res)
		}
	})
	t.Run("https to plain http", func(t *testing.T) {
		base := serve(t, func(w http.ResponseWriter, r *http.Request) {})
		res := Probe(context.Background(), nil, Target{BaseURL: strings.Replace(base, "http://", "https://", 1), Credentials: creds})
		if res.Problem != ProblemTLS || !strings.Contains(res.Hint, "plain HTTP") {
			t.Errorf("%+v", res)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		base := serve(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		res := Probe(ctx, nil, Target{BaseURL: base, Credentials: creds})
		if res.Problem != ProblemTimeout || res.Hint == "" || time.Since(start) > 3*time.Second {
			t.Errorf("%+v after %v", res, time.Since(start))
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		base := serve(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		res := Probe(context.Background(), &http.Client{Timeout: 100 * time.Millisecond}, Target{BaseURL: base, Credentials: creds})
		if res.Problem != ProblemTimeout {
			t.Errorf("%+v", res)
		}
	})
	t.Run("dns", func(t *testing.T) {
		hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "scim.nowhere.example", IsNotFound: true}}
		}}}
		res := Probe(context.Background(), hc, Target{BaseURL: "https://scim.nowhere.example/scim/v2", Credentials: creds})
		if res.Problem != ProblemDNS || !strings.Contains(res.Detail, "scim.nowhere.example") || res.Hint == "" {
			t.Errorf("%+v", res)
		}
	})
	t.Run("bad url", func(t *testing.T) {
		res := Probe(context.Background(), nil, Target{BaseURL: "scim.example.com/scim/v2", Credentials: creds})
		if res.OK || res.Problem == ProblemNone || res.Hint == "" {
			t.Errorf("%+v", res)
		}
	})
	t.Run("missing credentials", func(t *testing.T) {
		res := Probe(context.Background(), nil, Target{BaseURL: "http://127.0.0.1:1/scim/v2", Credentials: Credentials{Method: AuthBasic, Username: "u"}})
		if res.Problem != ProblemUnauthorized || res.Status != 0 || res.Hint == "" {
			t.Errorf("%+v", res)
		}
	})
	t.Run("redirects are not followed with a caller's client", func(t *testing.T) {
		hit := false
		target := serve(t, func(w http.ResponseWriter, r *http.Request) { hit = true })
		base := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusTemporaryRedirect)
		})
		hc := &http.Client{}
		res := Probe(context.Background(), hc, Target{BaseURL: base, Credentials: creds})
		if res.Problem != ProblemRedirect || hit || hc.CheckRedirect != nil {
			t.Errorf("%+v hit=%v", res, hit)
		}
	})
}

// A server that echoes the Authorization header and the secret (raw, JSON- and
// URL-escaped) everywhere it can must not make a secret appear in the Result.
func TestProbeNeverLeaksSecrets(t *testing.T) {
	echo := func(secret string, status int, ct string, pad int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			a := r.Header.Get("Authorization")
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Location", "https://x.example/login?auth="+a+"&p="+secret)
			w.Header().Set("WWW-Authenticate", a)
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"detail":"%s%s","q":"%s"}`, strings.Repeat("x", pad), a, secret)
			fmt.Fprintf(w, " %s %s", url.QueryEscape(secret), strings.ReplaceAll(secret, "&", `\u0026`))
		}
	}
	for _, creds := range []Credentials{
		{Method: AuthHeader, Token: secretToken},
		{Method: AuthOAuth, Token: secretToken},
		{Method: AuthBasic, Username: "admin", Password: secretPass},
	} {
		secret := creds.Token + creds.Password
		for _, tc := range []struct {
			status int
			ct     string
		}{{200, "application/scim+json"}, {200, "text/html"}, {401, "application/json"}, {500, "application/json"}, {302, "text/plain"}, {404, "text/plain"}} {
			// pad 100: the secret is inside the excerpt; pad 185: it straddles the cut-off.
			for _, pad := range []int{100, 185} {
				base := serve(t, echo(secret, tc.status, tc.ct, pad))
				res := Probe(context.Background(), nil, Target{BaseURL: base, Credentials: creds})
				if res.OK {
					t.Errorf("%v %d: OK", creds.Method, tc.status)
				}
				if pad == 100 && !strings.Contains(res.Excerpt, "(sensitive)") {
					t.Errorf("excerpt %q", res.Excerpt)
				}
				assertNoSecret(t, res)
			}
		}
	}
}

func TestAuthorizationHeader(t *testing.T) {
	for _, tc := range []struct {
		c       Credentials
		want    string
		wantErr bool
	}{
		{Credentials{Method: AuthHeader, Token: "abc"}, "abc", false},
		{Credentials{Method: AuthHeader, Token: "Bearer abc"}, "Bearer abc", false},
		{Credentials{Method: AuthOAuth, Token: "abc"}, "Bearer abc", false},
		{Credentials{Method: AuthBasic, Username: "u", Password: "p"}, "Basic dTpw", false},
		{Credentials{Method: "OAuth", Token: "abc"}, "Bearer abc", false},
		{Credentials{Method: AuthHeader}, "", true},
		{Credentials{Method: AuthOAuth}, "", true},
		{Credentials{Method: AuthBasic, Username: "u"}, "", true},
		{Credentials{Method: AuthBasic, Password: "p"}, "", true},
		{Credentials{Method: AuthBasic, Username: "a:b", Password: "p"}, "", true},
		{Credentials{Method: AuthHeader, Token: "a\r\nX-Evil: 1"}, "", true},
		{Credentials{Method: "", Token: "abc"}, "", true},
		{Credentials{Method: "ntlm", Token: "abc"}, "", true},
	} {
		got, err := AuthorizationHeader(tc.c)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%+v: %q, %v", tc.c.Method, got, err)
		}
		if err != nil && tc.c.Token != "" && strings.Contains(err.Error(), tc.c.Token) {
			t.Errorf("error leaks the token: %v", err)
		}
	}
}

func TestAddressWarning(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"http://127.0.0.1:8080/scim/v2", "Okta's cloud cannot reach 127.0.0.1 (loopback); this works only with the simulator or an on-premises provisioning agent"},
		{"http://[::1]:8080/scim/v2", "::1 (loopback)"},
		{"http://localhost:8080/scim/v2", "localhost (loopback)"},
		{"http://LOCALHOST./scim/v2", "localhost (loopback)"},
		{"http://app.localhost/scim/v2", "app.localhost (loopback)"},
		{"https://10.1.2.3/scim/v2", "10.1.2.3 (private network)"},
		{"https://172.16.0.1/scim/v2", "private network"},
		{"https://172.31.255.1/scim/v2", "private network"},
		{"https://192.168.1.10/scim/v2", "private network"},
		{"https://[fd00::1]/scim/v2", "unique local"},
		{"https://169.254.169.254/scim/v2", "link-local"},
		{"https://[fe80::1%25eth0]/scim/v2", "link-local"},
		{"https://0.0.0.0:8080/scim/v2", "unspecified"},
		{"https://[::ffff:127.0.0.1]/scim/v2", "loopback"},
		{"https://printer.local/scim/v2", "printer.local"},
		{"https://scim.corp.internal/scim/v2", "scim.corp.internal"},
		{"https://scim.example.com/scim/v2", ""},
		{"https://172.32.0.1/scim/v2", ""},
		{"https://8.8.8.8/scim/v2", ""},
		{"https://[2001:db8::1]/scim/v2", ""},
		{"https://notlocal/scim/v2", ""},
		{"https://example.local.com/scim/v2", ""},
		{"", ""},
		{"::not a url", ""},
	} {
		got := AddressWarning(tc.url)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("AddressWarning(%q) = %q, want %q", tc.url, got, tc.want)
		}
		if got != "" && !strings.Contains(got, "Okta's cloud cannot reach") {
			t.Errorf("AddressWarning(%q) = %q", tc.url, got)
		}
	}
}
