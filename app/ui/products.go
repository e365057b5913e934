package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/importer"
	"github.com/ainaukar/naukar/app/store"
)

// productPage is how many products one read brings into the list's cache.
const productPage = 200

// ProductsScreen lists the catalogue with stock: a virtual list over all
// products (read a page at a time as it scrolls), search, a low-stock
// filter, and the product, stock, import and purchase actions.
type ProductsScreen struct {
	screenBase
	a        *App
	Search   *Entry
	LowStock *widget.Check
	count    *widget.Label
	msg      *widget.Label
	list     *widget.List
	empty    *fyne.Container // what to do when the list is empty
	emptyMsg *widget.Label

	total    int                        // rows in the list
	low      bool                       // the list is of low-stock products
	pages    map[int][]store.ProductHit // page number → rows
	pending  map[int]bool
	found    []store.ProductHit // search results (when Search has text)
	searched bool
	gen      int
}

func newProductsScreen(a *App) *ProductsScreen {
	s := &ProductsScreen{a: a, pages: map[int][]store.ProductHit{}, pending: map[int]bool{}}
	s.Search = a.entry(L("Search products by name, SKU or barcode"))
	s.Search.OnChanged = func(string) { s.Reload() }
	s.LowStock = widget.NewCheck(L("Low stock only"), func(bool) { s.Reload() })
	s.count = widget.NewLabel("")
	s.msg = errorText()
	s.list = widget.NewList(func() int { return s.total },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			sku, price, stock := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
			price.Alignment, stock.Alignment = fyne.TextAlignTrailing, fyne.TextAlignTrailing
			return productRow(name, sku, price, stock)
		},
		s.updateRow)
	s.list.OnSelected = func(id widget.ListItemID) {
		if h, ok := s.Row(id); ok {
			s.a.editProduct(h.ID, s.Reload)
		}
		s.list.UnselectAll()
	}
	newProduct := func() { s.a.editProduct("", s.Reload) }
	importCSV := func() { s.a.importDialog(s.Reload) }
	bar := container.NewHBox(
		ActionButton(ActAdd, L("New product"), theme.ContentAddIcon(), newProduct),
		widget.NewButtonWithIcon(L("Stock adjustment"), theme.DocumentCreateIcon(), func() { s.a.adjustStock(nil, s.Reload) }),
		widget.NewButtonWithIcon(L("Purchase entry"), theme.DownloadIcon(), func() { s.a.purchaseDialog(s.Reload) }),
		widget.NewButtonWithIcon(L("Import CSV"), theme.FolderOpenIcon(), importCSV),
	)
	head := productRow(boldLabel(L("Product")), boldLabel(L("SKU")), boldLabel(L("Price")), boldLabel(L("In stock")))
	for _, o := range head.(*fyne.Container).Objects[1].(*fyne.Container).Objects[1:] {
		o.(*fyne.Container).Objects[0].(*widget.Label).Alignment = fyne.TextAlignTrailing
	}
	top := container.NewVBox(container.NewBorder(nil, nil, heading(L("Products and stock")), s.count), bar,
		container.NewBorder(nil, nil, nil, s.LowStock, s.Search), s.msg, head)
	// An empty catalogue says how to fill it.
	s.emptyMsg = wrapLabel("")
	s.empty = container.NewVBox(s.emptyMsg, container.NewHBox(
		ActionButton(ActAdd, L("New product"), theme.ContentAddIcon(), newProduct),
		widget.NewButtonWithIcon(L("Import CSV"), theme.FolderOpenIcon(), importCSV)))
	s.empty.Hide()
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewStack(s.list, s.empty)))
	s.ExtendBaseWidget(s)
	return s
}

func (s *ProductsScreen) shown() {
	s.a.focus(s.Search)
	s.Reload()
}

func (s *ProductsScreen) handle(act Action) bool {
	switch act {
	case ActFind:
		s.a.focus(s.Search)
	case ActAdd:
		s.a.editProduct("", s.Reload)
	default:
		return false
	}
	return true
}

// Row returns list row i if it is loaded.
func (s *ProductsScreen) Row(i int) (store.ProductHit, bool) {
	if s.searched {
		if i >= 0 && i < len(s.found) {
			return s.found[i], true
		}
		return store.ProductHit{}, false
	}
	p := s.pages[i/productPage]
	if j := i % productPage; p != nil && j < len(p) {
		return p[j], true
	}
	return store.ProductHit{}, false
}

// Total is how many rows the list has.
func (s *ProductsScreen) Total() int { return s.total }

func (s *ProductsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	name := c.Objects[0].(*widget.Label)
	right := c.Objects[1].(*fyne.Container).Objects
	sku := right[0].(*fyne.Container).Objects[0].(*widget.Label)
	price := right[1].(*fyne.Container).Objects[0].(*widget.Label)
	stock := right[2].(*fyne.Container).Objects[0].(*widget.Label)
	h, ok := s.Row(id)
	if !ok {
		name.SetText("…")
		sku.SetText("")
		price.SetText("")
		stock.SetText("")
		if !s.searched {
			s.loadPage(id / productPage)
		}
		return
	}
	name.SetText(h.Name)
	sku.SetText(h.SKU)
	price.SetText(gst.FormatINR(h.SalePrice))
	stock.SetText(s.a.stockText(h.Stock, h.Unit))
	imp := widget.MediumImportance
	if h.Reorder > 0 && h.Stock <= h.Reorder && !s.a.stockLoading() {
		imp = widget.DangerImportance
	}
	if stock.Importance != imp {
		stock.Importance = imp
		stock.Refresh()
	}
}

// Reload reads the list again from the books: the count and the first
// page together, then other pages as they are shown.
func (s *ProductsScreen) Reload() {
	s.gen++
	gen := s.gen
	q := strings.TrimSpace(s.Search.Text)
	low := s.LowStock.Checked
	// Rows drawn before the new list is in must not read pages of the old
	// one under the new generation.
	s.pages, s.pending = map[int][]store.ProductHit{}, map[int]bool{}
	var total int
	var found, first []store.ProductHit
	s.a.background(func() error {
		var err error
		if q != "" {
			if found, err = s.a.Books.SearchProducts(q, 500); err != nil {
				return err
			}
			total = len(found)
			ids := make([]string, len(found))
			for i, h := range found {
				ids[i] = h.ID
			}
			units, err := s.a.Books.ProductUnits(ids)
			if err != nil {
				return err
			}
			for i := range found {
				found[i].Unit = units[found[i].ID]
			}
			return nil
		}
		if low {
			total, err = s.a.Books.CountLowStock()
		} else {
			total, err = s.a.Books.CountProducts()
		}
		if err != nil || total == 0 {
			return err
		}
		first, err = s.a.Books.ProductsAfter(low, store.ProductCursor{}, productPage)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			setError(s.msg, Message(err))
			return
		}
		setError(s.msg, "")
		s.searched, s.found, s.total, s.low = q != "", found, total, low
		if first != nil {
			s.pages[0] = first
		}
		s.count.SetText(gst.Count(total, L("product"), L("products")))
		switch {
		case total > 0:
			s.empty.Hide()
		case q != "":
			s.emptyMsg.SetText(fmt.Sprintf(L("No product matches %q. Add it with New product (Ctrl+E)."), q))
			s.empty.Show()
		case low:
			s.emptyMsg.SetText(L("No product is at or below its reorder level."))
			s.empty.Show()
		default:
			s.emptyMsg.SetText(L("No products yet. Add one with New product (Ctrl+E), or bring your whole list in with Import CSV (columns: name, sale_price, gst_rate; sku, barcode, hsn, unit, opening_stock and more are optional)."))
			s.empty.Show()
		}
		s.list.Refresh()
	})
}

// productRow lays out one row of the product list (and its header):
// the name, then SKU, price and stock in fixed columns.
func productRow(name, sku, price, stock fyne.CanvasObject) fyne.CanvasObject {
	right := container.NewHBox(container.NewGridWrap(fyne.NewSize(110, 36), sku), container.NewGridWrap(fyne.NewSize(120, 36), price), container.NewGridWrap(fyne.NewSize(130, 36), stock))
	return container.NewBorder(nil, nil, nil, right, name)
}

// EmptyHint is what the list says when it has no rows ("" when it has some).
func (s *ProductsScreen) EmptyHint() string {
	if !s.empty.Visible() {
		return ""
	}
	return s.emptyMsg.Text
}

// loadPage reads page n of the list: next to a page already read it
// continues from that page's edge (as cheap deep down as at the top), else
// it jumps there by position.
func (s *ProductsScreen) loadPage(n int) {
	if s.pending[n] || n*productPage >= s.total {
		return
	}
	gen, low, total := s.gen, s.low, s.total
	prev, next := s.pages[n-1], s.pages[n+1]
	s.pending[n] = true
	var rows []store.ProductHit
	s.a.background(func() error {
		var err error
		switch {
		case len(prev) > 0:
			rows, err = s.a.Books.ProductsAfter(low, prev[len(prev)-1].Cursor(), productPage)
		case len(next) > 0:
			rows, err = s.a.Books.ProductsBefore(low, next[0].Cursor(), productPage)
		default:
			rows, err = s.a.Books.ProductsAt(low, n*productPage, productPage, total)
		}
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			delete(s.pending, n)
			setError(s.msg, Message(err))
			return
		}
		s.pages[n] = rows
		s.list.Refresh()
	})
}

// ---- product add/edit ----

// ratePicker lists the GST rates allowed today plus exempt, nil and non-GST.
func ratePicker(a *App) (*widget.Select, []string) {
	var opts []string
	for _, r := range gst.RatesOn(a.Books.Now()) {
		opts = append(opts, r.String()+"%")
	}
	opts = append(opts, L("exempt"), L("nil"), L("non-GST"))
	return widget.NewSelect(opts, nil), opts
}

// editProduct opens the product form (id "" for a new product).
func (a *App) editProduct(id string, saved func()) {
	var p books.Product
	var stock int64
	a.background(func() error {
		if id == "" {
			p = books.Product{Unit: "NOS", GSTRate: 1800, Category: gst.Taxable}
			return nil
		}
		var err error
		if p, err = a.Books.Product(id); err != nil {
			return err
		}
		stock, err = a.Books.StockOnHand(id)
		return err
	}, func(err error) {
		if err != nil {
			a.showError(err)
			return
		}
		a.productForm(p, stock, saved)
	})
}

func (a *App) productForm(p books.Product, stock int64, saved func()) {
	name, sku, barcode, hsn := a.entry(L("e.g. Tata Salt 1kg")), a.entry(""), a.entry(L("scan or type; several with commas")), a.entry(L("4, 6 or 8 digits"))
	price, cost, mrp, opening, reorder := a.entry("0.00"), a.entry("0.00"), a.entry("0.00"), a.entry("0"), a.entry("0")
	name.SetText(p.Name)
	sku.SetText(p.SKU)
	barcode.SetText(strings.Join(p.Barcodes, ", "))
	hsn.SetText(p.HSN)
	price.SetText(gst.FormatAmount(p.SalePrice))
	cost.SetText(gst.FormatAmount(p.PurchasePrice))
	mrp.SetText(gst.FormatAmount(p.MRP))
	opening.SetText(gst.FormatQty(p.OpeningStock))
	reorder.SetText(gst.FormatQty(p.ReorderLevel))
	unit := widget.NewSelect(gst.UQCs(), nil)
	unit.SetSelected(p.Unit)
	rate, opts := ratePicker(a)
	switch p.Category {
	case gst.Exempt:
		rate.SetSelected(opts[len(opts)-3])
	case gst.Nil:
		rate.SetSelected(opts[len(opts)-2])
	case gst.NonGST:
		rate.SetSelected(opts[len(opts)-1])
	default:
		rate.SetSelected(p.GSTRate.String() + "%")
	}
	incl := widget.NewCheck(L("Sale price includes GST"), nil)
	incl.SetChecked(p.PriceIncludesTax)
	errs := map[string]*widget.Label{}
	field := func(key string, o fyne.CanvasObject) fyne.CanvasObject {
		l := errorText()
		errs[key] = l
		return container.NewVBox(o, l)
	}
	form := widget.NewForm(
		widget.NewFormItem(L("Name"), field("name", name)),
		widget.NewFormItem(L("SKU"), field("sku", sku)),
		widget.NewFormItem(L("Barcodes"), field("barcode", barcode)),
		widget.NewFormItem(L("HSN/SAC"), field("hsn", hsn)),
		widget.NewFormItem(L("Unit"), field("unit", unit)),
		widget.NewFormItem(L("GST rate"), field("gst_rate", rate)),
		widget.NewFormItem(L("Sale price ₹"), field("sale_price", container.NewGridWithColumns(2, price, incl))),
		widget.NewFormItem(L("Purchase price ₹"), field("purchase_price", cost)),
		widget.NewFormItem(L("MRP ₹"), field("mrp", mrp)),
		widget.NewFormItem(L("Opening stock"), field("opening_stock", opening)),
		widget.NewFormItem(L("Reorder level"), field("reorder_level", reorder)),
	)
	general := errorText()
	if p.ID != "" {
		form.Append(L("In stock now"), widget.NewLabel(gst.FormatQty(stock)+" "+p.Unit))
	}
	// A problem goes as soon as its box is changed; saving checks again.
	for key, e := range map[string]*Entry{"name": name, "sku": sku, "barcode": barcode, "sale_price": price,
		"purchase_price": cost, "mrp": mrp, "opening_stock": opening, "reorder_level": reorder} {
		l := errs[key]
		e.OnChanged = func(string) { setError(l, "") }
	}
	// GST rate check as the HSN is typed: plain words next to the field.
	hsn.OnChanged = func(t string) {
		if t = strings.TrimSpace(t); t == "" {
			setError(errs["hsn"], "")
		} else if err := gst.ValidateHSN(t); err != nil {
			setError(errs["hsn"], err.Error())
		} else {
			setError(errs["hsn"], "")
		}
	}
	// A scanner ends a barcode with Enter: that moves on, it does not save.
	barcode.OnSubmitted = func(string) { a.focus(hsn) }
	var d *formDlg
	// The boxes top to bottom: the focus goes to the first with a problem.
	order := []struct {
		key string
		box fyne.Focusable
	}{{"name", name}, {"sku", sku}, {"barcode", barcode}, {"hsn", hsn}, {"unit", unit}, {"gst_rate", rate},
		{"sale_price", price}, {"purchase_price", cost}, {"mrp", mrp}, {"opening_stock", opening}, {"reorder_level", reorder}}
	// show puts every problem next to its box at once and focuses the
	// first; problems of no box go under the form.
	show := func(problems map[string]string, other []string) {
		for key, l := range errs {
			setError(l, problems[key])
		}
		setError(general, strings.Join(other, " "))
		for _, o := range order {
			if problems[o.key] != "" {
				a.focus(o.box)
				return
			}
		}
	}
	collect := func(err error, problems map[string]string, other *[]string) {
		var ps books.Problems
		var be *books.Error
		switch {
		case errors.As(err, &ps):
		case errors.As(err, &be):
			ps = books.Problems{be}
		default:
			*other = append(*other, Message(err))
		}
		for _, e := range ps {
			if errs[e.Field] != nil {
				if problems[e.Field] == "" {
					problems[e.Field] = e.Msg
				}
			} else {
				*other = append(*other, e.Msg)
			}
		}
	}
	save := func() bool {
		problems := map[string]string{}
		var other []string
		q := p
		q.Name, q.SKU, q.HSN, q.Unit, q.PriceIncludesTax = name.Text, sku.Text, hsn.Text, unit.Selected, incl.Checked
		q.Barcodes = strings.FieldsFunc(barcode.Text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
		money := func(e *Entry, key string, dst *int64) {
			v, err := gst.ParseAmount(orZero(e.Text))
			if err != nil {
				problems[key] = L("Type rupees, like 45 or 45.50.")
			}
			*dst = v
		}
		money(price, "sale_price", &q.SalePrice)
		money(cost, "purchase_price", &q.PurchasePrice)
		money(mrp, "mrp", &q.MRP)
		for _, f := range []struct {
			e   *Entry
			key string
			dst *int64
		}{{opening, "opening_stock", &q.OpeningStock}, {reorder, "reorder_level", &q.ReorderLevel}} {
			v, err := gst.ParseQty(orZero(f.e.Text))
			if err != nil {
				problems[f.key] = L("Type a quantity like 10 or 2.5.")
			}
			*f.dst = v
		}
		switch i := indexOf(opts, rate.Selected); {
		case i == len(opts)-3:
			q.Category, q.GSTRate = gst.Exempt, 0
		case i == len(opts)-2:
			q.Category, q.GSTRate = gst.Nil, 0
		case i == len(opts)-1:
			q.Category, q.GSTRate = gst.NonGST, 0
		default:
			q.Category = gst.Taxable
			r, err := gst.ParseRate(rate.Selected)
			if err != nil {
				problems["gst_rate"] = L("Pick a GST rate.")
			}
			q.GSTRate = r
		}
		// The books' own checks, all at once, before anything is saved.
		check := q
		check.Normalize()
		if err := check.Validate(a.Books.Now()); err != nil {
			collect(err, problems, &other)
		}
		show(problems, other)
		if len(problems) > 0 || len(other) > 0 {
			return false
		}
		d.run(func() error {
			var err error
			q.ID, err = a.Books.SaveProduct(q)
			return err
		}, func(err error) {
			if err != nil {
				problems := map[string]string{}
				var other []string
				collect(err, problems, &other)
				show(problems, other)
				return
			}
			d.Hide()
			a.Say(L("Saved product %s."), q.Name)
			if saved != nil {
				saved()
			}
		})
		return false
	}
	title := L("New product")
	if p.ID != "" {
		title = L("Edit product")
	}
	body := container.NewBorder(nil, general, nil, nil, container.NewVScroll(form))
	d = a.formDialog(title, L("Save"), body, fyne.NewSize(720, 640), save)
	a.focus(name)
}

func orZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// ---- stock adjustment ----

// adjustStock asks for a product (by code), a signed quantity and a reason.
func (a *App) adjustStock(p *books.Product, done func()) {
	code, qty, reason := a.entry(L("barcode or SKU")), a.entry(L("+10 to add, -2 to remove")), a.entry(L("damaged, counted, expired…"))
	found := widget.NewLabel("")
	msg := errorText()
	var prod *books.Product = p
	if p != nil {
		code.SetText(p.SKU)
		found.SetText(p.Name)
	}
	code.OnSubmitted = func(t string) {
		a.background(func() error {
			q, err := a.Books.ProductByCode(t)
			if err == nil {
				prod = &q
			}
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			setError(msg, "")
			found.SetText(prod.Name)
			a.focus(qty)
		})
	}
	var d *formDlg
	save := func() bool {
		if prod == nil {
			setError(msg, L("Type the barcode or SKU and press Enter to find the product."))
			return false
		}
		q, err := gst.ParseQty(qty.Text)
		if err != nil || q == 0 {
			setError(msg, L("Type the change in stock, like 10 or -2."))
			return false
		}
		adj := books.StockAdjustment{ProductID: prod.ID, Qty: q, Reason: reason.Text}
		d.run(func() error {
			_, err := a.Books.AdjustStock(context.Background(), adj)
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			d.Hide()
			a.Say(L("Stock of %s changed by %s."), prod.Name, gst.FormatQty(q))
			if done != nil {
				done()
			}
		})
		return false
	}
	form := widget.NewForm(widget.NewFormItem(L("Product"), container.NewVBox(code, found)),
		widget.NewFormItem(L("Change"), qty), widget.NewFormItem(L("Reason"), reason))
	d = a.formDialog(L("Stock adjustment"), L("Save"), container.NewVBox(form, msg), fyne.NewSize(560, 340), save)
	a.focus(code)
}

// ---- CSV import ----

// importDialog reads a products CSV, shows a preview with row errors, and
// imports all rows or none.
func (a *App) importDialog(done func()) {
	path := a.entry(L("path of the CSV file, e.g. /home/shop/products.csv"))
	preview := widget.NewLabel(L("Columns: ") + strings.Join(importer.ProductColumns, ", "))
	preview.Wrapping = fyne.TextWrapWord
	msg := errorText()
	var ps []books.Product
	var rows []int
	load := func(data []byte) {
		var err error
		ps, rows, err = importer.Products(bytes.NewReader(data))
		var ie *store.ImportError
		switch {
		case errors.As(err, &ie):
			setError(msg, importErrors(ie))
			preview.SetText("")
			ps = nil
		case err != nil:
			setError(msg, Message(err))
			ps = nil
		default:
			setError(msg, "")
			var b strings.Builder
			fmt.Fprintf(&b, L("%s ready to import:")+"\n", gst.Count(len(ps), L("product"), L("products")))
			for i, p := range ps {
				if i == 12 {
					fmt.Fprintf(&b, "… %d %s\n", len(ps)-12, L("more"))
					break
				}
				fmt.Fprintf(&b, "%s · %s · %s · GST %s%%\n", p.Name, p.SKU, gst.FormatINR(p.SalePrice), p.GSTRate)
			}
			preview.SetText(b.String())
		}
	}
	readPath := func() {
		t := strings.TrimSpace(path.Text)
		var data []byte
		a.background(func() error {
			var err error
			data, err = os.ReadFile(t)
			if err != nil {
				return books.Errorf(books.ENOTFOUND, "%s", fmt.Sprintf(L("Cannot read %s."), t))
			}
			return nil
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			load(data)
		})
	}
	path.OnSubmitted = func(string) { readPath() }
	pick := widget.NewButtonWithIcon(L("Choose file…"), theme.FolderOpenIcon(), func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path.SetText(r.URI().Path())
			r.Close()
			readPath()
		}, a.Win)
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
	var d *formDlg
	save := func() bool {
		if len(ps) == 0 {
			setError(msg, L("Load a CSV file without errors first (type the path and press Enter)."))
			return false
		}
		n := 0
		d.run(func() error {
			var err error
			n, err = a.Books.ImportProducts(ps, rows)
			return err
		}, func(err error) {
			var ie *store.ImportError
			if errors.As(err, &ie) {
				setError(msg, importErrors(ie))
				return
			}
			if err != nil {
				setError(msg, Message(err))
				return
			}
			d.Hide()
			a.Say(L("Imported %s."), gst.Count(n, L("product"), L("products")))
			if done != nil {
				done()
			}
		})
		return false
	}
	body := container.NewBorder(container.NewBorder(nil, nil, nil, pick, path), msg, nil, nil, container.NewVScroll(preview))
	d = a.formDialog(L("Import products from CSV"), L("Import"), body, fyne.NewSize(860, 560), save)
	a.focus(path)
}

func importErrors(ie *store.ImportError) string {
	var b strings.Builder
	if len(ie.Rows) == 1 {
		b.WriteString(L("1 row has a problem; nothing was imported:"))
	} else {
		fmt.Fprintf(&b, L("%d rows have problems; nothing was imported:"), len(ie.Rows))
	}
	for i, r := range ie.Rows {
		if i == 15 {
			fmt.Fprintf(&b, "\n… %d %s", len(ie.Rows)-15, L("more"))
			break
		}
		fmt.Fprintf(&b, "\n%s %d: %s", L("Row"), r.Row, books.ErrorMessage(r.Err))
	}
	return b.String()
}

// ---- purchase entry ----

// purchaseDialog enters a supplier's bill: supplier, bill number, items by
// code with quantity and cost; stock comes in when it is saved.
func (a *App) purchaseDialog(done func()) {
	supplier, billNo, code, qty, cost := a.entry(L("supplier name or phone")), a.entry(L("supplier's bill number")), a.entry(L("barcode or SKU, Enter")), a.entry("1"), a.entry(L("cost ₹ (blank: purchase price)"))
	paid := widget.NewCheck(L("Paid now in cash"), nil)
	lines := container.NewVBox()
	msg := errorText()
	total := widget.NewLabel("")
	var draft books.PurchaseDraft
	reprice := func() {
		biz := a.Biz
		if len(draft.Lines) == 0 {
			total.SetText("")
			return
		}
		d := draft
		d.Party = &books.PartySnapshot{Name: orDefault(supplier.Text, "?")}
		d.BillNumber = orDefault(billNo.Text, "?")
		d.Date = a.Books.Now()
		if p, err := books.PricePurchase(&biz, &d); err == nil {
			total.SetText(L("Total") + " " + gst.FormatINR(p.GrandTotal))
		}
	}
	code.OnSubmitted = func(t string) {
		q, err := gst.ParseQty(orDefault(qty.Text, "1"))
		if err != nil || q <= 0 {
			setError(msg, L("Type the quantity received, like 12."))
			return
		}
		var price *int64
		if strings.TrimSpace(cost.Text) != "" {
			v, err := gst.ParseAmount(cost.Text)
			if err != nil {
				setError(msg, L("Type the cost in rupees, like 40.50."))
				return
			}
			price = &v
		}
		var p books.Product
		a.background(func() error {
			var err error
			p, err = a.Books.ProductByCode(t)
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			setError(msg, "")
			draft.Lines = append(draft.Lines, books.DraftLine{ProductID: p.ID, Product: p, Qty: q, Price: price})
			c := p.PurchasePrice
			if price != nil {
				c = *price
			}
			lines.Add(widget.NewLabel(fmt.Sprintf("%d. %s  %s × %s", len(draft.Lines), p.Name, gst.FormatQty(q), gst.FormatINR(c))))
			code.SetText("")
			qty.SetText("1")
			cost.SetText("")
			reprice()
			a.focus(code)
		})
	}
	// Enter in the quantity or cost adds the line, as in the code box; in
	// the supplier and bill number it moves on.
	qty.OnSubmitted = func(string) { code.OnSubmitted(code.Text) }
	cost.OnSubmitted = func(string) { code.OnSubmitted(code.Text) }
	supplier.OnSubmitted = func(string) { a.focus(billNo) }
	billNo.OnSubmitted = func(string) { a.focus(code) }
	var d *formDlg
	save := func() bool {
		draft.BillNumber = billNo.Text
		draft.Date = a.Books.Now()
		draft.Party = nil
		name := strings.TrimSpace(supplier.Text)
		if name != "" {
			draft.Party = &books.PartySnapshot{Name: name}
			if ph, err := gst.NormalizeMobile(name); err == nil {
				draft.Party = &books.PartySnapshot{Name: name, Phone: ph}
			}
		}
		d2 := draft
		var res *books.Purchase
		d.run(func() error {
			var err error
			if res, err = a.Books.CreatePurchase(context.Background(), &d2); err != nil {
				return err
			}
			if paid.Checked && res.GrandTotal > res.Paid {
				// Stock in on the supplier's account, then the cash paid out.
				_, err = a.Books.RecordPayment(context.Background(), books.Payment{Direction: books.PaymentOut,
					Party: res.Party, Mode: books.ModeCash, Amount: res.GrandTotal - res.Paid, Note: "Bill " + res.BillNumber})
			}
			return err
		}, func(err error) {
			if err != nil {
				setError(msg, Message(err))
				return
			}
			d.Hide()
			a.Say(L("Purchase %s from %s saved: %s; stock is in."), res.BillNumber, res.Party.Name, gst.FormatINR(res.GrandTotal))
			if done != nil {
				done()
			}
		})
		return false
	}
	head := widget.NewForm(widget.NewFormItem(L("Supplier"), supplier), widget.NewFormItem(L("Bill number"), billNo))
	add := container.NewBorder(nil, nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(80, 38), qty), container.NewGridWrap(fyne.NewSize(220, 38), cost)), code)
	body := container.NewBorder(container.NewVBox(head, widget.NewLabel(L("Items: code, quantity, cost")), add), container.NewVBox(total, paid, msg), nil, nil, container.NewVScroll(lines))
	d = a.formDialog(L("Purchase entry (stock in)"), L("Save purchase"), body, fyne.NewSize(860, 600), save)
	a.focus(supplier)
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return strings.TrimSpace(s)
}

// ScrollTo shows row i (its page is read if it is not loaded yet).
func (s *ProductsScreen) ScrollTo(i int) {
	s.list.ScrollTo(i)
	if _, ok := s.Row(i); !ok && !s.searched {
		s.loadPage(i / productPage)
	}
}
