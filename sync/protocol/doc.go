// Package protocol is the sync protocol the desktop app and the server
// share: every request and reply body of the /v1 API (wire types), the
// error codes, the hybrid logical clock, table kinds and the one merge
// function both sides use. It has no I/O and imports neither an HTTP
// client, nor Fyne, nor any store: the server links it, and only it, of
// the sync code. The app's HTTP client and sync engine are in
// app/syncapp/client.
package protocol
