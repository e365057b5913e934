package store

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// rowBatch gathers rows of one table for a multi-row INSERT of per rows,
// prepared once for the whole load (a shorter tail is prepared when
// flushed).
type rowBatch struct {
	head   string // INSERT … VALUES
	tuple  string // (?,?,…)
	tail   string // after the rows (ON CONFLICT …), if any
	cols   int
	per    int
	full   *sql.Stmt // per rows, prepared on the writer
	txStmt *sql.Stmt // full, in the current transaction
	args   []any
}

func (b *rowBatch) sql(rows int) string {
	var sb strings.Builder
	sb.Grow(len(b.head) + rows*(len(b.tuple)+1))
	sb.WriteString(b.head)
	for i := range rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(b.tuple)
	}
	sb.WriteString(b.tail)
	return sb.String()
}

// add adds one row (cols values), writing the batch when it is full.
func (b *rowBatch) add(tx *Tx, vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("load: %d values for %d columns (%.40s)", len(vals), b.cols, b.head)
	}
	b.args = append(b.args, vals...)
	if len(b.args) < b.cols*b.per {
		return nil
	}
	return b.flush(tx)
}

// flush writes the rows gathered.
func (b *rowBatch) flush(tx *Tx) error {
	if len(b.args) == 0 {
		return nil
	}
	var err error
	if len(b.args) == b.cols*b.per {
		if b.txStmt == nil {
			b.txStmt = tx.Tx.Stmt(b.full)
		}
		_, err = b.txStmt.Exec(b.args...)
	} else {
		_, err = tx.Tx.Exec(b.sql(len(b.args)/b.cols), b.args...)
	}
	clear(b.args)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("load (%.40s): %w", b.head, err)
	}
	return nil
}

// loadMoves are a load's stock effects, by product and day, summed into
// stock_days and stock_levels at the end as bulk.go's finishBulk derives
// them from doc_lines (lines with a product and a non-zero effect).
type loadMoves struct {
	prodIx map[string]int32
	prods  []string
	dayIx  map[string]int32
	days   []string
	chunks [][]loadMove // moveChunk each, so growing never copies them
}

type loadMove struct {
	prod, day int32
	delta     int64
}

const moveChunk = 1 << 20

func newLoadMoves() loadMoves {
	return loadMoves{prodIx: map[string]int32{}, dayIx: map[string]int32{}}
}

func (m *loadMoves) product(id string) int32 {
	if i, ok := m.prodIx[id]; ok {
		return i
	}
	i := int32(len(m.prods))
	m.prodIx[id] = i
	m.prods = append(m.prods, id)
	return i
}

// lookup is a product's index, -1 if it has none yet (it only reads).
func (m *loadMoves) lookup(id string) int32 {
	if i, ok := m.prodIx[id]; ok {
		return i
	}
	return -1
}

// day is the index of a date.
func (m *loadMoves) day(date string) int32 {
	d, ok := m.dayIx[date]
	if !ok {
		d = int32(len(m.days))
		m.dayIx[date] = d
		m.days = append(m.days, date)
	}
	return d
}

// move notes a stock effect of a line on day (from m.day).
func (m *loadMoves) move(product string, day int32, delta int64) {
	m.moveAt(-1, product, day, delta)
}

// moveAt is move with the product's index when known (else -1).
func (m *loadMoves) moveAt(ix int32, product string, day int32, delta int64) {
	if product == "" || delta == 0 {
		return
	}
	if ix < 0 {
		ix = m.product(product)
	}
	n := len(m.chunks)
	if n == 0 || len(m.chunks[n-1]) == moveChunk {
		m.chunks = append(m.chunks, make([]loadMove, 0, moveChunk))
		n++
	}
	m.chunks[n-1] = append(m.chunks[n-1], loadMove{prod: ix, day: day, delta: delta})
}

// writeStock writes stock_days and stock_levels in key order.
func (l *Loader) writeStock() error { return l.stock.write(l.tx, false) }

// add notes the stock effects of a committed page (bulk.go).
func (m *loadMoves) add(moves []stockMoveRow) {
	for _, mv := range moves {
		d := m.day(mv.date)
		if mv.in != 0 {
			m.move(mv.product, d, mv.in)
		}
		if mv.out != 0 {
			m.move(mv.product, d, -mv.out)
		}
	}
}

// write writes the moves into stock_days and stock_levels in key order:
// as new rows, or (add) added to the rows there may be.
func (m *loadMoves) write(tx *Tx, add bool) error {
	if len(m.chunks) == 0 {
		return nil
	}
	// Ranks in key (text) order of products and days.
	rank := func(names []string) []int32 {
		ix := make([]int32, len(names))
		for i := range ix {
			ix[i] = int32(i)
		}
		slices.SortFunc(ix, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
		r := make([]int32, len(names))
		for pos, i := range ix {
			r[i] = int32(pos)
		}
		return r
	}
	pr, dr := rank(m.prods), rank(m.days)
	var mv []loadMove
	if len(m.chunks) == 1 {
		mv = m.chunks[0]
	} else {
		mv = make([]loadMove, 0, (len(m.chunks)-1)*moveChunk+len(m.chunks[len(m.chunks)-1]))
		for _, c := range m.chunks {
			mv = append(mv, c...)
		}
	}
	m.chunks = nil
	for i := range mv {
		mv[i].prod, mv[i].day = pr[mv[i].prod], dr[mv[i].day]
	}
	prodAt := make([]string, len(m.prods))
	for i, id := range m.prods {
		prodAt[pr[i]] = id
	}
	dayAt := make([]string, len(m.days))
	for i, d := range m.days {
		dayAt[dr[i]] = d
	}
	slices.SortFunc(mv, func(a, b loadMove) int {
		if a.prod != b.prod {
			return int(a.prod - b.prod)
		}
		return int(a.day - b.day)
	})
	days := &rowBatch{head: `INSERT INTO stock_days(product_id, date, qty_in, qty_out) VALUES `, tuple: "(?,?,?,?)", cols: 4, per: 128}
	levels := &rowBatch{head: `INSERT INTO stock_levels(product_id, qty) VALUES `, tuple: "(?,?)", cols: 2, per: 128}
	if add {
		days.tail = ` ON CONFLICT(product_id, date) DO UPDATE SET qty_in = qty_in + excluded.qty_in, qty_out = qty_out + excluded.qty_out`
		levels.tail = ` ON CONFLICT(product_id) DO UPDATE SET qty = qty + excluded.qty`
	}
	var err error
	if days.full, err = tx.Prepare(days.sql(days.per)); err != nil {
		return err
	}
	defer days.full.Close()
	if levels.full, err = tx.Prepare(levels.sql(levels.per)); err != nil {
		return err
	}
	defer levels.full.Close()
	days.txStmt, levels.txStmt = days.full, levels.full
	for i := 0; i < len(mv); {
		p := mv[i].prod
		level := int64(0)
		for i < len(mv) && mv[i].prod == p {
			d := mv[i].day
			var in, out int64
			for ; i < len(mv) && mv[i].prod == p && mv[i].day == d; i++ {
				if x := mv[i].delta; x > 0 {
					in += x
				} else {
					out -= x
				}
			}
			level += in - out
			if err := days.add(tx, prodAt[p], dayAt[d], in, out); err != nil {
				return err
			}
		}
		if err := levels.add(tx, prodAt[p], level); err != nil {
			return err
		}
	}
	if err := days.flush(tx); err != nil {
		return err
	}
	return levels.flush(tx)
}
