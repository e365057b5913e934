package load

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
