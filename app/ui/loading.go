package ui

import (
	"math"
	"strings"

	"github.com/ainaukar/naukar/app/gst"
)

// historyLoader is what books tell while a new counter's history is still
// downloading (*store.Store does): stock and balances are not final then.
type historyLoader interface{ HistoryLoading() bool }

// stockLoading reports whether stock shown would not be final yet.
func (a *App) stockLoading() bool {
	h, ok := a.Books.(historyLoader)
	return ok && h.HistoryLoading()
}

// unknownStock stands for stock not known yet on a bill line: no warning
// that the sale takes it below zero.
const unknownStock = math.MaxInt64 / 4

// stockText is a stock figure as a screen shows it: "still loading" while
// the history that makes it is still downloading.
func (a *App) stockText(qty int64, unit string) string {
	if a.stockLoading() {
		return L("stock still loading")
	}
	return strings.TrimSpace(gst.FormatQty(qty) + " " + unit)
}
