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
	"strings"
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
	bizID string
	tx    *Tx
	rows  int // rows written in the current transaction
	seqs  map[seqKey]int64
	stamp string

	// Rows of the tables a load fills by the million, written in prepared
	// multi-row INSERTs: products (with their codes), sales and their
	// lines, money and ledger rows.
	rid                                   int64 // the last product's rowid
	prods, codes, invs, lines, money, led *rowBatch
	batches                               []*rowBatch
	// Stock moves, summed into stock_days and stock_levels at the end
	// instead of reading every line back.
	stock loadMoves
	// onFinish is told each step of the work at the end (OnFinish).
	onFinish func(step string)
}

// OnFinish has f told each step of the work done after fn returns
// (indexes, stock, search), before it starts.
func (l *Loader) OnFinish(f func(step string)) { l.onFinish = f }

func (l *Loader) step(what string) {
	if l.onFinish != nil {
		l.onFinish(what)
	}
}

type seqKey struct {
	table string
	fy    int
}

// loadKeepsIndexes are the tables whose indexes a load keeps up to date
// row by row instead of building them at the end: building an index reads
// its whole table, and bills (with their JSON) are most of the books, while
// they arrive in the order of most of their indexes (date, number). A
// product's indexes are by name, in no order: those are built at the end.
var loadKeepsIndexes = map[string]bool{"invoices": true}

// loadTxRows is about how many rows a load writes per transaction.
const loadTxRows = 1_000_000

// Load runs fn with a loader on these books, which must be set up (Init)
// and hold nothing else yet. Everything fn wrote is kept when it returns
// nil, with indexes, stock and the search index built at the end.
//
// While it runs the books are written without a journal (a failed load
// leaves a file to throw away, never half a shop to trust), so each page is
// written once, and nothing else may use these books until it returns.
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
	// Millions of short-lived rows: fewer collections for more memory.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if err := s.startBulkKeeping(ctx, loadKeepsIndexes); err != nil {
		return err
	}
	restore, err := s.loadMode(ctx)
	if err != nil {
		return err
	}
	l := &Loader{s: s, ctx: ctx, biz: biz, bizID: s.BusinessID(), seqs: map[seqKey]int64{}, stock: newLoadMoves()}
	err = l.run(fn)
	if rerr := restore(); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	s.bulk.Store(false)
	s.searchReady.Store(false)
	s.pendingStock.Store(0)
	return nil
}

func (l *Loader) run(fn func(*Loader) error) error {
	if err := l.prepare(); err != nil {
		return err
	}
	defer func() {
		for _, b := range l.batches {
			b.full.Close()
		}
	}()
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
	return l.finish()
}

// loadMode makes the books quick to fill: no journal, no fsync, a big
// cache, the checkpointer stopped and the readers closed (a WAL reader's
// open file keeps the journal mode from changing). The function it returns
// puts the books back as Open left them.
func (s *Store) loadMode(ctx context.Context) (func() error, error) {
	s.stopCheckpointer()
	s.r.SetMaxIdleConns(0)
	var mode string
	if err := s.w.QueryRowContext(ctx, `PRAGMA journal_mode = OFF`).Scan(&mode); err != nil {
		s.r.SetMaxIdleConns(4)
		return nil, errors.Join(err, s.startCheckpointer())
	}
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -1048576`, `PRAGMA threads = 2`} {
		if _, err := s.w.ExecContext(ctx, p); err != nil {
			return nil, err
		}
	}
	return func() error {
		var errs []error
		for _, p := range []string{`PRAGMA synchronous = NORMAL`, `PRAGMA cache_size = -16384`, `PRAGMA threads = 0`} {
			_, err := s.w.Exec(p)
			errs = append(errs, err)
		}
		errs = append(errs, s.w.QueryRow(`PRAGMA journal_mode = WAL`).Scan(&mode))
		if mode != "wal" {
			errs = append(errs, fmt.Errorf("books left in journal mode %q after a load", mode))
		}
		s.r.SetMaxIdleConns(4)
		errs = append(errs, s.startCheckpointer())
		return errors.Join(errs...)
	}, nil
}

// ddlName names a statement of the finish for OnFinish: an index's name,
// or the search index.
func ddlName(q string) string {
	if f := strings.Fields(q); len(f) > 2 && f[0] == "CREATE" && f[1] == "INDEX" {
		return "index " + f[2]
	}
	return "search index"
}

// prepare prepares the multi-row INSERTs.
func (l *Loader) prepare() error {
	var err error
	mk := func(head string, cols, per int) *rowBatch {
		b := &rowBatch{head: head, cols: cols, per: per}
		b.tuple = "(" + repeatJoin("?", cols) + ")"
		if err == nil {
			b.full, err = l.s.w.PrepareContext(l.ctx, b.sql(per))
		}
		if err == nil {
			l.batches = append(l.batches, b)
		}
		return b
	}
	l.prods = mk(`INSERT INTO products(rid, id, business_id, hlc, field_hlc, deleted, data) VALUES `, 7, 64)
	l.codes = mk(`INSERT OR IGNORE INTO product_codes(code, product_id) VALUES `, 2, 128)
	l.invs = mk(`INSERT INTO invoices(id, business_id, hlc, data, `+docCols["invoices"]+`) VALUES `, 4+strings.Count(docCols["invoices"], ",")+1, 32)
	l.lines = mk(`INSERT INTO doc_lines(doc_id, n, doc_table, date, product_id, hsn, unit, qty, rate, taxable, cgst, sgst, igst, cess, total, cost, stock_delta) VALUES `, lineCols, 64)
	l.money = mk(`INSERT INTO money_moves(doc_id, n, doc_table, date, mode, amount_in, amount_out) VALUES `, 7, 64)
	l.led = mk(`INSERT INTO ledger(doc_id, party_id, doc_table, date, number, debit, credit) VALUES `, 7, 64)
	if err != nil {
		for _, b := range l.batches {
			b.full.Close()
		}
		return fmt.Errorf("prepare load: %w", err)
	}
	return nil
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
	for _, b := range l.batches {
		if err := b.flush(tx); err != nil {
			tx.Rollback()
			return err
		}
		b.txStmt = nil
	}
	if _, err := tx.Exec(upsertMeta, "hlc", tx.hlc.String()); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
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

// finish builds the indexes dropped for the load, writes stock levels and
// stock per day from the moves summed in memory, builds the search index
// and leaves bulk mode (bulk.go's finishBulk, without reading the lines
// back), in one transaction.
func (l *Loader) finish() error {
	if err := l.begin(); err != nil {
		return err
	}
	tx := l.tx
	err := func() error {
		v, err := tx.meta(metaBulk)
		if err != nil {
			return err
		}
		var ddl []string
		if v != "" {
			if err := json.Unmarshal([]byte(v), &ddl); err != nil {
				return fmt.Errorf("read bulk state: %w", err)
			}
		}
		for _, q := range []string{`DELETE FROM stock_pending`, `DELETE FROM stock_days`, `DELETE FROM stock_levels`, `DELETE FROM report_days`} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		l.step("stock")
		if err := l.writeStock(); err != nil {
			return err
		}
		if v, _ := tx.meta(metaSearchReady); v == "" {
			ddl = append(ddl, `INSERT INTO product_fts(product_fts) VALUES ('rebuild')`)
		}
		for _, q := range ddl {
			l.step(ddlName(q))
			if _, err := tx.Exec(q); err != nil {
				return fmt.Errorf("finish load: %w", err)
			}
		}
		l.step("commit")
		return tx.setMeta(map[string]string{metaBulk: "", metaSearchReady: ""})
	}()
	if err != nil {
		tx.Rollback()
		l.tx = nil
		return err
	}
	return l.commit()
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
	data, fh, err := l.recordJSON(&p)
	if err != nil {
		return "", err
	}
	l.rid++
	l.stock.product(id)
	if err := l.prods.add(l.tx, l.rid, id, l.bizID, l.stamp, fh, int64(0), data); err != nil {
		return "", err
	}
	// As afterRecord: the barcodes, then the SKU.
	for _, c := range p.Barcodes {
		if err := l.codes.add(l.tx, c, id); err != nil {
			return "", err
		}
	}
	if p.SKU != "" {
		if err := l.codes.add(l.tx, p.SKU, id); err != nil {
			return "", err
		}
	}
	return id, l.wrote(2 + len(p.Barcodes))
}

// recordJSON is a new record's data (canonical JSON) and its field stamps,
// every field stamped with this transaction's stamp.
func (l *Loader) recordJSON(v any) (data, fieldHLC string, err error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", "", err
	}
	sorted, keys, ok := sortTopLevelKeys(raw)
	if !ok {
		fields, d, err := canonical(v)
		if err != nil {
			return "", "", err
		}
		fh := make(map[string]string, len(fields))
		for k := range fields {
			fh[k] = l.stamp
		}
		b, _ := json.Marshal(fh)
		return string(d), string(b), nil
	}
	var b strings.Builder
	b.Grow(len(keys) * (len(l.stamp) + 24))
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.Write(k)
		b.WriteString(`":"`)
		b.WriteString(l.stamp)
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return string(sorted), b.String(), nil
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
	inv   *books.Invoice
	data  []byte
	prods []int32 // each line's product in l.stock (-1: not loaded here)
	err   error
}

// Sales prices, numbers and saves sales in the order given (each draft's
// party and products must carry their ids). Pricing and encoding run on
// every core while the books are written.
func (l *Loader) Sales(ds []*books.SaleDraft) ([]*books.Invoice, error) {
	out := make([]pricedSale, len(ds))
	series := l.s.Series()
	for i, d := range ds {
		// Ids in date order: the lines' key (table, date, id) grows.
		inv := &books.Invoice{ID: newID()}
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
				out[i] = l.priceSale(ds[i], out[i].inv, series)
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
		if err = l.sale(inv, out[i].data, out[i].prods); err != nil {
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

// sale writes a new invoice and the rows derive writes for it (lines,
// money, ledger), in the multi-row INSERTs, and notes its stock moves.
func (l *Loader) sale(inv *books.Invoice, data []byte, prods []int32) error {
	const table = "invoices"
	args := make([]any, 0, l.invs.cols)
	args = append(args, inv.ID, l.bizID, l.stamp, string(data))
	if err := l.invs.add(l.tx, append(args, docColumns(inv, data)...)...); err != nil {
		return fmt.Errorf("save invoice %s: %w", inv.ID, err)
	}
	day := l.stock.day(inv.Date)
	for n, ln := range inv.Lines {
		if err := l.lines.add(l.tx, inv.ID, int64(n), table, inv.Date, ln.ProductID, ln.HSN, ln.Unit, ln.Qty, int64(ln.Rate),
			ln.Taxable, ln.CGST, ln.SGST, ln.IGST, ln.Cess, ln.Total, ln.Cost, -ln.Qty); err != nil {
			return err
		}
		l.stock.moveAt(prods[n], ln.ProductID, day, -ln.Qty)
	}
	n := int64(0)
	for _, p := range inv.Payments {
		if p.Mode == books.ModeCredit || p.Amount == 0 {
			continue
		}
		if err := l.money.add(l.tx, inv.ID, n, table, inv.Date, string(p.Mode), p.Amount, int64(0)); err != nil {
			return err
		}
		n++
	}
	if inv.Party != nil && inv.Party.ID != "" {
		if err := l.led.add(l.tx, inv.ID, inv.Party.ID, table, inv.Date, inv.Number, inv.GrandTotal, inv.Paid); err != nil {
			return err
		}
	}
	return nil
}

func (l *Loader) priceSale(d *books.SaleDraft, num *books.Invoice, series string) pricedSale {
	if d.Party != nil && d.Party.ID == "" {
		return pricedSale{err: errors.New("load: a sale's party needs its id")}
	}
	inv, err := books.PriceSale(&l.biz, d)
	if err != nil {
		return pricedSale{err: err}
	}
	inv.ID = num.ID
	inv.FY, inv.Seq, inv.Series = num.FY, num.Seq, series
	if inv.Number, err = gst.FormatDocNumber(l.biz.InvoicePrefix, series, inv.FY, inv.Seq); err != nil {
		return pricedSale{err: books.Invalid("invoice_prefix", "%s", err.Error())}
	}
	inv.DeviceID = l.s.deviceID
	inv.CreatedAt = d.Date.UTC().Format(time.RFC3339)
	data, err := canonicalDoc(inv)
	// The products' places in the stock moves are looked up here, off the
	// writer (nothing adds products while sales are priced).
	prods := make([]int32, len(inv.Lines))
	for i, ln := range inv.Lines {
		prods[i] = l.stock.lookup(ln.ProductID)
	}
	return pricedSale{inv: inv, data: data, prods: prods, err: err}
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
	if cn.Restock {
		for _, ln := range cn.Lines {
			l.stock.move(ln.ProductID, l.stock.day(cn.Date), ln.Qty)
		}
	}
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
	for _, ln := range p.Lines {
		l.stock.move(ln.ProductID, l.stock.day(p.Date), ln.Qty)
	}
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
	out, _, ok := sortTopLevelKeys(raw)
	return out, ok
}

// sortTopLevelKeys is sortTopLevel, with the keys in their order.
func sortTopLevelKeys(raw []byte) ([]byte, [][]byte, bool) {
	if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
		return nil, nil, false
	}
	var ms []jsonMember
	i := 1
	for i < len(raw)-1 {
		if raw[i] != '"' {
			return nil, nil, false
		}
		start := i
		j := i + 1
		for j < len(raw) && raw[j] != '"' {
			if raw[j] == '\\' {
				return nil, nil, false
			}
			j++
		}
		key := raw[i+1 : j]
		if j+1 >= len(raw) || raw[j+1] != ':' {
			return nil, nil, false
		}
		end, ok := skipJSONValue(raw, j+2)
		if !ok {
			return nil, nil, false
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
				return nil, nil, false
			}
			out = append(out, ',')
		}
		out = append(out, m.member...)
	}
	keys := make([][]byte, len(ms))
	for k, m := range ms {
		keys[k] = m.key
	}
	return append(out, '}'), keys, true
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
