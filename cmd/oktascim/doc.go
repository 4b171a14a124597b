// Command oktascim turns a declarative YAML file into working, verified Okta SCIM
// integrations. This package is the wiring: cobra commands and flags, the output (text,
// -o json documents, colours, wrapping to the terminal), consent prompts, exit codes,
// and --sim (starting sim/simenv and converting the engine's manual steps for its admin
// stand-in, standin.go — the one place the engine and the stand-ins meet). The work
// itself is in config, plan, apply, okta, scim, doctor and roundtrip; no business logic
// belongs in a command's RunE, which parses, calls one of them and reports.
package main
