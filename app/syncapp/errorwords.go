package syncapp

import "strings"

// errorWords are the words an error report may keep: the everyday English
// of the program's messages and of the errors of the system, the network
// and the database. Any other word (a name of a party, product, person or
// place) becomes "…" (CleanErrorMessage).
var errorWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(errorWordList) {
		m[w] = true
	}
	return m
}()

const errorWordList = `
a an the this that these those it its is are was were be been being has have had do does did done not no nor
and or but if then else than so as at by for from in into of on onto out over to up with without within
about above after again against all any before below between both each few more most other some such only own
same too very can cannot can't could should would will won't may might must need needs shall
i you he she we they me him her us them my your our their what which who whom whose when where why how
there here also just still yet once ever never already now later soon today yesterday tomorrow
one two three first last next new old same another every many much less least
please try again later check set choose pick give add enter type open close save saved saving
read write wrote written load loaded loading make made making create created find found get got put
send sent sending receive received start started stop stopped run running wait waiting use used using
keep kept show shown change changed remove removed delete deleted cancel cancelled canceled undo
allow allowed refuse refused deny denied sign signed signin signout login logout log in out off on
right wrong bad good valid invalid empty full missing unknown known unexpected expected too long short
large small big high low more less above below over under least most between only already yet
zero dues settle deleting saving printing sending owe owes owed error errors failed fail failure panic runtime nil pointer dereference slice bounds range length index problem cannot couldn't unable able while during because since
not found exist exists does doesn't isn't aren't wasn't weren't don't didn't hasn't haven't
file files folder directory path name names disk space permission permissions access read-only locked lock
database db sqlite sql table tables row rows column columns constraint unique foreign key index query
busy corrupt malformed damaged backup backups restore restored copy copies version versions newer older
network connection connect connected disconnected reset refused timeout timed time deadline exceeded
context canceled cancelled dial tcp udp ip dns lookup host no such server servers client request response
status code http https tls certificate handshake proxy url address port unreachable i/o eof unexpected
internal service unavailable gateway too many requests quota limit limits plan plans subscription
token tokens expired revoked device devices register re-register account accounts password passwords
email phone otp staff member members role roles owner manager cashier pin pins override approval
sync synced syncing push pull upload download cursor epoch clock skew ahead behind outbox mutation
business businesses shop counter counters series settings setting printer printers printing print paper
receipt receipts pdf page pages width driver drivers thermal raw escpos usb bluetooth share
bill bills billing invoice invoices number numbers date dates day days month months year years
financial fy period quarter party parties customer customers supplier suppliers walk-in
product products item items sku barcode barcodes hsn sac unit units quantity qty stock price prices
mrp rate rates tax taxes gst gstin cgst sgst igst cess state states code codes place supply
total totals amount amounts balance balances due paid pay payment payments mode cash upi card bank
credit debit note notes return returns purchase purchases expense expenses category categories
discount discounts round off rounding rupee rupees paise money refund refunds advance
cancellation cancellations adjustment adjustments ledger report reports gstr-1 gstr-3b gstr1 gstr3b
export exports import imports csv excel xlsx json xml tally shipping lut sez reverse charge exempt
whatsapp message messages template templates reminder reminders opted opt-out link links payment-link
razorpay meta anthropic assistant ai question questions answer answers model draft drafts
update updates download downloaded install installed restart
customer's party's product's shop's owner's
per each both either neither whole part parts left right top bottom
must be at least most between characters digits letters
`
