package store

import (
	"context"
	"database/sql"
)

// Reads on the hot paths (a scan, search as you type, a list page) go
// through prepared statements of the read pool, kept for the life of the
// Store: on a million products, preparing a statement costs about as much
// as running it. database/sql prepares each one again on every pooled
// connection that runs it.

// readStmt returns the read pool's prepared statement for q.
func (s *Store) readStmt(q string) (*sql.Stmt, error) {
	if st, ok := s.rstmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.r.Prepare(q)
	if err != nil {
		return nil, err
	}
	if old, loaded := s.rstmts.LoadOrStore(q, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// closeReadStmts closes the read pool's prepared statements (Close).
func (s *Store) closeReadStmts() {
	s.rstmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		s.rstmts.Delete(k)
		return true
	})
}

// prepared is the read pool as a querier whose statements are prepared once.
type prepared struct{ s *Store }

// rp is the read pool with prepared statements.
func (s *Store) rp() prepared { return prepared{s} }

func (p prepared) QueryRow(q string, args ...any) *sql.Row {
	st, err := p.s.readStmt(q)
	if err != nil {
		return p.s.r.QueryRow(q, args...) // reports the error
	}
	return st.QueryRow(args...)
}

func (p prepared) Query(q string, args ...any) (*sql.Rows, error) {
	st, err := p.s.readStmt(q)
	if err != nil {
		return nil, err
	}
	return st.Query(args...)
}

func (p prepared) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.s.readStmt(q)
	if err != nil {
		return p.s.r.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
