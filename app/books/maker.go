package books

// Maker is who made a document: the staff member signed in on the counter
// when it was saved, by id and by name as it was then (a snapshot, like the
// party's). Books without staff leave it empty.
type Maker struct {
	MadeBy     string `json:"made_by,omitempty"`
	MadeByName string `json:"made_by_name,omitempty"`
}

// SetMaker stamps the document's maker.
func (m *Maker) SetMaker(v Maker) { *m = v }

// MadeByWhom returns the maker.
func (m *Maker) MadeByWhom() Maker { return *m }

// LineDiscountBP is how far below the product's list price a draft line is
// sold, in basis points of the list value (a price override and a line
// discount together); 0 when the line is at or above the list price or the
// product has no price.
func LineDiscountBP(l *DraftLine) int64 {
	list := l.Product.SalePrice
	if list <= 0 || l.Qty <= 0 {
		return 0
	}
	listValue := mulDiv(list, l.Qty, 1000)
	charged := LineCharged(l)
	if listValue <= 0 || charged >= listValue {
		return 0
	}
	return mulDiv(listValue-charged, 10000, listValue)
}

// LineCharged is what a draft line charges before tax is split out: the
// unit price (overridden or the product's) times the quantity, less the
// line's discount.
func LineCharged(l *DraftLine) int64 {
	price := l.Product.SalePrice
	if l.Price != nil {
		price = *l.Price
	}
	v := mulDiv(price, l.Qty, 1000)
	if l.DiscountBP > 0 {
		return v - mulDiv(v, l.DiscountBP, 10000)
	}
	return v - l.Discount
}

// BelowCost reports whether a draft line sells under the product's
// purchase price (compared without tax: a tax-inclusive sale price has
// its GST taken out first). A product with no purchase price never is.
func BelowCost(l *DraftLine) bool {
	cost := l.Product.PurchasePrice
	if cost <= 0 || l.Qty <= 0 {
		return false
	}
	charged := LineCharged(l)
	if l.Product.PriceIncludesTax && l.Product.GSTRate > 0 {
		charged = mulDiv(charged, 10000, 10000+int64(l.Product.GSTRate))
	}
	return charged < mulDiv(cost, l.Qty, 1000)
}

func mulDiv(a, b, c int64) int64 {
	if c == 0 {
		return 0
	}
	return a * b / c
}
