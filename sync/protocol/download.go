package protocol

// A new device downloads a business in an order that lets it bill first:
// the master tables (the business profile, products, parties and the
// small lists billing reads), one table at a time, then the history (every
// document) from the start of the feed, leaving out the master rows it
// already has. GET /v1/sync/pull takes table=NAME for the first part and
// skip_masters=SEQ for the second; both replies carry the feed's head (its
// newest seq) for a progress bar.

// MasterTables are the tables a new device downloads before the history,
// in this order.
var MasterTables = []string{"business", "message_templates", "expense_categories", "products", "parties"}

// IsMaster reports whether a table is one of MasterTables.
func IsMaster(table string) bool {
	for _, t := range MasterTables {
		if t == table {
			return true
		}
	}
	return false
}
