package load

import "context"

// PullCursor is what ReadPull returns, for tests.
type PullCursor struct {
	Changes int
	Next    int64
	More    bool
}

// ReadPull exposes readPull to tests.
func ReadPull(body []byte) (PullCursor, error) {
	p, err := readPull(body)
	return PullCursor{p.changes, p.next, p.more}, err
}

// RawDevice is a device's own connection (rawhttp.go), for tests.
type RawDevice struct {
	lc *loadClient
	d  *device
}

// NewRawDevice returns a device that talks to host (host:port) by hand.
func NewRawDevice(host string) *RawDevice {
	return &RawDevice{lc: &loadClient{host: host}, d: &device{auth: "Bearer t"}}
}

// Do sends one request and returns the status and body.
func (r *RawDevice) Do(ctx context.Context, method, path string, body []byte) (int, string, error) {
	status, err := r.lc.doRaw(ctx, r.d, method, path, body)
	return status, r.d.buf.String(), err
}

// Open tells whether the device holds a connection.
func (r *RawDevice) Open() bool { return r.d.conn != nil }
