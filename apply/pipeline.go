package apply

import (
	"context"

	"github.com/oktascim/oktascim/config"
)

// pipe is one step of an integration's work (goreleaser's pipes): its name, whether
// the file asks anything of it, the earlier steps it needs, why it must wait, and
// its work. The work reports its own events; a failure is any Failed event it reports.
type pipe struct {
	name string
	// declared: the file asks something of the step (nil: always); an undeclared step
	// reports nothing and reads nothing.
	declared func(in config.Integration) bool
	// needs are earlier steps that must have completed: after one failed or was
	// skipped, this step is skipped, saying which.
	needs []string
	// wait says why the step cannot run yet ("" when it can): a skip, not a failure.
	wait func(ir *integrationRun) string
	run  func(ctx context.Context, ir *integrationRun)
}

// integrationPipes are an integration's steps, in the order they run.
func (r *runner) integrationPipes() []pipe {
	provisioningOff := func(why string) func(ir *integrationRun) string {
		return func(ir *integrationRun) string {
			if !ir.provisioningOn {
				return why
			}
			return ""
		}
	}
	return []pipe{
		{name: StepApp, run: r.runApp},
		{name: StepProvisioning, needs: []string{StepApp}, run: r.runProvisioning},
		{name: StepActions, needs: []string{StepApp, StepProvisioning},
			wait: provisioningOff("provisioning is not on yet; the actions are set once it is"), run: r.runActions},
		{name: StepMappings, needs: []string{StepApp, StepProvisioning},
			declared: func(in config.Integration) bool { return len(in.Mappings.ToApp)+len(in.Mappings.ToOkta) > 0 },
			// Okta gives a provisioning app its user schema and profile mappings once
			// provisioning is on (when exactly is not confirmed): written only then.
			wait: provisioningOff("waiting on the manual step: the app user properties and mappings are written once provisioning is on"),
			run:  r.runMappings},
		{name: StepGroups, needs: []string{StepApp}, run: r.runGroups},
		{name: StepPush, needs: []string{StepApp, StepProvisioning},
			declared: func(in config.Integration) bool { return len(in.PushGroups) > 0 },
			wait: func(ir *integrationRun) string {
				switch {
				case !ir.provisioningOn:
					return "provisioning is not on yet; groups are pushed once it is"
				case !ir.evidence.PushGroups():
					return "Push Groups is not on for the app yet (see the actions step)"
				}
				return ""
			},
			run: r.runPush},
		{name: StepTest, needs: []string{StepApp}, run: r.test},
	}
}

// runPipes runs the steps in order. A step whose needs did not complete (failed, or
// were skipped) is skipped with the first such step named; a step that must wait is
// skipped with its reason.
func (r *runner) runPipes(ctx context.Context, ir *integrationRun, pipes []pipe) {
	incomplete := map[string]bool{}
	for _, p := range pipes {
		if p.declared != nil && !p.declared(ir.in) {
			continue
		}
		if ctx.Err() != nil {
			// Ctrl-C: what did not start is said so, not failed with "context canceled".
			r.notStarted(ir, p.name)
			incomplete[p.name] = true
			continue
		}
		why := ""
		for _, n := range p.needs {
			if incomplete[n] {
				why = "the " + n + " step did not complete"
				break
			}
		}
		if why == "" && p.wait != nil {
			why = p.wait(ir)
		}
		if why != "" {
			r.skip(ir, p.name, why)
			incomplete[p.name] = true
			continue
		}
		before := r.failures(ir.in.Name, p.name)
		p.run(ctx, ir)
		if r.failures(ir.in.Name, p.name) > before {
			incomplete[p.name] = true
		}
	}
}

// failures counts the Failed events reported so far for an integration's step.
func (r *runner) failures(integration, step string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Integration == integration && e.Step == step && e.Outcome == Failed {
			n++
		}
	}
	return n
}
