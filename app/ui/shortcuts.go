package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Action names every keyboard action of the app. Each is declared once in
// Shortcuts below, with its key and label; menus, button hints, tooltips,
// the Help screen and the README table are all made from that list.
type Action string

// The actions.
const (
	ActNewBill    Action = "new-bill"
	ActSaveBill   Action = "save-bill"
	ActHoldBill   Action = "hold-bill"
	ActRecallBill Action = "recall-bill"
	ActLastBill   Action = "last-bill"
	// ActWhatsAppLast sends the bill saved last on WhatsApp.
	ActWhatsAppLast Action = "whatsapp-last-bill"
	ActDeleteLine   Action = "delete-line"
	ActCustomer     Action = "customer"
	ActPayment      Action = "payment"
	ActItemBox      Action = "item-box"
	ActFind         Action = "find"
	ActAdd          Action = "add"

	ActBilling  Action = "go-billing"
	ActInvoices Action = "go-invoices"
	ActProducts Action = "go-products"
	ActParties  Action = "go-parties"
	ActExpenses Action = "go-expenses"
	ActToday    Action = "go-today"
	ActReports  Action = "go-reports"
	ActSettings Action = "go-settings"
	ActHelp     Action = "go-help"
	// ActAssistant shows the AI assistant; ActCopyAnswer and ActOpenDraft
	// work in it.
	ActAssistant  Action = "go-assistant"
	ActCopyAnswer Action = "copy-answer"
	ActOpenDraft  Action = "open-draft"

	ActSwitchUser Action = "switch-user" // lock the counter for the next staff member
)

// Shortcut is one action's key.
type Shortcut struct {
	Action Action
	Label  string // what the menu says (translated with L when shown)
	Key    fyne.KeyName
	Mod    fyne.KeyModifier
	Menu   string // "bill" or "go"; "" shown only in Help
}

// Shortcuts is the one list of keys. Screen keys use Alt+digit and the bill
// keys use Ctrl: both reach the app through main-menu items, which Fyne runs
// before a focused text box can swallow the key. App.Press then gives
// the key to what has the focus: an open form takes Ctrl+S, and no key
// reaches the screen behind a dialog.
var Shortcuts = []Shortcut{
	{ActNewBill, "New bill", fyne.KeyN, fyne.KeyModifierShortcutDefault, "bill"},
	{ActSaveBill, "Save bill", fyne.KeyS, fyne.KeyModifierShortcutDefault, "bill"},
	{ActHoldBill, "Hold bill", fyne.KeyH, fyne.KeyModifierShortcutDefault, "bill"},
	{ActRecallBill, "Recall held bill", fyne.KeyR, fyne.KeyModifierShortcutDefault, "bill"},
	{ActLastBill, "Last bill (reprint or return)", fyne.KeyL, fyne.KeyModifierShortcutDefault, "bill"},
	{ActWhatsAppLast, "Send the last bill on WhatsApp", fyne.KeyW, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, "bill"},
	{ActDeleteLine, "Delete line", fyne.KeyD, fyne.KeyModifierShortcutDefault, "bill"},
	{ActItemBox, "Go to item box", fyne.KeyI, fyne.KeyModifierShortcutDefault, "bill"},
	{ActCustomer, "Customer", fyne.KeyK, fyne.KeyModifierShortcutDefault, "bill"},
	{ActPayment, "Payment", fyne.KeyM, fyne.KeyModifierShortcutDefault, "bill"},
	{ActFind, "Search", fyne.KeyF, fyne.KeyModifierShortcutDefault, "edit"},
	{ActAdd, "Add new (product, party, expense)", fyne.KeyE, fyne.KeyModifierShortcutDefault, "edit"},

	{ActBilling, "Billing", fyne.Key1, fyne.KeyModifierAlt, "go"},
	{ActInvoices, "Invoices", fyne.Key2, fyne.KeyModifierAlt, "go"},
	{ActProducts, "Products and stock", fyne.Key3, fyne.KeyModifierAlt, "go"},
	{ActParties, "Parties", fyne.Key4, fyne.KeyModifierAlt, "go"},
	{ActExpenses, "Expenses", fyne.Key5, fyne.KeyModifierAlt, "go"},
	{ActToday, "Today", fyne.Key6, fyne.KeyModifierAlt, "go"},
	{ActReports, "Reports", fyne.Key7, fyne.KeyModifierAlt, "go"},
	{ActSettings, "Settings", fyne.Key8, fyne.KeyModifierAlt, "go"},
	{ActHelp, "Help and shortcuts", fyne.Key9, fyne.KeyModifierAlt, "go"},
	{ActAssistant, "AI assistant", fyne.Key0, fyne.KeyModifierAlt, "go"},
	{ActCopyAnswer, "Copy the assistant's answer", fyne.KeyC, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, "edit"},
	{ActOpenDraft, "Open the assistant's draft (bill or reminder)", fyne.KeyO, fyne.KeyModifierShortcutDefault, "edit"},
	{ActSwitchUser, "Switch user (lock the counter)", fyne.KeyU, fyne.KeyModifierShortcutDefault, "go"},
}

// ShortcutFor returns the shortcut of an action.
func ShortcutFor(a Action) Shortcut {
	for _, s := range Shortcuts {
		if s.Action == a {
			return s
		}
	}
	return Shortcut{Action: a}
}

// Fyne returns the desktop shortcut Fyne matches against key presses.
func (s Shortcut) Fyne() *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: s.Key, Modifier: s.Mod}
}

// KeyText is how the key is written for people: "Ctrl+S", "Alt+1".
func (s Shortcut) KeyText() string {
	if s.Key == "" {
		return ""
	}
	var parts []string
	if s.Mod&fyne.KeyModifierControl != 0 {
		parts = append(parts, "Ctrl")
	}
	if s.Mod&fyne.KeyModifierSuper != 0 {
		parts = append(parts, "Cmd")
	}
	if s.Mod&fyne.KeyModifierAlt != 0 {
		parts = append(parts, "Alt")
	}
	if s.Mod&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	return strings.Join(append(parts, string(s.Key)), "+")
}

// Hint is a label with its key, for buttons and tooltips: "Save bill (Ctrl+S)".
func Hint(a Action) string {
	s := ShortcutFor(a)
	return L(s.Label) + " (" + s.KeyText() + ")"
}

// OtherKeys are keys that are not menu shortcuts: they work in the screens'
// own boxes. Listed in Help and the README with the shortcuts above.
var OtherKeys = [][2]string{
	{"Enter", "In the item box: add the scanned barcode or SKU (again adds one more); with matches shown, add the highlighted match"},
	{"3*CODE Enter", "Add three of an item at once"},
	{"Up / Down", "Move through matches in the item box, or between lines in the bill grid"},
	{"Tab / Shift+Tab", "Move between quantity, price and discount of a line"},
	{"Ctrl+S / Enter in a form", "Save the open form (product, party, payment, …); the bill behind it is not touched. While a form is open, no other key reaches the screen behind it"},
	{"Esc", "Close the dialog (the bill stays as it is); in the item box, clear the text"},
	{"Enter / Esc in the AI assistant", "Enter asks the question; Esc stops the answer being written"},
}
