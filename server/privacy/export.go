package privacy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/bookzip"
	"github.com/ainaukar/naukar/sync/protocol"
)

// progressEvery is how many rows are written between progress updates.
const progressEvery = 1000

// RunExport writes export id to its file (the job's work). The ZIP is
// streamed to a ".partial" file, a page of rows at a time, and renamed
// when complete; a retried run writes it again from the start.
func (s *Service) RunExport(ctx context.Context, businessID, id string) error {
	st := s.cfg.Store
	e, err := st.ExportByID(ctx, businessID, id)
	if err != nil {
		return err
	}
	if e.State == protocol.ExportReady {
		return nil
	}
	total, err := st.CountBusinessRows(ctx, e.BusinessID)
	if err != nil {
		return err
	}
	if err := st.SetExportProgress(ctx, id, protocol.ExportRunning, 0, total); err != nil {
		return err
	}
	if err := os.MkdirAll(s.cfg.ExportDir, 0o700); err != nil {
		return fmt.Errorf("export dir: %w", err)
	}
	name := id + ".zip"
	tmp := filepath.Join(s.cfg.ExportDir, name+".partial")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	var done int64
	progress := func() error {
		done++
		if done%progressEvery == 0 {
			return st.SetExportProgress(ctx, id, protocol.ExportRunning, done, total)
		}
		return nil
	}
	err = WriteZip(ctx, st, core.Session{AccountID: e.AccountID, BusinessID: e.BusinessID}, f, s.cfg.Now(), progress)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("export %s: %w", id, err)
	}
	info, err := os.Stat(tmp)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(s.cfg.ExportDir, name)); err != nil {
		return fmt.Errorf("export %s: %w", id, err)
	}
	return st.FinishExport(ctx, id, name, info.Size(), "")
}

// WriteZip writes everything the server holds about the session's
// business and its owner as a ZIP to w: the profiles, every synced record
// and document (JSON per table, CSV for the main ones), devices, the
// security log and every other table classified for export (WhatsApp
// messages, AI usage, billing records), with README.txt explaining each
// file. progress is called once per synced row.
func WriteZip(ctx context.Context, st Store, sess core.Session, w io.Writer, now time.Time, progress func() error) error {
	z := bookzip.NewWriter(w, now, true)
	acct, err := st.Account(ctx, sess)
	if err != nil {
		return err
	}
	biz, err := st.Business(ctx, sess)
	if err != nil {
		return err
	}
	if err := z.JSON("account.json", "The owner's account: name, email, phone and when it was created. The password is kept only as a one-way hash and is not included.", acct.Account); err != nil {
		return err
	}
	if err := z.JSON("business.json", "The business profile given at sign-up or corrected since: name, GSTIN, state, address, city, category.", biz); err != nil {
		return err
	}

	// Synced books: one JSON file per table, in one pass over the rows,
	// and CSV for the main tables.
	rows := func(table string, fn func(bookzip.Row) error) error {
		return st.EachSyncRow(ctx, sess.BusinessID, table, func(r store.SyncRow) error {
			return fn(bookzip.Row{Table: r.Table, ID: r.ID, HLC: r.HLC, Deleted: r.Deleted, Data: r.Data, UpdatedAt: r.UpdatedAt})
		})
	}
	if err := z.Books(rows, progress); err != nil {
		return err
	}

	// Every other table of the business that is classified for export.
	var names []string
	for n, rule := range store.Tables {
		if rule.Export {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out, err := z.Create(n+".json", store.Tables[n].About)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(out, "["); err != nil {
			return err
		}
		sep := "\n"
		err = st.EachTableRow(ctx, n, sess.BusinessID, func(cols []string, vals []any) error {
			var buf bytes.Buffer
			buf.WriteString(sep)
			sep = ",\n"
			buf.WriteByte('{')
			for i, c := range cols {
				if i > 0 {
					buf.WriteByte(',')
				}
				k, _ := json.Marshal(c)
				v, err := json.Marshal(vals[i])
				if err != nil {
					return err
				}
				buf.Write(k)
				buf.WriteByte(':')
				buf.Write(v)
			}
			buf.WriteByte('}')
			_, err := out.Write(buf.Bytes())
			return err
		})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(out, "\n]\n"); err != nil {
			return err
		}
	}
	return z.Close("AI Naukar: everything the server holds about "+biz.Name,
		"The counter app keeps the full books on its own PC as well; this is the server's copy.")
}
