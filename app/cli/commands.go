package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/importer"
	"github.com/ainaukar/naukar/app/store"
)

func init() {
	register("init", "init --name NAME --state CODE [--gstin GSTIN] [--address …] [--phone …] [--upi ID] [--prefix INV] [--composition]", cmdInit)
	register("business show", "business show [--json]", cmdBusinessShow)
	register("business set", "business set [--name NAME] [--gstin GSTIN] [--state CODE] [--address …] [--city …] [--phone …] [--upi ID] [--prefix INV] [--composition]", cmdBusinessSet)
	register("product add", "product add --name NAME --price RUPEES --gst RATE [--sku …] [--barcode …] [--hsn …] [--unit NOS] [--incl] [--stock QTY]", cmdProductAdd)
	register("product search", "product search TEXT [--limit 20] [--json]", cmdProductSearch)
	register("import products", "import products FILE.csv", cmdImportProducts)
	register("import parties", "import parties FILE.csv", cmdImportParties)
	register("sell", "sell --json FILE|-", cmdSell)
	register("invoice list", "invoice list [--from DATE] [--to DATE] [--q TEXT] [--limit N] [--json]", cmdInvoiceList)
	register("invoice show", "invoice show NUMBER [--json]", cmdInvoiceShow)
	register("invoice cancel", "invoice cancel NUMBER --reason TEXT [--date DATE]", cmdInvoiceCancel)
	register("invoice export-details", "invoice export-details NUMBER --port CODE --sb-num NUMBER --sb-date DATE [--date DATE]", cmdInvoiceExportDetails)
	register("return", "return --invoice NUMBER --line N:QTY [--line …] [--reason TEXT] [--refund MODE:AMOUNT] [--no-restock] [--date DATE]", cmdReturn)
	register("purchase", "purchase --json FILE|-", cmdPurchase)
	register("pay", "pay --party NAME|PHONE --amount RUPEES [--out] [--mode cash|upi|card|bank] [--note …] [--date DATE]", cmdPay)
	register("expense", "expense --category NAME --amount RUPEES [--mode cash] [--note …] [--date DATE]", cmdExpense)
	register("stock", "stock [SKU|BARCODE] [--low] [--json]", cmdStock)
	register("stock adjust", "stock adjust SKU --qty ±QTY --reason TEXT", cmdStockAdjust)
	register("party add", "party add --name NAME [--kind customer|supplier] [--phone …] [--gstin …] [--state CODE] [--opening RUPEES]", cmdPartyAdd)
	register("party balance", "party balance [NAME|PHONE] [--json]", cmdPartyBalance)
}

// businessFlags binds the business profile's flags (init and business set
// take the same ones).
func businessFlags(fs *flag.FlagSet, b *books.Business) {
	fs.StringVar(&b.Name, "name", b.Name, "business name (required)")
	fs.StringVar(&b.StateCode, "state", b.StateCode, "state code, e.g. 27 for Maharashtra (required; taken from the GSTIN if given)")
	fs.StringVar(&b.GSTIN, "gstin", b.GSTIN, "GSTIN; leave out if not registered")
	fs.StringVar(&b.Address, "address", b.Address, "address")
	fs.StringVar(&b.City, "city", b.City, "city")
	fs.StringVar(&b.Pincode, "pincode", b.Pincode, "PIN code")
	fs.StringVar(&b.Phone, "phone", b.Phone, "phone")
	fs.StringVar(&b.Email, "email", b.Email, "email")
	fs.StringVar(&b.UPI, "upi", b.UPI, "UPI id for payment QR codes, e.g. shop@okicici")
	fs.StringVar(&b.InvoicePrefix, "prefix", b.InvoicePrefix, "invoice number prefix")
	fs.BoolVar(&b.Composition, "composition", b.Composition, "composition dealer: issue bills of supply")
}

func cmdInit(env *Env, args []string) error {
	fs := newFlags(env, "init", "init --name NAME --state CODE [--gstin GSTIN] [--address …]")
	b := books.Business{InvoicePrefix: "INV"}
	businessFlags(fs, &b)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openBooks(env)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Init(b); err != nil {
		return err
	}
	biz, _ := s.Business()
	fmt.Fprintf(env.Stdout, "Books for %s are ready at %s (state %s, invoice series %s).\n", biz.Name, env.Books, biz.StateCode, s.Series())
	return nil
}

// cmdBusinessSet changes the business profile: only the flags given, with
// the same checks as init.
func cmdBusinessSet(env *Env, args []string) error {
	fs := newFlags(env, "business set", "business set [--name NAME] [--gstin GSTIN] [--state CODE] [--address …] [--upi ID] [--prefix INV] [--composition=false] …")
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			businessFlags(fs, &books.Business{})
			return parse(fs, args)
		}
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := s.Business()
	if err != nil {
		return err
	}
	businessFlags(fs, &b)
	if err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(given) == 0 {
		return usagef("say what to change, e.g. naukar business set --upi shop@okicici (naukar business set --help lists the fields)")
	}
	if given["gstin"] && !given["state"] {
		b.StateCode = "" // the state follows the new GSTIN
	}
	if err := s.SaveBusiness(b); err != nil {
		return err
	}
	return printBusiness(env, s)
}

func cmdBusinessShow(env *Env, args []string) error {
	fs := newFlags(env, "business show", "business show [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := s.Business()
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, b)
	}
	return printBusiness(env, s)
}

// printBusiness shows the business profile in plain text.
func printBusiness(env *Env, s *store.Store) error {
	b, err := s.Business()
	if err != nil {
		return err
	}
	name, _ := gst.StateName(b.StateCode)
	fmt.Fprintf(env.Stdout, "%s\nGSTIN: %s\nState: %s %s\nAddress: %s\nPhone: %s\nUPI: %s\nInvoice prefix: %s\nSeries: %s\n",
		b.Name, orDash(b.GSTIN), b.StateCode, name, orDash(strings.TrimSpace(strings.Join(nonEmpty(b.Address, b.City, b.Pincode), ", "))),
		orDash(b.Phone), orDash(b.UPI), b.InvoicePrefix, s.Series())
	if b.Composition {
		fmt.Fprintln(env.Stdout, "Composition dealer: bills of supply")
	}
	return nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// modeName is a payment mode as people write it: "Cash", "UPI".
func modeName(m string) string {
	switch m {
	case books.ModeUPI:
		return "UPI"
	case books.ModeBank:
		return "Bank"
	}
	if m == "" {
		return m
	}
	return strings.ToUpper(m[:1]) + m[1:]
}

// amountOrDash is an amount, or "-" for none.
func amountOrDash(v int64) string {
	if v == 0 {
		return "-"
	}
	return gst.FormatAmount(v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func cmdProductAdd(env *Env, args []string) error {
	fs := newFlags(env, "product add", "product add --name NAME --price RUPEES --gst RATE [flags]")
	var p books.Product
	var price, rate, stock, purchase, barcodes string
	fs.StringVar(&p.Name, "name", "", "product name (required)")
	fs.StringVar(&price, "price", "", "sale price in rupees (required)")
	fs.StringVar(&rate, "gst", "", "GST rate in percent, e.g. 18 (required)")
	fs.StringVar(&p.SKU, "sku", "", "SKU")
	fs.StringVar(&barcodes, "barcode", "", "barcode(s), comma separated")
	fs.StringVar(&p.HSN, "hsn", "", "HSN/SAC code")
	fs.StringVar(&p.Unit, "unit", "NOS", "unit (UQC)")
	fs.BoolVar(&p.PriceIncludesTax, "incl", false, "the price includes GST")
	fs.StringVar(&stock, "stock", "0", "opening stock")
	fs.StringVar(&purchase, "cost", "0", "purchase price in rupees")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if p.SalePrice, err = gst.ParseAmount(price); err != nil {
		return books.Invalid("price", "--price: %s", err.Error())
	}
	if p.GSTRate, err = gst.ParseRate(rate); err != nil {
		return books.Invalid("gst", "--gst: %s", err.Error())
	}
	if p.OpeningStock, err = gst.ParseQty(stock); err != nil {
		return books.Invalid("stock", "--stock: %s", err.Error())
	}
	if p.PurchasePrice, err = gst.ParseAmount(purchase); err != nil {
		return books.Invalid("cost", "--cost: %s", err.Error())
	}
	if barcodes != "" {
		p.Barcodes = strings.Split(barcodes, ",")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.SaveProduct(p)
	if err != nil {
		return err
	}
	saved, err := s.Product(id)
	if err != nil {
		return err
	}
	incl := "+ GST"
	if saved.PriceIncludesTax {
		incl = "incl. GST"
	}
	fmt.Fprintf(env.Stdout, "Added %s: %s %s at %s%%", saved.Name, gst.FormatINR(saved.SalePrice), incl, saved.GSTRate)
	if saved.SKU != "" {
		fmt.Fprintf(env.Stdout, ", SKU %s", saved.SKU)
	}
	if len(saved.Barcodes) > 0 {
		fmt.Fprintf(env.Stdout, ", barcode %s", strings.Join(saved.Barcodes, ", "))
	}
	fmt.Fprintf(env.Stdout, ", opening stock %s %s (id %s).\n", gst.FormatQty(saved.OpeningStock), saved.Unit, id)
	return nil
}

func cmdProductSearch(env *Env, args []string) error {
	fs := newFlags(env, "product search", "product search TEXT [--limit 20] [--json]")
	limit := fs.Int("limit", 20, "most results")
	asJSON := fs.Bool("json", false, "print JSON")
	q, rest := leadingArg(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if q == "" {
		q = strings.Join(fs.Args(), " ")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	hits, err := s.SearchProducts(q, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		type hit struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			SKU   string `json:"sku,omitempty"`
			Price money  `json:"sale_price"`
			Stock qty    `json:"stock"`
		}
		out := make([]hit, len(hits))
		for i, h := range hits {
			out[i] = hit{h.ID, h.Name, h.SKU, money(h.SalePrice), qty(h.Stock)}
		}
		return printJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	for _, h := range hits {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.SKU, h.Name, gst.FormatINR(h.SalePrice), gst.FormatQty(h.Stock))
	}
	return tw.Flush()
}

// leadingArg splits off a first positional argument given before flags.
func leadingArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// decimal accepts a JSON number or string ("1.5", 1.5) and keeps its text.
type decimal string

func (d *decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimal(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a number, got %s", b)
	}
	*d = decimal(n.String())
	return nil
}

type saleInput struct {
	Date          string               `json:"date"`
	Party         *books.PartySnapshot `json:"party"`
	PlaceOfSupply string               `json:"place_of_supply"`
	ReverseCharge bool                 `json:"reverse_charge"`
	// ZeroRated: export_igst, export_lut, sez_igst or sez_lut.
	ZeroRated    string              `json:"zero_rated"`
	ShippingBill *books.ShippingBill `json:"shipping_bill"`
	// Not supported: refused with a message that says so.
	ECommerceGSTIN string `json:"ecommerce_gstin"`
	Advance        bool   `json:"advance"`
	Notes          string `json:"notes"`
	Lines          []struct {
		SKU         string   `json:"sku"`
		Barcode     string   `json:"barcode"`
		ProductID   string   `json:"product_id"`
		Qty         decimal  `json:"qty"`
		Price       *decimal `json:"price"`
		DiscountPct decimal  `json:"discount_pct"`
	} `json:"lines"`
	Payments []paymentInput `json:"payments"`
}

type paymentInput struct {
	Mode   string  `json:"mode"`
	Amount decimal `json:"amount"`
	Ref    string  `json:"ref"`
}

func decodeStrict(data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return books.Invalid("json", "The %s JSON is not valid: %v", what, err)
	}
	return nil
}

func parsePayments(in []paymentInput, field string) ([]books.PaymentPart, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]books.PaymentPart, 0, len(in))
	for i, p := range in {
		amt, err := gst.ParseAmount(string(p.Amount))
		if err != nil {
			return nil, books.Invalid(fmt.Sprintf("%s[%d].amount", field, i), "%s[%d].amount: %s", field, i, err.Error())
		}
		out = append(out, books.PaymentPart{Mode: p.Mode, Amount: amt, Ref: p.Ref})
	}
	return out, nil
}

func parseDateOr(s string, def time.Time) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	return books.ParseDate(s)
}

// resolveLine finds the product a JSON line names.
func resolveLine(s *store.Store, i int, sku, barcode, id string) (books.Product, error) {
	switch {
	case id != "":
		p, err := s.Product(id)
		if err == nil && p.Deleted {
			return p, books.Invalid(fmt.Sprintf("lines[%d]", i), "Line %d: product %s (%s) was deleted.", i+1, p.Name, id)
		}
		if err != nil {
			return p, books.Invalid(fmt.Sprintf("lines[%d]", i), "Line %d: %s", i+1, books.ErrorMessage(err))
		}
		return p, nil
	case barcode != "" || sku != "":
		code := barcode
		if code == "" {
			code = sku
		}
		p, err := s.ProductByCode(code)
		if err != nil {
			return p, books.Invalid(fmt.Sprintf("lines[%d]", i), "Line %d: %s", i+1, books.ErrorMessage(err))
		}
		return p, nil
	}
	return books.Product{}, books.Invalid(fmt.Sprintf("lines[%d]", i), "Line %d names no product: give sku, barcode or product_id.", i+1)
}

func cmdSell(env *Env, args []string) error {
	fs := newFlags(env, "sell", "sell --json FILE|-   (the sale as JSON; see README)")
	file := fs.String("json", "", "file with the sale as JSON, or - for standard input (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usagef("give the sale with --json FILE (or --json - to read standard input)")
	}
	data, err := readInput(env, *file)
	if err != nil {
		return err
	}
	var in saleInput
	if err := decodeStrict(data, &in, "sale"); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &books.SaleDraft{Party: in.Party, PlaceOfSupply: in.PlaceOfSupply, ReverseCharge: in.ReverseCharge, Notes: in.Notes,
		ShippingBill: in.ShippingBill, ECommerceGSTIN: strings.TrimSpace(in.ECommerceGSTIN), Advance: in.Advance}
	if d.Date, err = parseDateOr(in.Date, s.Now()); err != nil {
		return err
	}
	if d.ZeroRated, err = gst.ParseZeroRated(in.ZeroRated); err != nil {
		return books.Invalid("zero_rated", "zero_rated: %s.", err.Error())
	}
	for i, l := range in.Lines {
		p, err := resolveLine(s, i, l.SKU, l.Barcode, l.ProductID)
		if err != nil {
			return err
		}
		dl := books.DraftLine{ProductID: p.ID, Product: p}
		if dl.Qty, err = gst.ParseQty(string(l.Qty)); err != nil {
			return books.Invalid(fmt.Sprintf("lines[%d].qty", i), "Line %d qty: %s", i+1, err.Error())
		}
		if l.Price != nil {
			v, err := gst.ParseAmount(string(*l.Price))
			if err != nil {
				return books.Invalid(fmt.Sprintf("lines[%d].price", i), "Line %d price: %s", i+1, err.Error())
			}
			dl.Price = &v
		}
		if l.DiscountPct != "" {
			bp, err := gst.ParseRate(string(l.DiscountPct))
			if err != nil {
				return books.Invalid(fmt.Sprintf("lines[%d].discount_pct", i), "Line %d discount_pct: %s", i+1, err.Error())
			}
			dl.DiscountBP = int64(bp)
		}
		d.Lines = append(d.Lines, dl)
	}
	if d.Payments, err = parsePayments(in.Payments, "payments"); err != nil {
		return err
	}
	inv, err := s.CreateSale(context.Background(), d)
	if err != nil {
		return err
	}
	return printJSON(env.Stdout, viewInvoice(inv, false))
}

func cmdInvoiceList(env *Env, args []string) error {
	fs := newFlags(env, "invoice list", "invoice list [--from DATE] [--to DATE] [--q TEXT] [--limit N] [--json]")
	var f store.InvoiceFilter
	fs.StringVar(&f.From, "from", "", "first date (YYYY-MM-DD)")
	fs.StringVar(&f.To, "to", "", "last date (YYYY-MM-DD)")
	fs.StringVar(&f.Query, "q", "", "invoice number or party name")
	fs.IntVar(&f.Limit, "limit", 100, "most invoices")
	asJSON := fs.Bool("json", false, "print JSON (full invoices)")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, d := range []*string{&f.From, &f.To} {
		if *d != "" {
			t, err := books.ParseDate(*d)
			if err != nil {
				return err
			}
			*d = t.Format(books.DateLayout)
		}
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.ListInvoices(f)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]invoiceView, 0, len(rows))
		for _, r := range rows {
			inv, c, err := s.Invoice(r.ID)
			if err != nil {
				return err
			}
			out = append(out, viewInvoice(inv, c))
		}
		return printJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	for _, r := range rows {
		status := ""
		if r.Cancelled {
			status = "CANCELLED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Number, gst.FormatDate(r.Date), orDash(r.PartyName), gst.FormatINR(r.GrandTotal), status)
	}
	return tw.Flush()
}

func cmdInvoiceShow(env *Env, args []string) error {
	fs := newFlags(env, "invoice show", "invoice show NUMBER [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if num == "" {
		return usagef("say which invoice: naukar invoice show NUMBER")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	inv, c, err := s.Invoice(num)
	if err != nil {
		return err
	}
	v := viewInvoice(inv, c)
	if v.ShippingBill, err = s.ShippingBill(inv); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, v)
	}
	title := "TAX INVOICE"
	if inv.Kind == books.BillOfSupply {
		title = "BILL OF SUPPLY"
	}
	fmt.Fprintf(env.Stdout, "%s %s  %s", title, inv.Number, gst.FormatDate(inv.Date))
	if c {
		fmt.Fprint(env.Stdout, "  CANCELLED")
	}
	fmt.Fprintln(env.Stdout)
	if inv.Party != nil {
		fmt.Fprintf(env.Stdout, "To: %s %s\n", inv.Party.Name, inv.Party.GSTIN)
	}
	fmt.Fprintf(env.Stdout, "Place of supply: %s-%s (%s)\n", inv.PlaceOfSupply, v.PlaceOfSupplyName, inv.SupplyType)
	if inv.ZeroRated != "" {
		fmt.Fprintf(env.Stdout, "%s. %s\n", inv.ZeroRated.Label(), inv.ZeroRated.Declaration())
	}
	if sb := v.ShippingBill; sb != nil {
		fmt.Fprintf(env.Stdout, "Shipping bill %s of %s, port %s\n", sb.Number, gst.FormatDate(sb.Date), sb.PortCode)
	} else if inv.ZeroRated.Export() {
		fmt.Fprintf(env.Stdout, "Shipping bill not yet recorded: naukar invoice export-details %s --port CODE --sb-num NUMBER --sb-date DATE\n", inv.Number)
	}
	if inv.ReverseCharge {
		fmt.Fprintf(env.Stdout, "Reverse charge: the recipient pays the tax of %s to the government.\n", gst.FormatINR(inv.Tax()))
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "#\tItem\tQty\tRate\tDisc\tTaxable\tGST%\tTax\tTotal\t")
	for i, l := range inv.Lines {
		fmt.Fprintf(tw, "%d\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", i+1, l.Name, gst.FormatQty(l.Qty), l.Unit, gst.FormatAmount(l.Price),
			amountOrDash(l.Discount), gst.FormatAmount(l.Taxable), l.Rate.String(), gst.FormatAmount(l.CGST+l.SGST+l.IGST+l.Cess), gst.FormatAmount(l.Total))
	}
	tw.Flush()
	var disc int64
	for _, l := range inv.Lines {
		disc += l.Discount
	}
	if disc != 0 {
		fmt.Fprintf(env.Stdout, "Discount %s\n", gst.FormatINR(disc))
	}
	fmt.Fprintf(env.Stdout, "Taxable %s  CGST %s  SGST %s  IGST %s  Cess %s  Round off %s\nTotal %s\n%s\n",
		gst.FormatINR(inv.Taxable), gst.FormatINR(inv.CGST), gst.FormatINR(inv.SGST), gst.FormatINR(inv.IGST),
		gst.FormatINR(inv.Cess), gst.FormatINR(inv.RoundOff), gst.FormatINR(inv.GrandTotal), gst.AmountInWords(inv.GrandTotal))
	var pays []string
	for _, p := range inv.Payments {
		if p.Mode != books.ModeCredit {
			pays = append(pays, modeName(p.Mode)+" "+gst.FormatINR(p.Amount))
		}
	}
	paid := "Paid " + gst.FormatINR(inv.Paid)
	if len(pays) > 0 {
		paid += " (" + strings.Join(pays, ", ") + ")"
	}
	fmt.Fprintf(env.Stdout, "%s  Due %s\n", paid, gst.FormatINR(inv.Due()))
	return nil
}

func cmdInvoiceCancel(env *Env, args []string) error {
	fs := newFlags(env, "invoice cancel", "invoice cancel NUMBER --reason TEXT [--date DATE]")
	reason := fs.String("reason", "", "why the invoice is cancelled (required)")
	date := fs.String("date", "", "date of cancellation (default today)")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if num == "" {
		return usagef("say which invoice: naukar invoice cancel NUMBER --reason TEXT")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := parseDateOr(*date, s.Now())
	if err != nil {
		return err
	}
	c, err := s.CancelInvoice(context.Background(), num, *reason, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Invoice %s cancelled on %s.\n", c.DocNumber, gst.FormatDate(c.Date))
	return nil
}

func cmdInvoiceExportDetails(env *Env, args []string) error {
	const line = "invoice export-details NUMBER --port CODE --sb-num NUMBER --sb-date DATE [--date DATE]"
	fs := newFlags(env, "invoice export-details", line)
	var sb books.ShippingBill
	fs.StringVar(&sb.PortCode, "port", "", "the customs port code the goods leave from, 6 letters or digits like INNSA1 (required)")
	fs.StringVar(&sb.Number, "sb-num", "", "the shipping bill number, up to 7 digits (required)")
	fs.StringVar(&sb.Date, "sb-date", "", "the shipping bill date, YYYY-MM-DD (required)")
	date := fs.String("date", "", "date of this record (default today)")
	num, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if num == "" {
		return usagef("say which export invoice: naukar %s", line)
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := parseDateOr(*date, s.Now())
	if err != nil {
		return err
	}
	e, err := s.AddExportDetails(context.Background(), num, sb, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Invoice %s: shipping bill %s of %s, port %s recorded.\n", e.InvoiceNumber, e.ShippingBill.Number, gst.FormatDate(e.ShippingBill.Date), e.ShippingBill.PortCode)
	return nil
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdReturn(env *Env, args []string) error {
	fs := newFlags(env, "return", "return --invoice NUMBER --line N:QTY [--line …] [--reason TEXT] [--refund MODE:AMOUNT] [--no-restock]")
	invNum := fs.String("invoice", "", "the invoice the goods were sold on (required)")
	var lines, refunds listFlag
	fs.Var(&lines, "line", "invoice line number and quantity returned, e.g. 2:1.5 (repeat for more lines)")
	fs.Var(&refunds, "refund", "money paid back, e.g. cash:120.00 (repeat to split); default: walk-in refunded in cash, a party's account credited")
	reason := fs.String("reason", "", "reason for the return")
	noRestock := fs.Bool("no-restock", false, "returned goods do not go back into stock (damaged)")
	date := fs.String("date", "", "date of the credit note (default today)")
	asJSON := fs.Bool("json", true, "print the credit note as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *invNum == "" || len(lines) == 0 {
		return usagef("give --invoice NUMBER and at least one --line N:QTY")
	}
	in := store.ReturnInput{Invoice: *invNum, Reason: *reason, Restock: !*noRestock}
	for _, l := range lines {
		n, q, ok := strings.Cut(l, ":")
		var idx int
		if _, err := fmt.Sscanf(n, "%d", &idx); err != nil || !ok {
			return usagef("--line %q must look like 2:1.5 (line number:quantity)", l)
		}
		qv, err := gst.ParseQty(q)
		if err != nil {
			return usagef("--line %q: %s", l, err.Error())
		}
		in.Items = append(in.Items, books.ReturnLine{Index: idx - 1, Qty: qv})
	}
	for _, r := range refunds {
		m, a, ok := strings.Cut(r, ":")
		amt, err := gst.ParseAmount(a)
		if !ok || err != nil {
			return usagef("--refund %q must look like cash:120.00", r)
		}
		in.Refunds = append(in.Refunds, books.PaymentPart{Mode: m, Amount: amt})
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	if in.Date, err = parseDateOr(*date, s.Now()); err != nil {
		return err
	}
	cn, err := s.CreateReturn(context.Background(), in)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, viewCreditNote(cn))
	}
	fmt.Fprintf(env.Stdout, "Credit note %s for %s.\n", cn.Number, gst.FormatINR(cn.GrandTotal))
	return nil
}

type purchaseInput struct {
	Date       string               `json:"date"`
	BillNumber string               `json:"bill_number"`
	Party      *books.PartySnapshot `json:"party"`
	// ReverseCharge: the shop pays the tax on this bill itself.
	ReverseCharge bool `json:"reverse_charge"`
	Lines         []struct {
		SKU       string  `json:"sku"`
		Barcode   string  `json:"barcode"`
		ProductID string  `json:"product_id"`
		Qty       decimal `json:"qty"`
		Price     decimal `json:"price"`
	} `json:"lines"`
	Payments []paymentInput `json:"payments"`
}

func cmdPurchase(env *Env, args []string) error {
	fs := newFlags(env, "purchase", "purchase --json FILE|-   ({date, bill_number, party{name,gstin,state_code}, lines[{sku,qty,price}], payments})")
	file := fs.String("json", "", "file with the purchase bill as JSON, or - for standard input (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usagef("give the purchase with --json FILE (or --json -)")
	}
	data, err := readInput(env, *file)
	if err != nil {
		return err
	}
	var in purchaseInput
	if err := decodeStrict(data, &in, "purchase"); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &books.PurchaseDraft{BillNumber: in.BillNumber, Party: in.Party, ReverseCharge: in.ReverseCharge}
	if d.Date, err = parseDateOr(in.Date, s.Now()); err != nil {
		return err
	}
	for i, l := range in.Lines {
		p, err := resolveLine(s, i, l.SKU, l.Barcode, l.ProductID)
		if err != nil {
			return err
		}
		dl := books.DraftLine{ProductID: p.ID, Product: p}
		if dl.Qty, err = gst.ParseQty(string(l.Qty)); err != nil {
			return books.Invalid("qty", "Line %d qty: %s", i+1, err.Error())
		}
		if l.Price != "" {
			v, err := gst.ParseAmount(string(l.Price))
			if err != nil {
				return books.Invalid("price", "Line %d price: %s", i+1, err.Error())
			}
			dl.Price = &v
		}
		d.Lines = append(d.Lines, dl)
	}
	if d.Payments, err = parsePayments(in.Payments, "payments"); err != nil {
		return err
	}
	p, err := s.CreatePurchase(context.Background(), d)
	if err != nil {
		return err
	}
	return printJSON(env.Stdout, viewPurchase(p))
}

func cmdPay(env *Env, args []string) error {
	fs := newFlags(env, "pay", "pay --party NAME|PHONE --amount RUPEES [--out] [--mode cash] [--note …] [--date DATE]")
	party := fs.String("party", "", "party name or phone (required)")
	amount := fs.String("amount", "", "amount in rupees (required)")
	out := fs.Bool("out", false, "money paid to the party (default: received from them)")
	mode := fs.String("mode", "cash", "cash, upi, card or bank")
	note := fs.String("note", "", "note")
	date := fs.String("date", "", "date (default today)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *party == "" || *amount == "" {
		return usagef("give --party and --amount")
	}
	amt, err := gst.ParseAmount(*amount)
	if err != nil {
		return books.Invalid("amount", "--amount: %s", err.Error())
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.FindParty(*party)
	if err != nil {
		return err
	}
	pay := books.Payment{Direction: books.PaymentIn, Party: &books.PartySnapshot{ID: p.ID}, Mode: *mode, Amount: amt, Note: *note}
	if *out {
		pay.Direction = books.PaymentOut
	}
	if *date != "" {
		d, err := books.ParseDate(*date)
		if err != nil {
			return err
		}
		pay.Date = d.Format(books.DateLayout)
	}
	if _, err := s.RecordPayment(context.Background(), pay); err != nil {
		return err
	}
	bal, err := s.PartyBalance(p.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Recorded %s %s %s. %s balance: %s\n", gst.FormatINR(amt), map[bool]string{true: "paid to", false: "received from"}[*out], p.Name, p.Name, describeBalance(bal))
	return nil
}

func describeBalance(b int64) string {
	switch {
	case b > 0:
		return gst.FormatINR(b) + " to receive"
	case b < 0:
		return gst.FormatINR(-b) + " to pay"
	}
	return "settled"
}

func cmdExpense(env *Env, args []string) error {
	fs := newFlags(env, "expense", "expense --category NAME --amount RUPEES [--mode cash] [--note …] [--date DATE]")
	var e books.Expense
	var amount, date string
	fs.StringVar(&e.Category, "category", "", "category, e.g. Rent (required)")
	fs.StringVar(&amount, "amount", "", "amount in rupees (required)")
	fs.StringVar(&e.Mode, "mode", "cash", "cash, upi, card or bank")
	fs.StringVar(&e.Note, "note", "", "note")
	fs.StringVar(&date, "date", "", "date (default today)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if amount == "" {
		return usagef("give --amount")
	}
	var err error
	if e.Amount, err = gst.ParseAmount(amount); err != nil {
		return books.Invalid("amount", "--amount: %s", err.Error())
	}
	if date != "" {
		d, err := books.ParseDate(date)
		if err != nil {
			return err
		}
		e.Date = d.Format(books.DateLayout)
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	got, err := s.RecordExpense(context.Background(), e)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Expense %s: %s on %s.\n", got.Category, gst.FormatINR(got.Amount), gst.FormatDate(got.Date))
	return nil
}

func cmdStock(env *Env, args []string) error {
	fs := newFlags(env, "stock", "stock [SKU|BARCODE] [--low] [--json]")
	low := fs.Bool("low", false, "only products at or below their reorder level")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 1000, "most products")
	code, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	type row struct {
		ID      string `json:"id"`
		SKU     string `json:"sku,omitempty"`
		Name    string `json:"name"`
		Stock   qty    `json:"stock"`
		Reorder qty    `json:"reorder_level"`
	}
	var rows []row
	if code != "" {
		p, err := s.ProductByCode(code)
		if err != nil {
			return err
		}
		st, err := s.StockOnHand(p.ID)
		if err != nil {
			return err
		}
		rows = append(rows, row{p.ID, p.SKU, p.Name, qty(st), qty(p.ReorderLevel)})
	} else {
		hits, err := s.ListProducts(store.ProductFilter{LowStock: *low, Limit: *limit})
		if err != nil {
			return err
		}
		for _, h := range hits {
			rows = append(rows, row{h.ID, h.SKU, h.Name, qty(h.Stock), qty(h.Reorder)})
		}
	}
	if *asJSON {
		if code != "" {
			return printJSON(env.Stdout, rows[0])
		}
		return printJSON(env.Stdout, rows)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", orDash(r.SKU), r.Name, gst.FormatQty(int64(r.Stock)))
	}
	return tw.Flush()
}

func cmdStockAdjust(env *Env, args []string) error {
	fs := newFlags(env, "stock adjust", "stock adjust SKU --qty ±QTY --reason TEXT")
	q := fs.String("qty", "", "change in stock, e.g. -2 or 10.5 (required)")
	reason := fs.String("reason", "", "reason (required)")
	code, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if code == "" || *q == "" {
		return usagef("give the SKU or barcode and --qty")
	}
	qv, err := gst.ParseQty(*q)
	if err != nil {
		return books.Invalid("qty", "--qty: %s", err.Error())
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.ProductByCode(code)
	if err != nil {
		return err
	}
	if _, err := s.AdjustStock(context.Background(), books.StockAdjustment{ProductID: p.ID, Qty: qv, Reason: *reason}); err != nil {
		return err
	}
	st, _ := s.StockOnHand(p.ID)
	fmt.Fprintf(env.Stdout, "%s: stock now %s %s.\n", p.Name, gst.FormatQty(st), p.Unit)
	return nil
}

func cmdPartyAdd(env *Env, args []string) error {
	fs := newFlags(env, "party add", "party add --name NAME [--kind customer|supplier] [--phone …] [--gstin …] [--state CODE] [--opening RUPEES]")
	var p books.Party
	var opening string
	fs.StringVar(&p.Name, "name", "", "name (required)")
	fs.StringVar(&p.Kind, "kind", "customer", "customer or supplier")
	fs.StringVar(&p.Phone, "phone", "", "mobile number")
	fs.StringVar(&p.GSTIN, "gstin", "", "GSTIN")
	fs.StringVar(&p.StateCode, "state", "", "state code")
	fs.StringVar(&p.Address, "address", "", "address")
	fs.StringVar(&opening, "opening", "0", "opening balance in rupees (positive: they owe you)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if p.OpeningBalance, err = gst.ParseAmount(opening); err != nil {
		return books.Invalid("opening", "--opening: %s", err.Error())
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.SaveParty(p)
	if err != nil {
		return err
	}
	saved, err := s.Party(id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Added %s %s", saved.Kind, saved.Name)
	if saved.Phone != "" {
		fmt.Fprintf(env.Stdout, " (%s)", saved.Phone)
	}
	fmt.Fprintf(env.Stdout, ", id %s.\n", id)
	return nil
}

func cmdPartyBalance(env *Env, args []string) error {
	fs := newFlags(env, "party balance", "party balance [NAME|PHONE] [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	who, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	type row struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Balance money  `json:"balance"`
	}
	var rows []row
	if who != "" {
		p, err := s.FindParty(who)
		if err != nil {
			return err
		}
		b, err := s.PartyBalance(p.ID)
		if err != nil {
			return err
		}
		rows = append(rows, row{p.ID, p.Name, p.Kind, money(b)})
	} else {
		hits, err := s.ListParties("", 100000)
		if err != nil {
			return err
		}
		for _, h := range hits {
			rows = append(rows, row{h.ID, h.Name, h.Kind, money(h.Balance)})
		}
	}
	if *asJSON {
		if who != "" {
			return printJSON(env.Stdout, rows[0])
		}
		return printJSON(env.Stdout, rows)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Kind, describeBalance(int64(r.Balance)))
	}
	return tw.Flush()
}

func cmdImportProducts(env *Env, args []string) error {
	return importFile(env, args, "import products", "product", "products", func(s *store.Store, r *bytes.Reader) (int, error) {
		ps, rows, err := importer.Products(r)
		if err != nil {
			return 0, err
		}
		return s.ImportProducts(ps, rows)
	})
}

func cmdImportParties(env *Env, args []string) error {
	return importFile(env, args, "import parties", "party", "parties", func(s *store.Store, r *bytes.Reader) (int, error) {
		ps, rows, err := importer.Parties(r)
		if err != nil {
			return 0, err
		}
		return s.ImportParties(ps, rows)
	})
}

func importFile(env *Env, args []string, name, one, many string, run func(*store.Store, *bytes.Reader) (int, error)) error {
	fs := newFlags(env, name, name+" FILE.csv   (columns: see README)")
	file, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return usagef("give the CSV file: naukar %s FILE.csv", name)
	}
	data, err := readInput(env, file)
	if err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := run(s, bytes.NewReader(data))
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, importer.Describe(n, one, many))
	return nil
}
