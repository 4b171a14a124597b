// Package systemlog reads an org's System Log for the tool's apps (one filtered query
// for several apps, a recent window, or following new events) and explains the known
// provisioning failures in a hint; Line is the one way an event is printed. `oktascim
// logs`, apply's waits and checks, and the round trip all use it, so a failure reads
// the same everywhere. It only reads, through package okta; it writes nothing to the org
// and knows nothing of the config file or the plan.
package systemlog
