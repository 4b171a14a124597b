package apply

import (
	"context"
	"reflect"
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/internal/exitcode"
)

// TestPipelineInterrupted: Ctrl-C during a step makes it "interrupted" (not failed,
// no "context canceled"), every later step "not started", and the exit code 130.
func TestPipelineInterrupted(t *testing.T) {
	var lines []string
	r := newRunner(Options{Report: func(e Event) { lines = append(lines, e.Step+" "+string(e.Outcome)+": "+e.Detail) }})
	ir := &integrationRun{in: config.Integration{Name: "x"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.runPipes(ctx, ir, []pipe{
		{name: "a", run: ok},
		{name: "b", run: func(ctx context.Context, ir *integrationRun) {
			cancel()
			r.fail(ir, "b", ctx.Err(), "")
		}},
		{name: "c", needs: []string{"a"}, run: ok},
		{name: "d", run: ok},
	})
	want := []string{"b interrupted: interrupted; run apply again to resume", "c not started: interrupted before this step", "d not started: interrupted before this step"}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("events %q\nwant %q", lines, want)
	}
	if ir.code != exitcode.Interrupted {
		t.Fatalf("exit code %d, want 130", ir.code)
	}
}
