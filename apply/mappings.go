package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/okta"
	"github.com/oktascim/oktascim/plan"
)

// ensureMappings sets the declared attribute mappings property by property, adding
// the app user properties they need to the app's schema first; properties the file
// does not name are left alone. Every write is re-read.
func (r *runner) ensureMappings(ctx context.Context, ir *integrationRun) {
	m := ir.in.Mappings
	c := r.opts.Client
	var changes []plan.FieldChange
	if len(m.ToApp) > 0 {
		schema, err := c.GetAppSchema(ctx, ir.app.ID)
		if err != nil {
			r.fail(ir, StepMappings, err, "")
			return
		}
		add := plan.MissingAppProperties(m.ToApp, schema)
		if len(add) > 0 {
			if _, err := c.AddAppSchemaProperties(ctx, ir.app.ID, add); err != nil {
				r.fail(ir, StepMappings, err, "")
				return
			}
			if schema, err = c.GetAppSchema(ctx, ir.app.ID); err != nil {
				r.fail(ir, StepMappings, fmt.Errorf("re-reading the app's user schema to verify it: %w", err), "")
				return
			}
			if left := plan.MissingAppProperties(m.ToApp, schema); len(left) > 0 {
				r.fail(ir, StepMappings, fmt.Errorf("Okta did not keep the app user properties %s", strings.Join(plan.SortedKeys(left), ", ")), "")
				return
			}
			for _, name := range plan.SortedKeys(add) {
				changes = append(changes, plan.FieldChange{Field: "appSchema." + name, Old: "", New: add[name].Type})
			}
		}
	}
	toApp, toOkta, err := c.AppMappings(ctx, ir.app.ID)
	if err != nil {
		r.fail(ir, StepMappings, err, "")
		return
	}
	for _, dir := range []struct {
		name     string
		declared []config.PropertyMapping
		mapping  okta.Mapping
		hint     string
	}{
		{"toApp", m.ToApp, toApp, "Okta has no Okta user → app profile mapping for this app"},
		{"toOkta", m.ToOkta, toOkta, "Okta has no app → Okta user profile mapping for this app: turn on import (provisioning.importUsers) first"},
	} {
		if len(dir.declared) == 0 {
			continue
		}
		if dir.mapping.ID == "" {
			r.fail(ir, StepMappings, fmt.Errorf("mappings.%s: %s", dir.name, dir.hint), "")
			return
		}
		diff := plan.MappingChanges(dir.name, dir.declared, dir.mapping)
		if len(diff) == 0 {
			continue
		}
		if _, err := c.UpdateMapping(ctx, dir.mapping.ID, plan.MappingUpdate(dir.declared, dir.mapping)); err != nil {
			r.fail(ir, StepMappings, err, "")
			return
		}
		got, err := c.GetMapping(ctx, dir.mapping.ID)
		if err != nil {
			r.fail(ir, StepMappings, fmt.Errorf("re-reading profile mapping %s to verify it: %w", dir.mapping.ID, err), "")
			return
		}
		if left := plan.MappingChanges(dir.name, dir.declared, got); len(left) > 0 {
			r.fail(ir, StepMappings, fmt.Errorf("Okta did not keep the mapping: %s", plan.Summarize(left)), "")
			return
		}
		changes = append(changes, diff...)
	}
	if len(changes) == 0 {
		r.report(Event{Integration: ir.in.Name, Step: StepMappings, Outcome: Unchanged, AppID: ir.app.ID,
			Detail: fmt.Sprintf("as declared: %d to the app, %d to Okta", len(m.ToApp), len(m.ToOkta))})
		return
	}
	r.report(Event{Integration: ir.in.Name, Step: StepMappings, Outcome: Done, AppID: ir.app.ID, Changes: changes,
		Detail: "set and verified: " + plan.Summarize(changes)})
}
