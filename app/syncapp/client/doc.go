// Package client is the app's side of syncing: the typed HTTP client of
// naukar-server (resty, with retries for idempotent calls) and the engine
// that pushes a device's outbox and pulls the business's feed. The bodies it
// sends and reads, and the merge rule, are the shared ones of package
// sync/protocol; this package is the app's alone (the server never links
// it).
package client
