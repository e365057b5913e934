package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/ui"
)

// TestStockStillLoadingOnANewCounter: while a new counter's history is
// still downloading, billing works but its stock figures are not final:
// selling more than the partial stock gives no below-zero warning. Once
// the history is in, it warns again.
func TestStockStillLoadingOnANewCounter(t *testing.T) {
	h := demoHarness(t)
	b := h.App.Billing
	if err := h.Books.ReadyToBill(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := h.product(5)
	stock, _ := h.Books.StockOnHand(p.ID)
	h.scan(gst.FormatQty(stock+1000) + "*" + p.SKU)
	h.settle("line", func() bool { return len(b.Bill.Lines) == 1 })
	if msg := b.ItemMessage(); strings.Contains(msg, "below zero") {
		t.Fatalf("a warning from stock not known yet: %q", msg)
	}
	h.press(ui.ActDeleteLine)
	if !b.Bill.Empty() {
		t.Fatal("line not deleted")
	}

	if err := h.Books.EndPull(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h.Books.HistoryLoading() {
		t.Fatal("still loading after the history is in")
	}
	h.scan(gst.FormatQty(stock+1000) + "*" + p.SKU)
	h.settle("line", func() bool { return b.ItemMessage() != "" })
	if !strings.Contains(b.ItemMessage(), "below zero") {
		t.Fatalf("no stock warning once the history is in: %q", b.ItemMessage())
	}
}
