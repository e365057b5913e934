// Package staff holds who may do what in a shop: the three roles (owner,
// manager, cashier), the actions the app and the server guard, and the one
// permission table between them. It also holds the staff record that syncs
// between devices, PIN hashing and the lockout rule. It has no I/O, so the
// app, the CLI and the server all read the same table.
package staff

import (
	"fmt"
	"strings"
)

// Role is a staff member's role. Roles are ordered: an owner may do
// everything a manager may, a manager everything a cashier may.
type Role string

// The roles.
const (
	Owner   Role = "owner"
	Manager Role = "manager"
	Cashier Role = "cashier"
)

// Roles lists the roles, most powerful first.
func Roles() []Role { return []Role{Owner, Manager, Cashier} }

// rank orders the roles; an unknown role ranks below every real one.
func (r Role) rank() int {
	switch r {
	case Owner:
		return 3
	case Manager:
		return 2
	case Cashier:
		return 1
	}
	return 0
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Label is the role as a shopkeeper reads it.
func (r Role) Label() string {
	switch r {
	case Owner:
		return "Owner"
	case Manager:
		return "Manager"
	case Cashier:
		return "Cashier"
	}
	return string(r)
}

// AtLeast reports whether r is as powerful as min or more.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.Valid() }

// ParseRole reads a role name (any case).
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", fmt.Errorf("role %q is not one of owner, manager, cashier", s)
	}
	return r, nil
}

// Action is something the app or the server lets only some roles do.
type Action string

// The guarded actions. The counter's everyday work (bill, hold and recall,
// take payments, print, add a customer, see today's own collections) is
// open to every role; the rest is in the table below.
const (
	Bill                Action = "bill"                  // make a sale, hold and recall bills
	TakePayment         Action = "take_payment"          // take a payment from a customer
	Print               Action = "print"                 // print or reprint a document
	AddCustomer         Action = "add_customer"          // add a customer while billing
	TodayOwn            Action = "today_own"             // see today's own collections
	ViewInvoices        Action = "view_invoices"         // look up and reprint issued invoices
	DiscountOverLimit   Action = "discount_over_limit"   // a discount above the cashier's limit
	SellBelowCost       Action = "sell_below_cost"       // a price below the purchase price
	CancelBill          Action = "cancel_bill"           // cancel an issued invoice
	Returns             Action = "returns"               // sales returns (credit notes)
	EditProducts        Action = "edit_products"         // products, prices, stock adjustments, imports
	EditParties         Action = "edit_parties"          // edit or delete customers and suppliers
	Purchases           Action = "purchases"             // purchase bills, supplier payments, expenses
	Reports             Action = "reports"               // every report beyond Today, profit, GST returns, exports
	Settings            Action = "settings"              // business profile, printers, invoice format, backups
	SendBill            Action = "send_bill"             // send a customer their bill on WhatsApp
	SendMessages        Action = "send_messages"         // send reminders and offers on WhatsApp
	AskAI               Action = "ask_ai"                // ask the AI assistant about the books
	ManageStaff         Action = "manage_staff"          // add, change or remove staff
	Devices             Action = "devices"               // list and revoke the business's devices
	SecurityLog         Action = "security_log"          // read the security log
	Plan                Action = "plan"                  // change the plan, pay the subscription
	Privacy             Action = "privacy"               // export or delete the account's data
	DeleteAccount       Action = "delete_account"        // close the account
	ConnectSync         Action = "connect_sync"          // sign this device in to the sync server, or out
	ApproveOverride     Action = "approve_override"      // approve a cashier's override with a PIN
	ViewSecurityDetails Action = "view_security_details" // see other staff's collections and the override log
)

// permission is one row of the table: who may, and whether a cashier may
// do it on the spot with a manager's PIN.
type permission struct {
	action     Action
	min        Role
	overridden bool
	label      string
}

// table is THE permission table: every guarded action with the least role
// that may do it. Screens, menus, shortcuts, the store, the CLI and the
// server all ask Allowed; none of them compares roles itself.
var table = []permission{
	{Bill, Cashier, false, "Bill, hold and recall bills"},
	{TakePayment, Cashier, false, "Take payments"},
	{Print, Cashier, false, "Print and reprint"},
	{AddCustomer, Cashier, false, "Add customers"},
	{TodayOwn, Cashier, false, "See today's own collections"},
	{ViewInvoices, Cashier, false, "Look up issued invoices"},
	{SendBill, Cashier, false, "Send a bill on WhatsApp"},
	{DiscountOverLimit, Manager, true, "Discount above the cashier's limit"},
	{SellBelowCost, Manager, true, "Sell below cost"},
	{CancelBill, Manager, true, "Cancel a bill"},
	{Returns, Manager, false, "Sales returns"},
	{EditProducts, Manager, false, "Products, prices and stock"},
	{EditParties, Manager, false, "Edit customers and suppliers"},
	{Purchases, Manager, false, "Purchases and expenses"},
	{Reports, Manager, false, "All reports, profit, GST returns"},
	{SendMessages, Manager, false, "Send reminders and offers on WhatsApp"},
	{AskAI, Manager, false, "Ask the AI assistant"},
	{ApproveOverride, Manager, false, "Approve a cashier's override"},
	{ViewSecurityDetails, Manager, false, "See everyone's collections and overrides"},
	{Settings, Owner, false, "Settings"},
	{ManageStaff, Owner, false, "Add or remove staff"},
	{Devices, Owner, false, "Devices: list and revoke"},
	{SecurityLog, Owner, false, "Security log"},
	{ConnectSync, Owner, false, "Sign this device in to sync, or out"},
	{Plan, Owner, false, "Change the plan"},
	{Privacy, Owner, false, "Export or delete the account's data"},
	{DeleteAccount, Owner, false, "Delete the account"},
}

var byAction = func() map[Action]permission {
	m := make(map[Action]permission, len(table))
	for _, p := range table {
		if _, dup := m[p.action]; dup {
			panic("staff: action listed twice: " + string(p.action))
		}
		m[p.action] = p
	}
	return m
}()

// Actions lists every guarded action in the table's order (the order
// Settings shows them in).
func Actions() []Action {
	out := make([]Action, len(table))
	for i, p := range table {
		out[i] = p.action
	}
	return out
}

// Known reports whether a is in the table.
func Known(a Action) bool { _, ok := byAction[a]; return ok }

// Allowed reports whether role r may do a. An unknown action or role is
// never allowed.
func Allowed(r Role, a Action) bool {
	p, ok := byAction[a]
	return ok && r.AtLeast(p.min)
}

// Overridable reports whether a cashier may do a with a manager's PIN
// given on the spot (discount above the limit, below cost, cancelling a
// bill).
func Overridable(a Action) bool { return byAction[a].overridden }

// MinRole is the least role that may do a ("" for an unknown action).
func MinRole(a Action) Role { return byAction[a].min }

// Label describes a for the permission table in Settings.
func (a Action) Label() string {
	if p, ok := byAction[a]; ok {
		return p.label
	}
	return string(a)
}

// Denied is the error for an action a role may not do. It says who may.
type Denied struct {
	Role   Role
	Action Action
	Name   string // who tried ("" if nobody is signed in)
}

func (e *Denied) Error() string {
	min := MinRole(e.Action)
	who := "A " + strings.ToLower(e.Role.Label())
	if e.Name != "" {
		who = e.Name + " (" + strings.ToLower(e.Role.Label()) + ")"
	}
	if !e.Role.Valid() {
		return fmt.Sprintf("Sign in first: %s needs a %s.", strings.ToLower(e.Action.Label()), strings.ToLower(min.Label()))
	}
	msg := fmt.Sprintf("%s may not do this: %s needs a %s", who, strings.ToLower(e.Action.Label()), strings.ToLower(min.Label()))
	if min == Manager {
		msg += " or the owner"
	}
	if Overridable(e.Action) {
		msg += "; a manager can approve it with their PIN"
	}
	return msg + "."
}

// Check returns a *Denied when r may not do a, else nil.
func Check(r Role, name string, a Action) error {
	if Allowed(r, a) {
		return nil
	}
	return &Denied{Role: r, Action: a, Name: name}
}
