package main

import (
	"reflect"
	"testing"

	"github.com/oktascim/oktascim/config"
	"github.com/oktascim/oktascim/plan"
	"github.com/oktascim/oktascim/sim/simenv"
)

// TestStandInStepCarriesEveryValue fills every field of the step's provisioning values
// with a value of its own and checks the stand-in's form has each under the same name:
// a field added to plan.ProvisioningValues and not carried fails here.
func TestStandInStepCarriesEveryValue(t *testing.T) {
	var v plan.ProvisioningValues
	rv := reflect.ValueOf(&v).Elem()
	want := map[string]any{}
	for i := 0; i < rv.NumField(); i++ {
		f, name := rv.Field(i), rv.Type().Field(i).Name
		switch f.Interface().(type) {
		case string:
			f.SetString("v-" + name)
			want[name] = "v-" + name
		case bool:
			f.SetBool(true)
			want[name] = true
		case *bool:
			b := i%2 == 0 // some on, some off: nil, false and true are three answers
			f.Set(reflect.ValueOf(&b))
			want[name] = &b
		case config.Secret:
			f.Set(reflect.ValueOf(config.NewSecret("s-" + name)))
			want[name] = "s-" + name
		default:
			t.Fatalf("ProvisioningValues.%s: a %s the stand-in does not know", name, f.Type())
		}
	}
	s := standInStep(plan.ManualStep{AppID: "0oa1", Values: v})
	if s.AppID != "0oa1" || s.Form == nil || len(s.Pushes) != 0 {
		t.Fatalf("step %#v", s)
	}
	form := reflect.ValueOf(*s.Form)
	for name, w := range want {
		got := form.FieldByName(name)
		if !got.IsValid() {
			t.Errorf("the stand-in's form has no %s", name)
			continue
		}
		if !reflect.DeepEqual(got.Interface(), w) {
			t.Errorf("%s: got %v, want %v", name, got.Interface(), w)
		}
	}
	if form.NumField() != len(want) {
		t.Errorf("the form has %d fields, the step %d", form.NumField(), len(want))
	}
	// Undeclared checkboxes stay nil: the admin leaves them as Okta shows them.
	if s := standInStep(plan.ManualStep{AppID: "0oa1"}); s.Form.PushGroups != nil || s.Form.ImportUsers != nil || s.Form.ImportGroups != nil {
		t.Fatalf("undeclared checkboxes must stay nil: %+v", *s.Form)
	}
}

func TestStandInStepPushes(t *testing.T) {
	s := standInStep(plan.ManualStep{AppID: "0oa1", Pushes: []plan.PushWant{{GroupID: "00g1", GroupName: "Eng", Target: "eng"}, {GroupID: "00g2"}}})
	want := []simenv.GroupPush{{GroupID: "00g1", Target: "eng"}, {GroupID: "00g2"}}
	if s.Form != nil || !reflect.DeepEqual(s.Pushes, want) {
		t.Fatalf("step %#v pushes %v", s, s.Pushes)
	}
}
