package store

// SetBeforeCommit installs a hook run just before a sale's commit (tests).
func SetBeforeCommit(f func()) { beforeCommit = f }
