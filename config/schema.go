package config

import _ "embed"

//go:embed schema.json
var schema []byte

// Schema is the JSON Schema (draft 2020-12) of the file format, for editors and
// `oktascim config schema`. Load checks everything it says and more.
func Schema() []byte { return append([]byte(nil), schema...) }
