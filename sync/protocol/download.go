package protocol

import "strings"

// A new device downloads a business in an order that lets it bill first:
// the master tables (the business profile, staff, products, parties and the
// small lists billing reads), one table at a time, then the history (every
// document) from the start of the feed, leaving out the master rows it
// already has. GET /v1/sync/pull takes table=NAME for the first part and
// skip_tables=A,B,…&skip_until=SEQ for the second (the client names the
// tables it downloaded, so a server that knows other tables leaves out
// only those); both replies carry the feed's head (its newest seq) for a
// progress bar.

// MasterTables are the tables a new device downloads before the history,
// in this order.
var MasterTables = []string{"business", "staff", "message_templates", "expense_categories", "products", "parties"}

// ValidTableName reports whether s can name a synced table in a request:
// 1 to 40 lower-case letters and underscores.
func ValidTableName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_") == ""
}
