package store

import "time"

// SetBeforeCommit installs a hook run just before a sale's commit (tests).
func SetBeforeCommit(f func()) { beforeCommit = f }

// SetFoldAfter sets how long the books must be quiet before the background
// folds pending stock effects, and returns the undo.
func SetFoldAfter(d time.Duration) func() {
	old := foldAfter
	foldAfter = d
	return func() { foldAfter = old }
}
