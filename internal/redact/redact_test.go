package redact

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestWriterMasksSecretsSplitAcrossWrites(t *testing.T) {
	var s Set
	s.Add("s3cret-token-value", "abc") // "abc" is too short to be masked
	var out bytes.Buffer
	w := s.Writer(&out)
	fmt.Fprint(w, "value s3cret-")
	fmt.Fprint(w, "token-value abc\nnext s3cret-token-value")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "value (sensitive) abc\nnext (sensitive)"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

func TestLongestSecretMaskedWhole(t *testing.T) {
	var s Set
	s.Add("pass", "password123")
	if got := s.String("x password123 pass"); got != "x (sensitive) (sensitive)" {
		t.Fatalf("got %q", got)
	}
}

// TestEveryFormOfASecretIsMasked: each way a server or the tool may write a secret.
func TestEveryFormOfASecretIsMasked(t *testing.T) {
	const tok = `tok"en\with/odd chars+=&?`
	var s Set
	s.Add("Bearer " + tok)
	s.AddBasic("alice", "pa:ss word/ü")
	basic := base64.StdEncoding.EncodeToString([]byte("alice:pa:ss word/ü"))
	for _, echo := range []string{
		"Bearer " + tok,
		tok,                                      // the part after the scheme word
		`"detail":"tok\"en\\with/odd chars+=&?"`, // JSON-escaped
		"https://x/cb?t=tok%22en%5Cwith%2Fodd+chars%2B%3D%26%3F",         // query-escaped
		"https://x/p/tok%22en%5Cwith%2Fodd%20chars+=&%3F",                // path-escaped
		"Bearer%20tok%22en%5Cwith%2Fodd%20chars+=&%3F",                   // the whole value path-escaped
		"Authorization: Basic " + basic,                                  // base64 of user:pass
		"pa:ss word/ü", `pa:ss%20word%2F%C3%BC`, "pa%3Ass+word%2F%C3%BC", // the password
	} {
		got := s.String(echo)
		for _, leak := range []string{tok, "tok%22en", `tok\"en`, basic, "pa:ss", "ss word", "ss%20word", "ss+word"} {
			if strings.Contains(got, leak) {
				t.Errorf("%q → %q still contains %q", echo, got, leak)
			}
		}
		if !strings.Contains(got, Mask) {
			t.Errorf("%q → %q masked nothing", echo, got)
		}
	}
}

func TestPEMKeyLinesAreMasked(t *testing.T) {
	var s Set
	s.Add(`-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----`)
	if got := s.String("key line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"); strings.Contains(got, "MIIEvQ") {
		t.Fatalf("a key line leaked: %q", got)
	}
}

// TestShapesWithoutKnownSecrets: with nothing registered (status --all), credential
// shapes are still masked, and prose is left alone.
func TestShapesWithoutKnownSecrets(t *testing.T) {
	var s Set
	for in, want := range map[string]string{
		"Authorization: Bearer abcdefgh12345678":                                                 "Authorization: Bearer (sensitive)",
		"authorization=SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB":                            "authorization=SSWS (sensitive)",
		`"Authorization":"raw-header-token"`:                                                     `"Authorization":"(sensitive)"`,
		"auth failed for Bearer 9f8e7d6c5b4a (user x)":                                           "auth failed for Bearer (sensitive) (user x)",
		"Basic YWxpY2U6c2VjcmV0":                                                                 "Basic (sensitive)",
		"GET /cb?code=1&token=abc123xyz&x=1":                                                     "GET /cb?code=1&token=(sensitive)&x=1",
		"password=hunter22 client_secret=s3cr3tvalue":                                            "password=(sensitive) client_secret=(sensitive)",
		`{"password":"hunter22","access_token":"abcdefgh"}`:                                      `{"password":"(sensitive)","access_token":"(sensitive)"}`,
		"redirect to https://x/?access_token%3Dabcd1234":                                         "redirect to https://x/?access_token%3D(sensitive)",
		`error_description="token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwb2EifQ.c2lnbmF0dXJl expired"`: `error_description="token (sensitive) expired"`,
		// Prose and the tool's own words stay as they are.
		"SCIM 2.0 Test App (Basic Auth)":            "SCIM 2.0 Test App (Basic Auth)",
		"uses Basic authentication with a password": "uses Basic authentication with a password",
		"sends Authorization: Bearer <token>":       "sends Authorization: Bearer <token>",
		"Authorization: (sensitive)":                "Authorization: (sensitive)",
		"token from env OKTA_CLIENT_TOKEN":          "token from env OKTA_CLIENT_TOKEN",
		"password: { env: SCIM_PASSWORD }":          "password: { env: SCIM_PASSWORD }",
		"method: basic":                             "method: basic",
	} {
		if got := s.String(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestEscapeControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\twith tab\n":          "plain text\twith tab\n",
		"\x1b[2Jcleared":                  `\x1b[2Jcleared`,
		"\x1b]0;title\x07":                `\x1b]0;title\x07`,
		"ok\rFAKE":                        `ok\rFAKE`,
		"del\x7f nul\x00 bs\b":            `del\x7f nul\x00 bs\b`,
		"c1 \u009b31m":                    `c1 \u009b31m`,
		"bidi \u202egnp.exe":              `bidi \u202egnp.exe`,
		"bad utf8 \xff":                   `bad utf8 \xff`,
		"Εngineering ünïcode stays as is": "Εngineering ünïcode stays as is",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriterKeepsOnlyTheToolsOwnControls: a Writer escapes control characters from
// values but emits the sequences the tool itself asked for with Control.
func TestWriterKeepsOnlyTheToolsOwnControls(t *testing.T) {
	var s Set
	s.Add("secret-value-1")
	var out bytes.Buffer
	w := s.Writer(&out)
	fmt.Fprintf(w, "%sok%s group \x1b[2J%s\rsecret-value-1\n", Control("\x1b[32m"), Control("\x1b[0m"), "\x00fake:5b326a;")
	want := "\x1b[32mok\x1b[0m group \\x1b[2J\\x00fake:5b326a;\\r(sensitive)\n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
	if Escape(Control("\x1b[0m")) == "\x1b[0m" {
		t.Fatal("a Control sequence outside a Writer must stay inert")
	}
}

// TestShapesStayOnTheirLine: a scheme word at the end of a line is not followed onto
// the next one (YAML and text reports put words like basic or SSWS last).
func TestShapesStayOnTheirLine(t *testing.T) {
	var s Set
	in := "authMode: SSWS\nprincipal:\n    method: basic\n    username: ${BETA_USER}\nAuthorization:\n  x: y1234567\n"
	if got := s.String(in); got != in {
		t.Fatalf("got %q", got)
	}
}
