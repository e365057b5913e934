package syncapp_test

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	srvstore "github.com/ainaukar/naukar/server/store"
)

// Migrating a new books file and a new server database (every migration,
// River's too) was most of the setup of a simulated world under -race. It
// is done once per test binary; each world copies the migrated files.

var tmpl struct {
	once          sync.Once
	dir           string
	books, server string
	err           error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tmpl.dir != "" {
		os.RemoveAll(tmpl.dir)
	}
	os.Exit(code)
}

// templates returns an empty migrated books file without a device identity
// (each copy makes its own at open) and an empty migrated server database.
func templates() (books, server string, err error) {
	tmpl.once.Do(func() {
		tmpl.err = func() error {
			dir, err := os.MkdirTemp("", "naukar-syncapp-")
			if err != nil {
				return err
			}
			tmpl.dir = dir
			p := filepath.Join(dir, "new-books.db")
			s, err := store.Open(p, store.Options{PINParams: &staff.TestParams})
			if err != nil {
				return err
			}
			if err := s.Close(); err != nil {
				return err
			}
			tmpl.books = filepath.Join(dir, "books.db")
			if err := vacuumInto(p, tmpl.books, `DELETE FROM meta WHERE key IN ('device_id', 'series')`); err != nil {
				return err
			}
			sd := filepath.Join(dir, "server")
			db, err := srvstore.OpenSQLite(ctx, sd)
			if err != nil {
				return err
			}
			if err := db.Close(); err != nil {
				return err
			}
			tmpl.server = filepath.Join(dir, "server.db")
			return vacuumInto(filepath.Join(sd, srvstore.SQLiteFile), tmpl.server, "")
		}()
	})
	return tmpl.books, tmpl.server, tmpl.err
}

// vacuumInto writes a self-contained copy of the SQLite file src (its WAL
// folded in) to dst, after running fix on src if given.
func vacuumInto(src, dst, fix string) error {
	db, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if fix != "" {
		if _, err := db.Exec(fix); err != nil {
			return fmt.Errorf("template %s: %w", src, err)
		}
	}
	if _, err := db.Exec(`VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("template %s: %w", src, err)
	}
	return nil
}

// fromTemplate copies template to path unless path exists.
func fromTemplate(t failer, template, path string) {
	if _, err := os.Stat(path); err == nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatalf("%v", err)
	}
	in, err := os.Open(template)
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer in.Close()
	out, err := os.Create(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatalf("%v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatalf("%v", err)
	}
}
