package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/scim"
	"github.com/oktascim/oktascim/scim/conformance"
)

func newSCIMCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scim",
		Short: "Work with a SCIM server directly, without an Okta org",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newSCIMCheckCmd(f))
	return cmd
}

type scimCheckOptions struct {
	file       fileOptions
	baseURL    string
	version    string
	tokenEnv   string
	tokenFile  string
	headerEnv  string
	headerFile string
	basicUser  string
	passEnv    string
	passFile   string
	crud       bool
	keepUsers  bool
	junit      string
	timeout    time.Duration
}

func newSCIMCheckCmd(f *factory) *cobra.Command {
	o := &scimCheckOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run Okta's SCIM SPEC test suite (and optionally the CRUD lifecycle) against a SCIM server",
		Long: `check runs against any SCIM server every step of Okta's published SPEC test suite for the
SCIM version (the Runscope "Okta SCIM 2.0 SPEC Test" or "Okta SCIM 1.1 SPEC Test" Okta asks
SCIM builders to pass): the same requests, the same expectations, and the steps' own names as
check names. One line per check; exit 0 only when every check passes, 1 otherwise, 2 for
invalid flags. The suites are built in (Apache-2.0, from okta/okta-developer-docs), so no
network access other than to the SCIM server is needed. Nothing is sent to Okta.

The target is either --base-url with credentials, or an integration of the file (-f FILE
--name N), whose base URL, version and credentials are used. Credentials never go on the
command line: they come from an environment variable, a file, or standard input ("-"):
  --token-env NAME | --token-file PATH      OAuth bearer token: "Authorization: Bearer <token>"
  --header-env NAME | --header-file PATH    Okta's "HTTP Header" auth: the value is sent verbatim
                                            as the Authorization header
  --basic-user USER --password-env NAME | --password-file PATH    basic auth
Secrets are masked in every output, the JSON and the JUnit file.

Like Okta's suite, the SPEC checks assume the server already has at least one user (and,
for SCIM 1.1, one group), create one test user, and try to create it again (which must
fail with 409). --crud adds the CRUD suite's user lifecycle — create, get, filter, update,
deactivate, reactivate, deactivate — with the SCIM requests Okta's provisioning sends for
its Okta-side steps. At the end the users the run created are deactivated and, where the
server supports DELETE, deleted; anything left behind is listed (--keep-users keeps them).

Besides the suites' own assertions, a response the suite reads as JSON must be labelled
Content-Type application/scim+json (2.0) or application/json (1.1); Okta accepts either.
Pauses between steps are skipped. Each request is bounded (--timeout, 1 MiB body) and
redirects are not followed. http:// base URLs are accepted only for loopback addresses.`,
		Example: `  oktascim scim check --base-url https://scim.example.com/scim/v2 --token-env SCIM_TOKEN
  oktascim scim check --base-url https://scim.example.com/scim/v1 --version 1.1 --basic-user okta --password-file pw.txt
  oktascim scim check -f oktascim.yaml --name acme --crud --junit scim-check.xml
  oktascim scim check -f oktascim.yaml --name acme -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSCIMCheck(cmd, f, o) },
	}
	fl := cmd.Flags()
	o.file.bind(fl)
	fl.StringVar(&o.baseURL, "base-url", "", "the SCIM root to check, e.g. https://scim.example.com/scim/v2 (instead of -f/--name)")
	fl.StringVar(&o.version, "version", "", `SCIM version: "2.0" or "1.1" (default: the integration's, or 2.0 with --base-url)`)
	fl.StringVar(&o.tokenEnv, "token-env", "", "OAuth bearer token from this environment variable")
	fl.StringVar(&o.tokenFile, "token-file", "", `OAuth bearer token from this file ("-": standard input)`)
	fl.StringVar(&o.headerEnv, "header-env", "", "Authorization header value (sent verbatim) from this environment variable")
	fl.StringVar(&o.headerFile, "header-file", "", `Authorization header value (sent verbatim) from this file ("-": standard input)`)
	fl.StringVar(&o.basicUser, "basic-user", "", "basic auth user name (with --password-env or --password-file)")
	fl.StringVar(&o.passEnv, "password-env", "", "basic auth password from this environment variable")
	fl.StringVar(&o.passFile, "password-file", "", `basic auth password from this file ("-": standard input)`)
	fl.BoolVar(&o.crud, "crud", false, "also run the CRUD suite's user lifecycle (writes to the server: creates, updates and deactivates a user)")
	fl.BoolVar(&o.keepUsers, "keep-users", false, "leave the users the run created on the server (default: deactivate and delete them)")
	fl.StringVar(&o.junit, "junit", "", "also write the results as JUnit XML to this file")
	fl.DurationVar(&o.timeout, "timeout", conformance.DefaultTimeout, "time limit of each request")
	return cmd
}

// checkTarget is what scim check runs against.
type checkTarget struct {
	baseURL, version, authorization string
	secrets                         []string
}

func runSCIMCheck(cmd *cobra.Command, f *factory, o *scimCheckOptions) error {
	if err := f.checkOutput(); err != nil {
		return err
	}
	if o.timeout <= 0 || o.timeout > 5*time.Minute {
		return usageError{fmt.Errorf("--timeout must be more than 0 and at most 5m, not %s", o.timeout)}
	}
	if o.version != "" && o.version != "2.0" && o.version != "1.1" {
		return usageError{fmt.Errorf(`--version must be "2.0" or "1.1", not %q`, o.version)}
	}
	var t checkTarget
	var err error
	if o.baseURL != "" {
		t, err = o.flagTarget(cmd, f)
	} else {
		t, err = o.fileTarget(cmd, f)
	}
	if err != nil {
		return err
	}
	for _, s := range t.secrets {
		f.secrets.Add(s)
	}
	if w := scim.AddressWarning(t.baseURL); w != "" {
		fmt.Fprintln(f.io.ErrOut, "warning:", w)
	}

	jsonOut := f.structured()
	p := &checkPrinter{w: f.io.Out}
	opts := conformance.Options{
		BaseURL: t.baseURL, Version: t.version, Authorization: t.authorization, Secrets: t.secrets,
		CRUD: o.crud, KeepUsers: o.keepUsers, Timeout: o.timeout,
	}
	if !jsonOut {
		fmt.Fprintf(f.io.Out, "scim check: SCIM %s server at %s\n", t.version, t.baseURL)
		opts.OnCheck = p.check
	}
	ctx := cmd.Context()
	res, err := conformance.Run(ctx, opts)
	if err != nil {
		return exitcode.With(exitcode.Invalid, err)
	}
	code := exitcode.OK
	switch {
	case ctx.Err() != nil:
		code = exitcode.Interrupted
	case !res.OK():
		code = exitcode.Failure
	}
	if o.junit != "" {
		if err := writeJUnit(o.junit, f, t, res); err != nil {
			return err
		}
	}
	if jsonOut {
		if err := writeCheckDoc(f.io.Out, f.output, t, o.crud, res, code); err != nil {
			return err
		}
	} else {
		p.finish(res)
	}
	return silent(code)
}

// flagTarget is the target of --base-url and the credential flags.
func (o *scimCheckOptions) flagTarget(cmd *cobra.Command, f *factory) (checkTarget, error) {
	if cmd.Flags().Changed("file") || len(o.file.names) > 0 {
		return checkTarget{}, usageError{errors.New("--base-url and -f/--name are alternatives: give one")}
	}
	clean, problem, warning := config.CheckBaseURL(o.baseURL)
	if problem != "" {
		return checkTarget{}, usageError{fmt.Errorf("--base-url: %s", problem)}
	}
	if warning != "" {
		fmt.Fprintln(f.io.ErrOut, "warning:", warning)
	}
	t := checkTarget{baseURL: clean, version: o.version}
	if t.version == "" {
		t.version = "2.0"
	}
	type source struct{ flag, value string }
	pick := func(env, file source) (string, bool, error) {
		switch {
		case env.value != "" && file.value != "":
			return "", false, usageError{fmt.Errorf("--%s and --%s are alternatives: give one", env.flag, file.flag)}
		case env.value != "":
			v, err := f.secretFromEnv(env.flag, env.value)
			return v, true, err
		case file.value != "":
			v, err := f.secretFromFile(file.flag, file.value)
			return v, true, err
		}
		return "", false, nil
	}
	token, hasToken, err := pick(source{"token-env", o.tokenEnv}, source{"token-file", o.tokenFile})
	if err != nil {
		return t, err
	}
	header, hasHeader, err := pick(source{"header-env", o.headerEnv}, source{"header-file", o.headerFile})
	if err != nil {
		return t, err
	}
	password, hasPassword, err := pick(source{"password-env", o.passEnv}, source{"password-file", o.passFile})
	if err != nil {
		return t, err
	}
	hasBasic := o.basicUser != "" || hasPassword
	n := 0
	for _, b := range []bool{hasToken, hasHeader, hasBasic} {
		if b {
			n++
		}
	}
	var creds scim.Credentials
	switch {
	case n == 0:
		return t, usageError{errors.New("no credentials: give --token-env/--token-file, --header-env/--header-file, or --basic-user with --password-env/--password-file")}
	case n > 1:
		return t, usageError{errors.New("give one kind of credentials: a token, a header value, or a basic user and password")}
	case hasBasic && (o.basicUser == "" || !hasPassword):
		return t, usageError{errors.New("basic auth needs --basic-user and one of --password-env or --password-file")}
	case hasToken:
		creds = scim.Credentials{Method: scim.AuthOAuth, Token: token}
	case hasHeader:
		creds = scim.Credentials{Method: scim.AuthHeader, Token: header}
	default:
		creds = scim.Credentials{Method: scim.AuthBasic, Username: o.basicUser, Password: password}
	}
	t.secrets = []string{creds.Token, creds.Password}
	t.authorization, err = scim.AuthorizationHeader(creds)
	if err != nil {
		return t, exitcode.With(exitcode.Invalid, err)
	}
	t.secrets = append(t.secrets, t.authorization)
	return t, nil
}

// fileTarget is the target of an integration of the file.
func (o *scimCheckOptions) fileTarget(cmd *cobra.Command, f *factory) (checkTarget, error) {
	for _, fl := range []string{"token-env", "token-file", "header-env", "header-file", "basic-user", "password-env", "password-file"} {
		if cmd.Flags().Changed(fl) {
			return checkTarget{}, usageError{fmt.Errorf("--%s goes with --base-url; with -f the credentials come from the file", fl)}
		}
	}
	if len(o.file.names) > 1 {
		return checkTarget{}, usageError{errors.New("scim check runs against one integration: give one --name")}
	}
	file, selected, err := f.loadFile(o.file, f.lookupEnv, scimSecretsMasked)
	if err != nil {
		return checkTarget{}, err
	}
	if len(selected) != 1 {
		var known []string
		for _, in := range file.Integrations {
			known = append(known, in.Name)
		}
		sort.Strings(known)
		return checkTarget{}, usageError{fmt.Errorf("%s has %d integrations: choose one with --name (it has: %s)", o.file.path, len(known), strings.Join(known, ", "))}
	}
	if err := f.maskSecrets(selected); err != nil {
		return checkTarget{}, err
	}
	in := selected[0]
	st, ok, err := apply.SCIMTarget(in)
	if err != nil {
		return checkTarget{}, exitcode.With(exitcode.Invalid, err)
	}
	if !ok {
		return checkTarget{}, exitcode.With(exitcode.Invalid, fmt.Errorf("integration %s: %s", in.Name, apply.NoProbe))
	}
	t := checkTarget{baseURL: st.BaseURL, version: st.Version, secrets: []string{st.Credentials.Token, st.Credentials.Password}}
	if o.version != "" {
		t.version = o.version
	}
	if t.version == "" {
		t.version = "2.0"
	}
	if t.authorization, err = scim.AuthorizationHeader(st.Credentials); err != nil {
		return checkTarget{}, exitcode.With(exitcode.Invalid, fmt.Errorf("integration %s: %w", in.Name, err))
	}
	t.secrets = append(t.secrets, t.authorization)
	return t, nil
}

// maxSecretBytes bounds a secret read from a file or standard input.
const maxSecretBytes = 64 << 10

func (f *factory) secretFromEnv(flag, name string) (string, error) {
	v, ok := f.lookupEnv(name)
	if !ok {
		return "", exitcode.With(exitcode.Invalid, fmt.Errorf("--%s %s: the variable is not set", flag, name))
	}
	return checkSecret(flag, name, v)
}

func (f *factory) secretFromFile(flag, path string) (string, error) {
	var r io.Reader
	if path == "-" {
		r = f.io.In
	} else {
		fh, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return "", exitcode.With(exitcode.Invalid, fmt.Errorf("--%s %s: %w", flag, path, err))
		}
		defer fh.Close()
		r = fh
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecretBytes+1))
	if err != nil {
		return "", exitcode.With(exitcode.Invalid, fmt.Errorf("--%s %s: %w", flag, path, err))
	}
	if len(b) > maxSecretBytes {
		return "", exitcode.With(exitcode.Invalid, fmt.Errorf("--%s %s: larger than 64 KiB; is this the right file?", flag, path))
	}
	return checkSecret(flag, path, string(b))
}

func checkSecret(flag, source, v string) (string, error) {
	v = strings.TrimRight(v, "\r\n")
	if strings.TrimSpace(v) == "" {
		return "", exitcode.With(exitcode.Invalid, fmt.Errorf("--%s %s: is empty", flag, source))
	}
	return v, nil
}

// checkPrinter prints one line per check as it completes, then the cleanup and the
// summary.
type checkPrinter struct {
	w     io.Writer
	suite string
}

func (p *checkPrinter) check(c conformance.Check) {
	if c.Suite != p.suite {
		p.suite = c.Suite
		fmt.Fprintf(p.w, "── %s\n", c.Suite)
	}
	const indent = "      "
	switch c.Status {
	case conformance.Pass:
		fmt.Fprintf(p.w, "PASS  %s\n", c.Name)
	case conformance.Skip:
		fmt.Fprintf(p.w, "SKIP  %s: %s\n", c.Name, c.Reason)
	default:
		fmt.Fprintf(p.w, "FAIL  %s: %s\n", c.Name, c.Failures[0])
		const shown = 3
		for i, more := range c.Failures[1:] {
			if i == shown {
				fmt.Fprintf(p.w, "%s… and %d more (all in -o json)\n", indent, len(c.Failures)-1-shown)
				break
			}
			fmt.Fprintf(p.w, "%salso %s\n", indent, more)
		}
		if c.Method != "" && c.URL != "" {
			fmt.Fprintf(p.w, "%srequest: %s %s\n", indent, c.Method, c.URL)
		}
		if c.Excerpt != "" {
			fmt.Fprintf(p.w, "%sresponse: %s\n", indent, c.Excerpt)
		}
		if c.Hint != "" {
			fmt.Fprintf(p.w, "%shint: %s\n", indent, c.Hint)
		}
	}
	flush(p.w)
}

func (p *checkPrinter) finish(res *conformance.Result) {
	for _, c := range res.Cleanup {
		what := "cleanup"
		if !c.Deleted {
			what = "left behind"
		}
		fmt.Fprintf(p.w, "%s: user %s (id %s): %s\n", what, c.UserName, c.ID, c.Outcome)
	}
	fmt.Fprintln(p.w, summaryLine(res))
}

func summaryLine(res *conformance.Result) string {
	s := fmt.Sprintf("%d passed, %d failed", res.Passed, res.Failed)
	if res.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", res.Skipped)
	}
	return s
}

type checkJSON struct {
	Suite      string                `json:"suite"`
	Name       string                `json:"name"`
	Status     conformance.Status    `json:"status"`
	Method     string                `json:"method,omitempty"`
	URL        string                `json:"url,omitempty"`
	Expected   string                `json:"expected"`
	Got        string                `json:"got"`
	Failures   []conformance.Failure `json:"failures,omitempty"`
	Reason     string                `json:"reason,omitempty"`
	Excerpt    string                `json:"excerpt"`
	Hint       string                `json:"hint,omitempty"`
	DurationMs int64                 `json:"durationMs"`
}

type cleanupJSON struct {
	UserName string `json:"userName"`
	ID       string `json:"id"`
	Deleted  bool   `json:"deleted"`
	Outcome  string `json:"outcome"`
}

func writeCheckDoc(w io.Writer, format string, t checkTarget, crud bool, res *conformance.Result, code int) error {
	checks := make([]checkJSON, 0, len(res.Checks))
	for _, c := range res.Checks {
		checks = append(checks, checkJSON{
			Suite: c.Suite, Name: c.Name, Status: c.Status, Method: c.Method, URL: c.URL,
			Expected: c.Expected(), Got: c.Got(), Failures: c.Failures, Reason: c.Reason,
			Excerpt: c.Excerpt, Hint: c.Hint, DurationMs: c.Duration.Milliseconds(),
		})
	}
	cleanup := make([]cleanupJSON, 0, len(res.Cleanup))
	for _, c := range res.Cleanup {
		cleanup = append(cleanup, cleanupJSON{UserName: c.UserName, ID: c.ID, Deleted: c.Deleted, Outcome: c.Outcome})
	}
	suite := ""
	if len(res.Suites) > 0 {
		suite = res.Suites[0]
	}
	return writeDoc(w, format, "scim check", code, struct {
		Suite       string        `json:"suite"`
		Suites      []string      `json:"suites"`
		SCIMVersion string        `json:"scimVersion"`
		BaseURL     string        `json:"baseUrl"`
		CRUD        bool          `json:"crud"`
		Checks      []checkJSON   `json:"checks"`
		Cleanup     []cleanupJSON `json:"cleanup"`
		Passed      int           `json:"passed"`
		Failed      int           `json:"failed"`
		Skipped     int           `json:"skipped"`
	}{suite, res.Suites, t.version, t.baseURL, crud, checks, cleanup, res.Passed, res.Failed, res.Skipped})
}

// JUnit XML: one testsuite per Okta suite, one testcase per check.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func writeJUnit(path string, f *factory, t checkTarget, res *conformance.Result) error {
	doc := junitSuites{Name: "oktascim scim check"}
	var total time.Duration
	index := map[string]int{}
	var times []time.Duration
	for _, c := range res.Checks {
		i, ok := index[c.Suite]
		if !ok {
			i = len(doc.Suites)
			index[c.Suite] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: c.Suite, Properties: []junitProperty{{"baseUrl", t.baseURL}, {"scimVersion", t.version}}})
			times = append(times, 0)
		}
		s := &doc.Suites[i]
		tc := junitCase{Name: c.Name, ClassName: c.Suite, Time: seconds(c.Duration)}
		switch c.Status {
		case conformance.Fail:
			var text []string
			for _, fl := range c.Failures {
				text = append(text, fl.String())
			}
			if c.URL != "" {
				text = append(text, "request: "+c.Method+" "+c.URL)
			}
			if c.Excerpt != "" {
				text = append(text, "response: "+c.Excerpt)
			}
			if c.Hint != "" {
				text = append(text, "hint: "+c.Hint)
			}
			tc.Failure = &junitMessage{Message: c.Failures[0].String(), Type: "assertion", Text: strings.Join(text, "\n")}
			s.Failures++
			doc.Failures++
		case conformance.Skip:
			tc.Skipped = &junitMessage{Message: c.Reason}
			s.Skipped++
			doc.Skipped++
		}
		s.Tests++
		doc.Tests++
		times[i] += c.Duration
		s.Time = seconds(times[i])
		total += c.Duration
		s.Cases = append(s.Cases, tc)
	}
	doc.Time = seconds(total)
	if n := len(doc.Suites); n > 0 {
		var out []string
		for _, c := range res.Cleanup {
			out = append(out, fmt.Sprintf("user %s (id %s): %s", c.UserName, c.ID, c.Outcome))
		}
		out = append(out, summaryLine(res))
		doc.Suites[n-1].SystemOut = strings.Join(out, "\n")
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	data := f.secrets.String(xml.Header + string(b) + "\n")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		return fmt.Errorf("--junit: %w", err)
	}
	return nil
}
