package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointEvery is the least time between two background checkpoints.
const checkpointEvery = 250 * time.Millisecond

// startCheckpointer starts the goroutine that folds the write-ahead log
// into the books file after commits, on its own connection, so that saving
// a bill never waits for a checkpoint (the writer's autocheckpoint is off).
// PASSIVE checkpoints never block the writer or readers; when a reader
// holds an old snapshot the log is folded on a later kick.
func (s *Store) startCheckpointer() error {
	c, err := sql.Open("sqlite", dsn(s.path, roleCheckpointer))
	if err != nil {
		return fmt.Errorf("open books %s: %w", s.path, err)
	}
	c.SetMaxOpenConns(1)
	c.SetMaxIdleConns(1)
	c.SetConnMaxLifetime(0)
	s.ckpt = c
	s.ckptKick = make(chan struct{}, 1)
	s.ckptStop = make(chan struct{})
	s.ckptDone = make(chan struct{})
	go func() {
		defer close(s.ckptDone)
		for {
			// Pending stock effects are folded once the books go quiet.
			var quiet <-chan time.Time
			if s.pendingStock.Load() > 0 {
				quiet = time.After(foldAfter)
			}
			select {
			case <-s.ckptStop:
				return
			case <-quiet:
				_ = s.FoldStock(context.Background()) // else folded by the next reader
				continue
			case <-s.ckptKick:
			}
			// Errors are not fatal: the log is folded on the next kick,
			// at close, or by the next open.
			_, _ = c.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			if s.pendingStock.Load() >= foldRows {
				_ = s.FoldStock(context.Background())
			}
			select {
			case <-s.ckptStop:
				return
			case <-time.After(checkpointEvery):
			}
		}
	}()
	return nil
}

// kickCheckpoint tells the checkpointer a commit happened (never blocks).
func (s *Store) kickCheckpoint() {
	select {
	case s.ckptKick <- struct{}{}:
	default:
	}
}

// stopCheckpointer stops the checkpointer and closes its connection.
func (s *Store) stopCheckpointer() {
	if s.ckptStop == nil {
		return
	}
	close(s.ckptStop)
	<-s.ckptDone
	s.ckpt.Close()
	s.ckptStop = nil
}
