package apply

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oktascim/oktascim/config"
)

// pipeRun runs the pipes build makes for one integration and returns "step outcome:
// detail" lines, the steps whose work ran, and the integration's exit code.
func pipeRun(t *testing.T, in config.Integration, build func(r *runner) []pipe) (lines, ran []string, code int) {
	t.Helper()
	var events []Event
	r := newRunner(Options{Report: func(e Event) { events = append(events, e) }})
	ir := &integrationRun{in: in}
	pipes := build(r)
	for i := range pipes {
		inner, name := pipes[i].run, pipes[i].name
		pipes[i].run = func(ctx context.Context, ir *integrationRun) {
			ran = append(ran, name)
			inner(ctx, ir)
		}
	}
	r.runPipes(context.Background(), ir, pipes)
	for _, e := range events {
		lines = append(lines, e.Step+" "+string(e.Outcome)+": "+e.Detail)
	}
	return lines, ran, ir.code
}

func ok(context.Context, *integrationRun) {}

// realPipes are the integration's own pipes with their work replaced by ok (the
// first by first, when given): the order, needs and waits are what is tested.
func realPipes(first func(r *runner) func(context.Context, *integrationRun)) func(r *runner) []pipe {
	return func(r *runner) []pipe {
		pipes := r.integrationPipes()
		for i := range pipes {
			pipes[i].run = ok
		}
		if first != nil {
			pipes[0].run = first(r)
		}
		return pipes
	}
}

// withMappingsAndPush is an integration that declares mappings and a group push.
func withMappingsAndPush() config.Integration {
	return config.Integration{Name: "x", PushGroups: []config.PushGroup{{Group: "Eng"}},
		Mappings: config.Mappings{ToApp: []config.PropertyMapping{{Property: "dept", Expression: "user.department"}}}}
}

func TestPipelineSkipsWhatNeedsAFailedStep(t *testing.T) {
	lines, ran, code := pipeRun(t, config.Integration{Name: "x"}, func(r *runner) []pipe {
		return []pipe{
			{name: "a", run: ok},
			{name: "b", needs: []string{"a"}, run: func(ctx context.Context, ir *integrationRun) { r.fail(ir, "b", errors.New("boom"), "") }},
			{name: "c", needs: []string{"a", "b"}, run: ok},
			{name: "d", needs: []string{"c"}, run: ok}, // skipped in turn: c did not complete
			{name: "e", needs: []string{"a"}, run: ok}, // does not need b: runs
		}
	})
	if want := []string{"a", "b", "e"}; !reflect.DeepEqual(ran, want) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
	want := []string{"b failed: boom", "c skipped: the b step did not complete", "d skipped: the c step did not complete"}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("events %q\nwant %q", lines, want)
	}
	if code == 0 {
		t.Fatal("a failure left the exit code 0")
	}
}

func TestPipelineWaitIsASkipNotAFailure(t *testing.T) {
	lines, ran, code := pipeRun(t, config.Integration{Name: "x"}, func(*runner) []pipe {
		return []pipe{
			{name: "a", wait: func(*integrationRun) string { return "not yet" }, run: ok},
			{name: "b", needs: []string{"a"}, run: ok},
			{name: "c", run: ok},
		}
	})
	if !reflect.DeepEqual(ran, []string{"c"}) || !reflect.DeepEqual(lines, []string{"a skipped: not yet", "b skipped: the a step did not complete"}) || code != 0 {
		t.Fatalf("ran %v, events %q, exit %d", ran, lines, code)
	}
}

func TestPipelineUndeclaredStepsSayAndReadNothing(t *testing.T) {
	never := func(config.Integration) bool { return false }
	lines, ran, _ := pipeRun(t, config.Integration{Name: "x"}, func(*runner) []pipe {
		return []pipe{{name: "a", declared: never, run: ok}, {name: "b", needs: []string{"a"}, run: ok}}
	})
	if len(lines) != 0 || !reflect.DeepEqual(ran, []string{"b"}) {
		t.Fatalf("ran %v, events %q", ran, lines)
	}
}

// The integration's own pipes: when the app step fails, every later step the file
// declares is skipped, naming it — mappings and group push included.
func TestIntegrationPipesAfterAnAppFailure(t *testing.T) {
	lines, ran, _ := pipeRun(t, withMappingsAndPush(), realPipes(func(r *runner) func(context.Context, *integrationRun) {
		return func(ctx context.Context, ir *integrationRun) {
			r.fail(ir, StepApp, errors.New("two apps could be it"), "")
		}
	}))
	if !reflect.DeepEqual(ran, []string{StepApp}) {
		t.Fatalf("ran %v after the app failed", ran)
	}
	want := []string{"app failed: two apps could be it"}
	for _, s := range []string{StepProvisioning, StepActions, StepMappings, StepGroups, StepPush, StepTest} {
		want = append(want, s+" skipped: the app step did not complete")
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("events %q\nwant %q", lines, want)
	}
}

// Provisioning pending (no failure): the To App actions, mappings and push wait with
// their own reasons; groups and the test still run.
func TestIntegrationPipesWhileProvisioningIsPending(t *testing.T) {
	lines, ran, _ := pipeRun(t, withMappingsAndPush(), realPipes(nil))
	if want := []string{StepApp, StepProvisioning, StepGroups, StepTest}; !reflect.DeepEqual(ran, want) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
	want := []string{
		"actions skipped: provisioning is not on yet; the actions are set once it is",
		"mappings skipped: waiting on the manual step: the app user properties and mappings are written once provisioning is on",
		"push skipped: provisioning is not on yet; groups are pushed once it is",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("events %q\nwant %q", lines, want)
	}
}

// Without mappings or group push in the file, those steps say nothing.
func TestIntegrationPipesUndeclaredSayNothing(t *testing.T) {
	lines, ran, _ := pipeRun(t, config.Integration{Name: "x"}, realPipes(nil))
	if want := []string{StepApp, StepProvisioning, StepGroups, StepTest}; !reflect.DeepEqual(ran, want) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, StepMappings+" ") || strings.HasPrefix(l, StepPush+" ") {
			t.Fatalf("an undeclared step reports: %q", lines)
		}
	}
}
