package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlToJSONValue turns a YAML file into the value a JSON Schema validator sees.
func yamlToJSONValue(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	j, _ := json.Marshal(v)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every valid file, and every example the project ships, satisfies the schema and loads.
func TestValidFilesMatchSchema(t *testing.T) {
	s := compileSchema(t)
	valid, _ := filepath.Glob("testdata/valid/*.yaml")
	examples, _ := filepath.Glob("../examples/*.yaml")
	if len(valid) == 0 || len(examples) == 0 {
		t.Fatalf("found %d valid files and %d examples", len(valid), len(examples))
	}
	env := func(n string) (string, bool) {
		if v, ok := testEnv(n); ok {
			return v, ok
		}
		return "https://127.0.0.1:9/scim/v2", true // any other variable an example references
	}
	for _, path := range append(valid, examples...) {
		if err := s.Validate(yamlToJSONValue(t, path)); err != nil {
			t.Errorf("%s does not match the schema: %v", path, err)
		}
		if _, err := Load(path, LoadOptions{LookupEnv: env, Stdin: strings.NewReader("x")}); err != nil {
			t.Errorf("%s does not load: %v", path, err)
		}
	}
}

// Files wrong in ways a schema can see fail both the schema and Load.
func TestInvalidFilesFailSchemaAndLoad(t *testing.T) {
	s := compileSchema(t)
	for _, name := range []string{
		"wrong-types", "unknown-key", "bad-name", "version-missing", "version-2",
		"scim-version-number", "bad-enum", "literal-secret", "missing-saml-fields", "token-with-basic",
		"empty-integrations", "secret-ref-two-sources", "many-problems", "not-a-mapping", "scim11-header-no-appname",
	} {
		path := "testdata/invalid/" + name + ".yaml"
		if _, err := os.Stat(path); err != nil {
			continue
		}
		if err := s.Validate(yamlToJSONValue(t, path)); err == nil {
			t.Errorf("%s passes the schema", path)
		}
		if _, err := Load(path, LoadOptions{LookupEnv: testEnv}); err == nil {
			t.Errorf("%s loads", path)
		}
	}
}

// docs/oktascim.schema.json is what editors point at; it must be the schema the tool prints.
func TestPublishedSchemaIsCurrent(t *testing.T) {
	b, err := os.ReadFile("../docs/oktascim.schema.json")
	if err != nil {
		t.Fatalf("%v (copy config/schema.json to docs/oktascim.schema.json)", err)
	}
	if !bytes.Equal(b, Schema()) {
		t.Error("docs/oktascim.schema.json differs from config/schema.json; copy it over")
	}
}
