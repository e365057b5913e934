package printing

import (
	"context"

	"github.com/ainaukar/naukar/app/books"
)

// Books is what printing a stored bill needs from the books; *store.Store
// has it all.
type Books interface {
	MetaStore
	Business() (books.Business, error)
	Invoice(idOrNumber string) (*books.Invoice, bool, error)
}

// PayLinks is what books with online payment links have (*store.Store):
// the address an invoice is paid at online, "" when none waits.
type PayLinks interface {
	PayLinkURL(invoiceID string) (string, error)
}

// PrintStored prints the saved invoice number as this counter's settings
// say (printer, paper, raw receipt printer, logo), with no dialog: the
// counter app's Print key and auto-print after saving. It returns the
// print queue's job id (empty for raw printers).
func PrintStored(ctx context.Context, b Books, number string) (string, error) {
	inv, cancelled, err := b.Invoice(number)
	if err != nil {
		return "", err
	}
	set, err := LoadSettings(b)
	if err != nil {
		return "", err
	}
	logo, err := set.LoadLogo()
	if err != nil {
		return "", err
	}
	opt := Options{Logo: logo, Cancelled: cancelled}
	if pl, ok := b.(PayLinks); ok {
		if opt.PayLink, err = pl.PayLinkURL(inv.ID); err != nil {
			return "", err
		}
	}
	if biz, err := b.Business(); err == nil {
		opt.Business = &biz
	}
	return PrintInvoice(ctx, inv, set, opt)
}
