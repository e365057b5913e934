package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Loading a whole shop at once (demo and benchmark books of millions of
// bills). The normal save paths check staff permissions, look parties up,
// read the next number from the books and queue every change for sync, a
// transaction per bill; a loader writes into empty books that have never
// synced in big transactions, in bulk mode (the download's: secondary
// indexes dropped and built again at the end, stock and the search index
// derived once), numbering in memory. Documents are priced by the books
// package and their effects derived by the same code as every saved or
// pulled document (insertDoc), so the books read exactly as if each bill had
// been saved by hand. Nothing is queued for sync: loaded books are a
// device's own, as after a restore.

// Loader writes one shop's books; see Store.Load.
type Loader struct {
	s     *Store
	ctx   context.Context
	biz   books.Business
	tx    *Tx
	rows  int // rows written in the current transaction
	seqs  map[seqKey]int64
	stamp string
}

type seqKey struct {
	table string
	fy    int
}

// loadTxRows is about how many rows a load writes per transaction.
const loadTxRows = 200_000

// Load runs fn with a loader on these books, which must be set up (Init)
// and hold nothing else yet. Everything fn wrote is kept when it returns
// nil, with indexes, stock and the search index built at the end.
func (s *Store) Load(ctx context.Context, fn func(*Loader) error) error {
	if err := s.requireBooks(); err != nil {
		return err
	}
	for _, t := range syncedTables[1:] {
		var n int
		if err := s.r.QueryRow(`SELECT EXISTS (SELECT 1 FROM ` + t + `)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return books.Errorf(books.ECONFLICT, "Books can only be loaded when empty; these hold %s.", t)
		}
	}
	biz, err := s.Business()
	if err != nil {
		return err
	}
	// The books are rebuilt from scratch if the load fails: a power cut
	// may lose the file, not the shop's data.
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`, `PRAGMA wal_autocheckpoint = 65536`} {
		if _, err := s.w.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer func() {
		for _, p := range []string{`PRAGMA synchronous = NORMAL`, `PRAGMA cache_size = -16384`, `PRAGMA wal_autocheckpoint = 4096`} {
			_, _ = s.w.Exec(p)
		}
	}()
	// Millions of short-lived rows: fewer collections for more memory.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if err := s.startBulk(ctx); err != nil {
		return err
	}
	l := &Loader{s: s, ctx: ctx, biz: biz, seqs: map[seqKey]int64{}}
	if err := l.begin(); err != nil {
		return err
	}
	if err := fn(l); err != nil {
		if l.tx != nil {
			l.tx.Rollback()
		}
		return err
	}
	if err := l.commit(); err != nil {
		return err
	}
	return s.finishBulk(ctx)
}

func (l *Loader) begin() error {
	sqlTx, err := l.s.w.BeginTx(l.ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	l.tx = &Tx{Tx: sqlTx, s: l.s}
	l.stamp = l.tx.stamp()
	l.rows = 0
	return nil
}

func (l *Loader) commit() error {
	tx := l.tx
	l.tx = nil
	if _, err := tx.Exec(upsertMeta, "hlc", tx.hlc.String()); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	l.s.kickCheckpoint()
	return nil
}

// wrote counts n rows and starts a new transaction past loadTxRows.
func (l *Loader) wrote(n int) error {
	l.rows += n
	if l.rows < loadTxRows {
		return nil
	}
	if err := l.commit(); err != nil {
		return err
	}
	return l.begin()
}

// Business is the books' business profile.
func (l *Loader) Business() books.Business { return l.biz }

// Product adds a product (validated as on the Products screen) and returns
// its id.
func (l *Loader) Product(p books.Product) (string, error) {
	p.Normalize()
	if err := p.Validate(l.s.now()); err != nil {
		return "", err
	}
	id := newID()
	if err := l.record("products", id, &p); err != nil {
		return "", err
	}
	return id, l.wrote(2 + len(p.Barcodes))
}

// Party adds a party (validated) and returns its id.
func (l *Loader) Party(p books.Party) (string, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return "", err
	}
	id := newID()
	if err := l.record("parties", id, &p); err != nil {
		return "", err
	}
	return id, l.wrote(1)
}

// record inserts a new record with every field stamped.
func (l *Loader) record(table, id string, v any) error {
	fields, _, err := canonical(v)
	if err != nil {
		return err
	}
	fh := make(map[string]string, len(fields))
	for k := range fields {
		fh[k] = l.stamp
	}
	return l.tx.writeRecord(protocol.Row{Table: table, ID: id, HLC: l.stamp, Fields: fields, FieldHLC: fh}, true)
}

// number gives the next number of table's series in the financial year of date.
func (l *Loader) number(table string, date time.Time) (fy int, seq int64) {
	fy = gst.FinancialYear(date)
	k := seqKey{table, fy}
	l.seqs[k]++
	return fy, l.seqs[k]
}

// pricedSale is a sale priced and encoded off the writer.
type pricedSale struct {
	inv  *books.Invoice
	data []byte
	err  error
}

// Sales prices, numbers and saves sales in the order given (each draft's
// party and products must carry their ids). Pricing and encoding run on
// every core while the books are written.
func (l *Loader) Sales(ds []*books.SaleDraft) ([]*books.Invoice, error) {
	out := make([]pricedSale, len(ds))
	series := l.s.Series()
	for i, d := range ds {
		inv := &books.Invoice{}
		inv.FY, inv.Seq = l.number("invoices", d.Date)
		out[i].inv = inv
	}
	workers := max(runtime.GOMAXPROCS(0), 1)
	var wg sync.WaitGroup
	next := make(chan int, len(ds))
	for i := range ds {
		next <- i
	}
	close(next)
	ready := make([]chan struct{}, len(ds))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = l.priceSale(ds[i], out[i].inv.FY, out[i].inv.Seq, series)
				close(ready[i])
			}
		}()
	}
	invs := make([]*books.Invoice, len(ds))
	var err error
	for i := range ds {
		<-ready[i]
		if err != nil {
			continue
		}
		if err = out[i].err; err != nil {
			continue
		}
		inv := out[i].inv
		if _, err = l.tx.insertDoc("invoices", inv.ID, l.stamp, out[i].data, inv); err != nil {
			continue
		}
		invs[i] = inv
		n := 1 + len(inv.Lines) + len(inv.Payments)
		if inv.Party != nil {
			n++
		}
		err = l.wrote(n)
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return invs, nil
}

func (l *Loader) priceSale(d *books.SaleDraft, fy int, seq int64, series string) pricedSale {
	if d.Party != nil && d.Party.ID == "" {
		return pricedSale{err: errors.New("load: a sale's party needs its id")}
	}
	inv, err := books.PriceSale(&l.biz, d)
	if err != nil {
		return pricedSale{err: err}
	}
	inv.ID = newID()
	inv.FY, inv.Seq, inv.Series = fy, seq, series
	if inv.Number, err = gst.FormatDocNumber(l.biz.InvoicePrefix, series, fy, seq); err != nil {
		return pricedSale{err: books.Invalid("invoice_prefix", "%s", err.Error())}
	}
	inv.DeviceID = l.s.deviceID
	inv.CreatedAt = d.Date.UTC().Format(time.RFC3339)
	data, err := canonicalDoc(inv)
	return pricedSale{inv: inv, data: data, err: err}
}

// Return issues a credit note against inv (saved by this loader, with
// nothing returned from it yet).
func (l *Loader) Return(inv *books.Invoice, items []books.ReturnLine, date time.Time, reason string, refunds []books.PaymentPart, restock bool) (*books.CreditNote, error) {
	cn, err := books.PriceReturn(&l.biz, inv, false, nil, items, date, reason, refunds, restock)
	if err != nil {
		return nil, err
	}
	cn.ID = newID()
	cn.FY, cn.Seq = l.number("credit_notes", date)
	cn.Series = l.s.Series()
	if cn.Number, err = gst.FormatDocNumber(l.biz.CreditNotePrefix, cn.Series, cn.FY, cn.Seq); err != nil {
		return nil, books.Invalid("credit_note_prefix", "%s", err.Error())
	}
	cn.DeviceID = l.s.deviceID
	cn.CreatedAt = date.UTC().Format(time.RFC3339)
	return cn, l.doc("credit_notes", cn.ID, cn, 2+len(cn.Lines))
}

// Purchase saves a supplier's bill (the supplier must carry its id).
func (l *Loader) Purchase(d *books.PurchaseDraft) (*books.Purchase, error) {
	if d.Party == nil || d.Party.ID == "" {
		return nil, errors.New("load: a purchase's supplier needs its id")
	}
	p, err := books.PricePurchase(&l.biz, d)
	if err != nil {
		return nil, err
	}
	p.ID = newID()
	p.DeviceID = l.s.deviceID
	p.CreatedAt = d.Date.UTC().Format(time.RFC3339)
	return p, l.doc("purchases", p.ID, p, 2+len(p.Lines))
}

// Payment saves money received from or paid to a party.
func (l *Loader) Payment(p books.Payment) (*books.Payment, error) {
	if p.Mode == "" {
		p.Mode = books.ModeCash
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.ID = newID()
	p.DeviceID = l.s.deviceID
	return &p, l.doc("payments", p.ID, &p, 3)
}

// Expense saves an expense; its category must be in the list (ExpenseCategory).
func (l *Loader) Expense(e books.Expense) (*books.Expense, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.ID = newID()
	e.DeviceID = l.s.deviceID
	return &e, l.doc("expenses", e.ID, &e, 2)
}

// ExpenseCategory adds an expense category.
func (l *Loader) ExpenseCategory(name string) error {
	if err := l.record("expense_categories", newID(), map[string]string{"name": name}); err != nil {
		return err
	}
	return l.wrote(1)
}

func (l *Loader) doc(table, id string, doc any, rows int) error {
	data, err := canonicalDoc(doc)
	if err != nil {
		return err
	}
	if _, err := l.tx.insertDoc(table, id, l.stamp, data, doc); err != nil {
		return err
	}
	return l.wrote(rows)
}

// canonicalDoc is canonical(v)'s JSON without decoding it again: the top
// level of encoding/json's output with its keys sorted (values as written).
// It falls back to canonical for anything it does not expect.
func canonicalDoc(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if out, ok := sortTopLevel(raw); ok {
		return out, nil
	}
	_, data, err := canonical(v)
	return data, err
}

type jsonMember struct{ key, member []byte }

// sortTopLevel sorts the members of a JSON object by key; keys with
// escapes are not expected (ok false).
func sortTopLevel(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
		return nil, false
	}
	var ms []jsonMember
	i := 1
	for i < len(raw)-1 {
		if raw[i] != '"' {
			return nil, false
		}
		start := i
		j := i + 1
		for j < len(raw) && raw[j] != '"' {
			if raw[j] == '\\' {
				return nil, false
			}
			j++
		}
		key := raw[i+1 : j]
		if j+1 >= len(raw) || raw[j+1] != ':' {
			return nil, false
		}
		end, ok := skipJSONValue(raw, j+2)
		if !ok {
			return nil, false
		}
		ms = append(ms, jsonMember{key: key, member: raw[start:end]})
		i = end
		if raw[i] == ',' {
			i++
		}
	}
	slices.SortFunc(ms, func(a, b jsonMember) int { return bytes.Compare(a.key, b.key) })
	out := make([]byte, 0, len(raw))
	out = append(out, '{')
	for k, m := range ms {
		if k > 0 {
			if bytes.Equal(m.key, ms[k-1].key) {
				return nil, false
			}
			out = append(out, ',')
		}
		out = append(out, m.member...)
	}
	return append(out, '}'), true
}

// skipJSONValue returns the end of the JSON value starting at i in
// encoding/json's compact output.
func skipJSONValue(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i, true
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(b) && (b[i] == ',' || b[i] == '}') {
			return i, true
		}
	}
	return 0, false
}
