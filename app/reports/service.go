// Package reports composes the shop's reports and GST returns from the
// books: GSTR-1 and GSTR-3B for a period, sales and purchase registers, HSN
// summary, day book, cash book, party ledger, outstanding dues with ageing,
// stock summary, item-wise sales and margin, expenses, profit and loss. It
// exports every report as CSV and XLSX, and the books as Tally XML.
// The GST rules live in app/gst; the SQL in app/store; this package joins them.
package reports

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/store"
)

// Service runs reports over one books file.
type Service struct {
	st  *store.Store
	now func() time.Time

	mu        sync.Mutex
	turnovers map[string]turnover // by "from..to" of closed financial years
}

type turnover struct {
	value int64
	at    time.Time
}

// New returns a report service over st.
func New(st *store.Store) *Service {
	return &Service{st: st, now: st.Now, turnovers: map[string]turnover{}}
}

// Store is the books the service reads.
func (s *Service) Store() *store.Store { return s.st }

// Query says what a report covers and which page of it to return.
type Query struct {
	Period Period
	Offset int // first row of the page
	Limit  int // rows per page; 0 returns every row (exports)
	// Party names the party of the party ledger (name, phone or id).
	Party string
	// LowStock keeps only products at or below their reorder level.
	LowStock bool
}

// Def describes one report.
type Def struct {
	Name  string
	Title string
	run   func(s *Service, ctx context.Context, q Query) (*Report, error)
}

var defs = []Def{
	{"gstr1", "GSTR-1 (outward supplies)", (*Service).GSTR1},
	{"gstr3b", "GSTR-3B summary", (*Service).GSTR3B},
	{"sales", "Sales register", (*Service).SalesRegister},
	{"purchases", "Purchase register", (*Service).PurchaseRegister},
	{"hsn", "HSN summary", (*Service).HSNSummary},
	{"daybook", "Day book", (*Service).DayBook},
	{"collections", "Collections by staff", (*Service).StaffCollections},
	{"cashbook", "Cash book", (*Service).CashBook},
	{"ledger", "Party ledger", (*Service).PartyLedger},
	{"outstanding", "Outstanding dues with ageing", (*Service).Outstanding},
	{"stock", "Stock summary and valuation", (*Service).Stock},
	{"items", "Item-wise sales and margin", (*Service).Items},
	{"expenses", "Expenses by category", (*Service).Expenses},
	{"pnl", "Profit and loss", (*Service).ProfitAndLoss},
}

// Reports lists the reports, in menu order.
func Reports() []Def { return append([]Def(nil), defs...) }

// Run runs the report called name.
func (s *Service) Run(ctx context.Context, name string, q Query) (*Report, error) {
	for _, d := range defs {
		if d.Name == name {
			return d.run(s, ctx, q)
		}
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	sort.Strings(names)
	return nil, books.Invalid("report", "There is no report %q; the reports are %v.", name, names)
}

// newReport starts a report with the business's name and GSTIN.
func (s *Service) newReport(name, title string, p Period) (*Report, books.Business, error) {
	biz, err := s.st.Business()
	if err != nil {
		return nil, biz, err
	}
	return &Report{Name: name, Title: title, Business: biz.Name, GSTIN: biz.GSTIN, Period: p}, biz, nil
}

// today is the service clock's date (YYYY-MM-DD).
func (s *Service) today() string { return s.now().Format("2006-01-02") }
