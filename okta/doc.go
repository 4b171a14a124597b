// Package okta is the client for the Okta Management API, and the only package that
// sends requests to an Okta org. It speaks in the tool's words — find the managed app
// by its ownership stamp, create, update, activate and delete apps, the provisioning
// connection and features, profile mappings and app user schemas, groups, assignments
// and group push, users for the round trip, raw System Log events, the org's identity
// and the token's roles — and owns the HTTP client under them: okta-sdk-golang's
// request executor with its cache off (raw requests where the SDK lacks a field), SSWS
// or OAuth 2 private-key JWT, Link-header paging with plausible bounds, the rate
// governor (X-Rate-Limit-* headers, 429s), request and write accounting, limits on what
// a hostile answer can make it read, and a trace that goes through internal/redact.
//
// It decides nothing: what to change is plan's, when and in what order apply's. It
// imports nothing of the engine (config, plan, apply) nor of the stand-ins, and its
// errors never carry a secret. No other package should import the SDK (apply still
// names the SDK's ApplicationFeature type).
package okta
