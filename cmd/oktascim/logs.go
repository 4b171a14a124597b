package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/oktascim/oktascim/apply"
	"github.com/oktascim/oktascim/internal/exitcode"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/okta/systemlog"
)

type logsOptions struct {
	file     fileOptions
	since    string
	failures bool
	follow   bool
	interval time.Duration
	limit    int
}

func newLogsCmd(f *factory) *cobra.Command {
	o := &logsOptions{}
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Show the System Log events of an integration's app, with a hint for each known failure",
		Long: `logs reads the Okta System Log events whose target is the integration's app, newest first,
one line each (time, event type, outcome, reason, actor). Known provisioning failures get a
one-line hint on what to fix. --follow keeps polling like tail -f (oldest first, new events
appended; it slows down when Okta answers 429); -o json prints one document, or with
--follow one JSON object per line.`,
		Example: `  oktascim logs -f oktascim.yaml --name acme --since 2h --failures
  oktascim logs -f oktascim.yaml --name acme --follow`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLogs(cmd, f, o) },
	}
	fl := cmd.Flags()
	o.file.bind(fl)
	fl.Lookup("name").Usage = "the integration whose app's events to show: one (needed when the file has several)"
	fl.StringVar(&o.since, "since", "24h", "how far back: a duration (90m, 2h, 7d) or an RFC 3339 time; the System Log keeps 90 days")
	fl.BoolVar(&o.failures, "failures", false, "only events whose outcome is FAILURE")
	fl.BoolVar(&o.follow, "follow", false, "keep polling for new events until interrupted")
	fl.DurationVar(&o.interval, "interval", 5*time.Second, "with --follow: time between polls")
	fl.IntVar(&o.limit, "limit", 100, "most events to show (pages through Okta's Link headers)")
	_ = fl.MarkHidden("interval")
	return cmd
}

// parseSince reads a duration (with d for days) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d := s
	days := 0
	if strings.HasSuffix(s, "d") {
		if _, err := fmt.Sscanf(s, "%dd", &days); err != nil {
			return time.Time{}, fmt.Errorf("--since %s: not a duration or an RFC 3339 time", s)
		}
		d = "0s"
	}
	dur, err := time.ParseDuration(d)
	if err != nil || dur < 0 || days < 0 {
		return time.Time{}, fmt.Errorf("--since %s: not a duration (90m, 2h, 7d) or an RFC 3339 time", s)
	}
	dur += time.Duration(days) * 24 * time.Hour
	if dur > 90*24*time.Hour {
		return time.Time{}, fmt.Errorf("--since %s: the System Log keeps 90 days", s)
	}
	return now.Add(-dur), nil
}

func runLogs(cmd *cobra.Command, f *factory, o *logsOptions) error {
	since, err := parseSince(o.since, time.Now())
	if err != nil {
		return usageError{err}
	}
	if o.limit < 1 {
		return usageError{fmt.Errorf("--limit must be at least 1")}
	}
	ctx := cmd.Context()
	t, err := f.open(ctx, o.file, simOptions{}, scimSecretsUnused)
	if err != nil {
		return err
	}
	defer t.close()
	if len(t.selected) != 1 {
		return usageError{fmt.Errorf("logs shows one integration: pick it with one --name (the file has %s)", strings.Join(names(t.file.Integrations), ", "))}
	}
	in := t.selected[0]
	app, err := apply.NewSession(t.options(nil)).ManagedApp(ctx, in)
	if err != nil {
		return err
	}
	q := systemlog.Query{AppID: app.ID, Since: since, Failures: o.failures, Limit: o.limit}
	jsonOut := f.structured()
	if o.follow {
		// JSON: one object per line (JSON Lines); YAML: one document per event.
		enc := json.NewEncoder(f.io.Out)
		enc.SetEscapeHTML(false)
		if !jsonOut {
			fmt.Fprintf(f.io.ErrOut, "following the System Log of %s (%s); Ctrl-C stops\n", in.Name, app.ID)
		}
		err := systemlog.Follow(ctx, t.client, q, max(o.interval, 10*time.Millisecond), func(e okta.LogEvent) {
			switch f.output {
			case formatJSON:
				_ = enc.Encode(eventJSON(e))
			case formatYAML:
				b, _ := marshalPlain(eventJSON(e))
				_ = writeRaw(f.io.Out, formatYAML, b)
			default:
				printEvent(f.io.Out, e)
			}
			if fl, ok := f.io.Out.(interface{ Flush() error }); ok {
				_ = fl.Flush()
			}
		})
		return err
	}
	events, err := systemlog.Recent(ctx, t.client, q)
	if err != nil {
		return err
	}
	if jsonOut {
		out := make([]logEventJSON, 0, len(events))
		for _, e := range events {
			out = append(out, eventJSON(e))
		}
		return writeDoc(f.io.Out, f.output, "logs", exitcode.OK, struct {
			Integration string         `json:"integration"`
			AppID       string         `json:"appId"`
			Since       time.Time      `json:"since"`
			Events      []logEventJSON `json:"events"`
		}{in.Name, app.ID, since.UTC(), out})
	}
	if len(events) == 0 {
		what := "events"
		if o.failures {
			what = "failures"
		}
		fmt.Fprintf(f.io.Out, "no %s for %s (%s) since %s\n", what, in.Name, app.ID, since.UTC().Format(time.RFC3339))
		return nil
	}
	for _, e := range events {
		printEvent(f.io.Out, e)
	}
	return nil
}

type logEventJSON struct {
	Time           time.Time `json:"time"`
	EventType      string    `json:"eventType"`
	Outcome        string    `json:"outcome"`
	Reason         string    `json:"reason,omitempty"`
	Actor          string    `json:"actor,omitempty"`
	DisplayMessage string    `json:"displayMessage,omitempty"`
	Hint           string    `json:"hint,omitempty"`
}

func eventJSON(e okta.LogEvent) logEventJSON {
	return logEventJSON{Time: e.Published.UTC(), EventType: e.EventType, Outcome: e.Result, Reason: e.Reason, Actor: e.Actor,
		DisplayMessage: e.DisplayMessage, Hint: systemlog.Hint(e)}
}

func printEvent(w io.Writer, e okta.LogEvent) {
	fmt.Fprintln(w, systemlog.Line(e))
	if h := systemlog.Hint(e); h != "" {
		fmt.Fprintf(w, "    hint: %s\n", h)
	}
}
