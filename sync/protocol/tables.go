package protocol

// Kind says how a table's rows merge.
type Kind int

// Table kinds (DESIGN.md "Offline-first data model").
const (
	KindUnknown  Kind = iota // a table from a newer client: kept as is, merged as a record
	KindRecord               // last writer wins per field by (hlc, device); deletes are tombstones
	KindDocument             // written once: insert if absent
)

var tableKinds = map[string]Kind{
	"business":           KindRecord,
	"products":           KindRecord,
	"parties":            KindRecord,
	"expense_categories": KindRecord,
	"message_templates":  KindRecord,
	"invoices":           KindDocument, // sale invoices and bills of supply, with lines and payments
	"credit_notes":       KindDocument,
	"purchases":          KindDocument,
	"payments":           KindDocument,
	"expenses":           KindDocument,
	"stock_adjustments":  KindDocument,
	"cancellations":      KindDocument,
	"export_details":     KindDocument, // an export invoice's shipping bill, added after the invoice
	"staff":              KindRecord,   // staff members, their roles and PIN hashes (app/staff)
	"staff_overrides":    KindDocument, // a manager's approval of a cashier's override, logged
}

// TableKind returns the kind of a synced table; unknown tables merge as records.
func TableKind(table string) Kind {
	if k, ok := tableKinds[table]; ok {
		return k
	}
	return KindUnknown
}

// KnownTables lists the synced tables this build understands.
func KnownTables() []string {
	out := make([]string, 0, len(tableKinds))
	for t := range tableKinds {
		out = append(out, t)
	}
	return out
}
