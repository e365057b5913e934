-- Covering indexes for reports and GST returns (app/store/report_*.go).
-- A document's facts live in its JSON, and its generated columns sit after
-- the JSON in the row, so reading them means reading the whole document.
-- These indexes hold what the reports read, so a month of invoices is read
-- from the index alone. Expressions must match the queries' text exactly.

CREATE INDEX invoices_report ON invoices(
  date, cancelled, id, number, series, fy, seq, kind, grand_total, party_name,
  data->>'$.party.gstin', data->>'$.party.state_code', data->>'place_of_supply', data->>'supply_type',
  data->>'reverse_charge', data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst', data->>'cess',
  data->>'round_off', data->>'paid',
  -- 1 when a line may be exempt or non-GST (0% lines are otherwise nil-rated).
  instr(data, '"exempt"') + instr(data, '"non_gst"') > 0
);

CREATE INDEX credit_notes_report ON credit_notes(
  date, id, number, series, fy, seq, invoice_id, grand_total,
  data->>'$.party.name', data->>'$.party.gstin', data->>'$.party.state_code', data->>'place_of_supply',
  data->>'supply_type', data->>'invoice_number', data->>'invoice_date',
  data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst', data->>'cess',
  data->>'round_off', data->>'refunded',
  instr(data, '"exempt"') + instr(data, '"non_gst"') > 0
);

CREATE INDEX purchases_report ON purchases(
  date, id, bill_number, grand_total,
  data->>'$.party.name', data->>'$.party.gstin', data->>'$.party.state_code', data->>'supply_type',
  data->>'taxable', data->>'cgst', data->>'sgst', data->>'igst', data->>'cess', data->>'round_off', data->>'paid'
);

-- Every line column the reports sum, by table and date.
CREATE INDEX doc_lines_report ON doc_lines(
  doc_table, date, cancelled, rate, hsn, unit, qty, taxable, cgst, sgst, igst, cess, cost, stock_delta, product_id
);

-- Cash book opening balances and money by mode.
CREATE INDEX money_moves_report ON money_moves(mode, date, cancelled, amount_in, amount_out);

-- Stock summary and valuation: live products by name with what it values.
CREATE INDEX products_report ON products(
  name COLLATE NOCASE, id, sku, opening_stock, reorder_level, sale_price, data->>'unit', data->>'purchase_price'
) WHERE deleted = 0;

-- Party ledgers and ageing of dues.
CREATE INDEX ledger_report ON ledger(party_id, date, cancelled, debit, credit, doc_table, number);

-- Stock per product over long periods: the lines that move stock, by
-- product, so their sums stream out without sorting.
CREATE INDEX doc_lines_stock ON doc_lines(product_id, date, cancelled, stock_delta) WHERE stock_delta <> 0;
