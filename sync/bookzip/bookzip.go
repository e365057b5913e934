// Package bookzip writes an export of a business's books as a ZIP: one
// JSON file per synced table, a CSV file for the main tables (for a
// spreadsheet) and a README.txt that explains each file. The sync server's
// export (server/privacy) and the counter app's export of the books on its
// own PC (app/store) write the same layout with it, so a shop reads both
// the same way. Rows are streamed: nothing holds a whole table in memory.
package bookzip

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/sync/protocol"
)

// CSVTables get a CSV file besides their JSON (for a spreadsheet).
var CSVTables = []string{"products", "parties", "invoices", "payments", "expenses"}

// withheld are fields left out of an export: secrets that only prove who
// someone is (a staff member's PIN hash), like the account's password hash.
var withheld = map[string][]string{"staff": {"pin_hash"}}

// data is r's fields as exported (withheld fields removed).
func data(r Row) []byte {
	drop := withheld[r.Table]
	if len(drop) == 0 {
		return r.Data
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(r.Data, &m) != nil {
		return []byte("{}")
	}
	for _, f := range drop {
		delete(m, f)
	}
	b, _ := json.Marshal(m)
	return b
}

// Row is one synced row of the books.
type Row struct {
	Table, ID, HLC string
	Deleted        bool
	Data           []byte // the row's JSON object
	// UpdatedAt is when the server last received the row (zero on the PC,
	// which does not keep it).
	UpdatedAt time.Time
}

// Rows calls fn for each row of one table, or of every table ordered by
// table when the table asked for is "".
type Rows func(table string, fn func(Row) error) error

// Writer writes one export.
type Writer struct {
	zw     *zip.Writer
	now    time.Time
	server bool
	readme []string
}

// NewWriter starts an export to w made at now; server says it is the sync
// server's copy (its rows carry when the server received them).
func NewWriter(w io.Writer, now time.Time, server bool) *Writer {
	return &Writer{zw: zip.NewWriter(w), now: now, server: server}
}

// Create adds a file, explained in README.txt by about.
func (z *Writer) Create(name, about string) (io.Writer, error) {
	z.readme = append(z.readme, name+"\n    "+about)
	return z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.now})
}

// JSON adds a file holding v as indented JSON.
func (z *Writer) JSON(name, about string, v any) error {
	w, err := z.Create(name, about)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type exportedRow struct {
	ID        string          `json:"id"`
	HLC       string          `json:"hlc"`
	Deleted   bool            `json:"deleted,omitempty"`
	UpdatedAt *time.Time      `json:"updated_at,omitempty"`
	Data      json.RawMessage `json:"data"`
}

// Books writes every synced row as books/TABLE.json (one JSON array per
// table, in one pass over rows) and then books/TABLE.csv for CSVTables.
// progress is called once per row of the JSON pass.
func (z *Writer) Books(rows Rows, progress func() error) error {
	var tables []string
	var cur io.Writer
	first := false
	closeArr := func() error {
		if cur == nil {
			return nil
		}
		_, err := io.WriteString(cur, "\n]\n")
		return err
	}
	err := rows("", func(r Row) error {
		if len(tables) == 0 || tables[len(tables)-1] != r.Table {
			if err := closeArr(); err != nil {
				return err
			}
			tables = append(tables, r.Table)
			var err error
			if cur, err = z.Create("books/"+SafeName(r.Table)+".json", z.bookAbout(r.Table)); err != nil {
				return err
			}
			if _, err := io.WriteString(cur, "["); err != nil {
				return err
			}
			first = true
		}
		e := exportedRow{ID: r.ID, HLC: r.HLC, Deleted: r.Deleted, Data: json.RawMessage(data(r))}
		if !r.UpdatedAt.IsZero() {
			e.UpdatedAt = &r.UpdatedAt
		}
		b, err := json.Marshal(e)
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
		if progress != nil {
			return progress()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := closeArr(); err != nil {
		return err
	}
	for _, t := range CSVTables {
		if err := z.csv(rows, t); err != nil {
			return err
		}
	}
	return nil
}

// csv writes table's rows as CSV: id, deleted and one column per field
// (fields holding lists or objects as JSON text). Two passes over the
// rows: the first finds the fields, the second writes them.
func (z *Writer) csv(rows Rows, table string) error {
	fields := map[string]bool{}
	n := 0
	err := rows(table, func(r Row) error {
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
	w, err := z.Create("books/"+table+".csv", "The same "+table+" as the JSON file, as a table for a spreadsheet (UTF-8, one column per field; lists such as invoice lines as JSON text).")
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"id", "deleted"}, cols...)); err != nil {
		return err
	}
	rec := make([]string, 2+len(cols))
	err = rows(table, func(r Row) error {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(data(r), &m)
		rec[0], rec[1] = r.ID, "no"
		if r.Deleted {
			rec[1] = "yes"
		}
		for i, c := range cols {
			rec[2+i] = Cell(m[c])
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Cell is a JSON value as a CSV cell: strings without quotes, null empty.
func Cell(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// SafeName keeps a table name usable as a file name.
func SafeName(t string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, t)
}

func (z *Writer) bookAbout(table string) string {
	kind := "records (last change wins; a deleted one is kept with \"deleted\": true)"
	if protocol.TableKind(table) == protocol.KindDocument {
		kind = "documents (written once; a correction is a new document)"
	}
	if len(withheld[table]) > 0 {
		kind += "; left out: " + strings.Join(withheld[table], ", ") + " (kept only as a one-way hash, it proves nothing to anyone else)"
	}
	if z.server {
		return "The " + table + " of the books, as synced from the app: " + kind +
			". Each entry has the row's id, its change stamp (hlc), when the server last received it and its fields (data)."
	}
	return "The " + table + " of the books on this PC: " + kind +
		". Each entry has the row's id, its change stamp (hlc) and its fields (data)."
}

// Close writes README.txt (title, then note, then every file with what it
// holds) and finishes the ZIP.
func (z *Writer) Close(title, note string) error {
	r, err := z.zw.Create("README.txt")
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(title + "\n")
	fmt.Fprintf(&b, "Exported %s (UTC).\n\n", z.now.UTC().Format("02-01-2006 15:04"))
	b.WriteString("JSON files are UTF-8 JSON; CSV files are UTF-8 with a header row. Money is in paise\n")
	b.WriteString("(1 rupee = 100 paise) and times are in UTC unless a field says otherwise.\n")
	b.WriteString(note + "\n\n")
	b.WriteString("Files:\n\n")
	for _, f := range z.readme {
		b.WriteString(f)
		b.WriteString("\n\n")
	}
	b.WriteString("Questions about your data: see the privacy policy in the app (Help) or write to us.\n")
	if _, err := io.WriteString(r, b.String()); err != nil {
		return err
	}
	return z.zw.Close()
}
