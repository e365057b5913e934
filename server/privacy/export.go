package privacy

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/server/store"
	"github.com/ainaukar/naukar/sync/protocol"
)

// csvTables get a CSV file besides their JSON (for a spreadsheet).
var csvTables = []string{"products", "parties", "invoices", "payments", "expenses"}

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
	zw := zip.NewWriter(w)
	var readme []string
	add := func(name, about string) (io.Writer, error) {
		readme = append(readme, name+"\n    "+about)
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
	}
	acct, err := st.Account(ctx, sess)
	if err != nil {
		return err
	}
	biz, err := st.Business(ctx, sess)
	if err != nil {
		return err
	}
	if err := writeJSONFile(add, "account.json", "The owner's account: name, email, phone and when it was created. The password is kept only as a one-way hash and is not included.", acct.Account); err != nil {
		return err
	}
	if err := writeJSONFile(add, "business.json", "The business profile given at sign-up or corrected since: name, GSTIN, state, address, city, category.", biz); err != nil {
		return err
	}

	// Synced books: one JSON file per table, in one pass over the rows.
	var tables []string
	var cur io.Writer
	var first bool
	closeArr := func() error {
		if cur == nil {
			return nil
		}
		_, err := io.WriteString(cur, "\n]\n")
		return err
	}
	err = st.EachSyncRow(ctx, sess.BusinessID, "", func(r store.SyncRow) error {
		if len(tables) == 0 || tables[len(tables)-1] != r.Table {
			if err := closeArr(); err != nil {
				return err
			}
			tables = append(tables, r.Table)
			var err error
			if cur, err = add("books/"+safeName(r.Table)+".json", bookAbout(r.Table)); err != nil {
				return err
			}
			if _, err := io.WriteString(cur, "["); err != nil {
				return err
			}
			first = true
		}
		b, err := json.Marshal(exportedRow{ID: r.ID, HLC: r.HLC, Deleted: r.Deleted, UpdatedAt: r.UpdatedAt, Data: json.RawMessage(r.Data)})
		if err != nil {
			return err
		}
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		if _, err := io.WriteString(cur, sep); err != nil {
			return err
		}
		if _, err := cur.Write(b); err != nil {
			return err
		}
		return progress()
	})
	if err != nil {
		return err
	}
	if err := closeArr(); err != nil {
		return err
	}
	for _, t := range csvTables {
		if err := writeCSV(ctx, st, sess.BusinessID, t, add); err != nil {
			return err
		}
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
		out, err := add(n+".json", store.Tables[n].About)
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

	r, err := zw.Create("README.txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(r, readmeText(biz.Name, now, readme)); err != nil {
		return err
	}
	return zw.Close()
}

type exportedRow struct {
	ID        string          `json:"id"`
	HLC       string          `json:"hlc"`
	Deleted   bool            `json:"deleted,omitempty"`
	UpdatedAt time.Time       `json:"updated_at"`
	Data      json.RawMessage `json:"data"`
}

func writeJSONFile(add func(string, string) (io.Writer, error), name, about string, v any) error {
	w, err := add(name, about)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCSV writes table's rows as CSV: id, deleted and one column per
// field (fields holding lists or objects as JSON text). Two passes over
// the rows: the first finds the fields, the second writes them.
func writeCSV(ctx context.Context, st Store, businessID, table string, add func(string, string) (io.Writer, error)) error {
	fields := map[string]bool{}
	n := 0
	err := st.EachSyncRow(ctx, businessID, table, func(r store.SyncRow) error {
		n++
		var m map[string]json.RawMessage
		if json.Unmarshal(r.Data, &m) == nil {
			for k := range m {
				fields[k] = true
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		return err
	}
	cols := make([]string, 0, len(fields))
	for k := range fields {
		if k != "id" && k != "deleted" {
			cols = append(cols, k)
		}
	}
	sort.Strings(cols)
	w, err := add("books/"+table+".csv", "The same "+table+" as the JSON file, as a table for a spreadsheet (UTF-8, one column per field; lists such as invoice lines as JSON text).")
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"id", "deleted"}, cols...)); err != nil {
		return err
	}
	rec := make([]string, 2+len(cols))
	err = st.EachSyncRow(ctx, businessID, table, func(r store.SyncRow) error {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(r.Data, &m)
		rec[0], rec[1] = r.ID, "no"
		if r.Deleted {
			rec[1] = "yes"
		}
		for i, c := range cols {
			rec[2+i] = cell(m[c])
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cell is a JSON value as a CSV cell: strings without quotes, null empty.
func cell(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// safeName keeps a table name usable as a file name.
func safeName(t string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, t)
}

func bookAbout(table string) string {
	kind := "records (last change wins; a deleted one is kept with \"deleted\": true)"
	if protocol.TableKind(table) == protocol.KindDocument {
		kind = "documents (written once; a correction is a new document)"
	}
	return "The " + table + " of the books, as synced from the app: " + kind +
		". Each entry has the row's id, its change stamp (hlc), when the server last received it and its fields (data)."
}

func readmeText(business string, now time.Time, files []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AI Naukar: everything the server holds about %s\n", business)
	fmt.Fprintf(&b, "Exported %s (UTC).\n\n", now.UTC().Format("02-01-2006 15:04"))
	b.WriteString("JSON files are UTF-8 JSON; CSV files are UTF-8 with a header row. Money is in paise\n")
	b.WriteString("(1 rupee = 100 paise) and times are in UTC unless a field says otherwise.\n")
	b.WriteString("The counter app keeps the full books on its own PC as well; this is the server's copy.\n\n")
	b.WriteString("Files:\n\n")
	for _, f := range files {
		b.WriteString(f)
		b.WriteString("\n\n")
	}
	b.WriteString("Questions about your data: see the privacy policy in the app (Help) or write to us.\n")
	return b.String()
}
