package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/reports"
)

func init() {
	register("report", "report gstr1|gstr3b|sales|purchases|hsn|daybook|collections|cashbook|ledger|outstanding|stock|items|expenses|pnl [--period MMYYYY|YYYY-MM|Q3-2026-27|2026-27 | --from DATE --to DATE] [--format table|json|csv|xlsx] [-o FILE] [--party NAME] [--low]", cmdReport)
	register("export tally", "export tally [--period P | --from DATE --to DATE] [--inventory] -o FILE.xml", cmdExportTally)
}

// periodFlags adds --period, --from and --to to fs.
type periodFlags struct{ period, from, to *string }

func addPeriodFlags(fs interface {
	String(name, value, usage string) *string
}) periodFlags {
	return periodFlags{
		period: fs.String("period", "", "month MMYYYY or YYYY-MM, quarter Q1-2026-27 (Q1 is April–June), or year 2026-27 (default: this month)"),
		from:   fs.String("from", "", "first date (YYYY-MM-DD), with --to"),
		to:     fs.String("to", "", "last date (YYYY-MM-DD), with --from"),
	}
}

// resolve picks the period: --period, else --from/--to, else this month.
func (f periodFlags) resolve(now time.Time) (reports.Period, error) {
	switch {
	case *f.period != "" && (*f.from != "" || *f.to != ""):
		return reports.Period{}, usagef("give either --period or --from and --to, not both")
	case *f.period != "":
		return reports.ParsePeriod(*f.period)
	case *f.from != "" || *f.to != "":
		if *f.from == "" || *f.to == "" {
			return reports.Period{}, usagef("give both --from and --to")
		}
		return reports.Range(*f.from, *f.to)
	}
	return reports.Month(now.Year(), now.Month()), nil
}

func cmdReport(env *Env, args []string) error {
	const line = "report NAME [--period P | --from DATE --to DATE] [--format table|json|csv|xlsx] [-o FILE]"
	fs := newFlags(env, "report", line)
	pf := addPeriodFlags(fs)
	format := fs.String("format", "", "table (default on screen), json, csv or xlsx (default from the -o file's extension)")
	out := fs.String("o", "", "write to FILE instead of the screen (needed for xlsx); csv of a report with several tables writes FILE-<table>.csv each")
	party := fs.String("party", "", "ledger: the party's name or phone")
	low := fs.Bool("low", false, "stock: only products at or below their reorder level")
	limit := fs.Int("limit", 0, "at most this many rows per table (0: all)")
	name, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		var names []string
		for _, d := range reports.Reports() {
			names = append(names, fmt.Sprintf("  %-12s %s", d.Name, d.Title))
		}
		return usagef("say which report:\n%s", strings.Join(names, "\n"))
	}
	f := strings.ToLower(*format)
	if f == "" {
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".json":
			f = "json"
		case ".csv":
			f = "csv"
		case ".xlsx":
			f = "xlsx"
		default:
			f = "table"
		}
	}
	switch f {
	case "table", "json", "csv", "xlsx":
	default:
		return usagef("--format must be table, json, csv or xlsx, not %q", *format)
	}
	if f == "xlsx" && (*out == "" || *out == "-") {
		return usagef("an Excel file needs a name: add -o FILE.xlsx")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := pf.resolve(s.Now())
	if err != nil {
		return err
	}
	svc := reports.New(s)
	rep, err := svc.Run(context.Background(), name, reports.Query{Period: p, Party: *party, LowStock: *low, Limit: *limit})
	if err != nil {
		return err
	}
	if f != "table" {
		// Machine formats keep stdout clean; checks go to stderr.
		printWarnings(env.Stderr, rep)
	}
	switch f {
	case "table":
		return writeTo(env, *out, func(w io.Writer) error { return printReport(w, rep) })
	case "json":
		return writeTo(env, *out, func(w io.Writer) error { return reports.WriteJSON(w, rep) })
	case "xlsx":
		if err := writeTo(env, *out, func(w io.Writer) error { return reports.WriteXLSX(w, rep) }); err != nil {
			return err
		}
		n := reports.XLSXSheets(rep)
		sheets := "sheets"
		if n == 1 {
			sheets = "sheet"
		}
		fmt.Fprintf(env.Stderr, "Wrote %s (%d %s).\n", *out, n, sheets)
		return nil
	}
	// csv: one file per part (a return's parts are the offline tool's
	// templates: FILE-b2b.csv, FILE-exp.csv, …, ready to import).
	parts := reports.CSVParts(rep)
	if *out == "" || *out == "-" || len(parts) == 1 {
		return writeTo(env, *out, func(w io.Writer) error { return reports.WriteCSVAll(w, rep) })
	}
	ext := filepath.Ext(*out)
	base := strings.TrimSuffix(*out, ext)
	if ext == "" {
		ext = ".csv"
	}
	var files []string
	for _, p := range parts {
		file := base + "-" + safeName(p.Name) + ext
		if err := writeTo(env, file, p.Write); err != nil {
			return err
		}
		files = append(files, file)
	}
	if len(rep.Files) > 0 {
		fmt.Fprintf(env.Stderr, "Wrote %s (the GST offline tool's CSV templates: import each under its section).\n", strings.Join(files, ", "))
	} else {
		fmt.Fprintf(env.Stderr, "Wrote %s.\n", strings.Join(files, ", "))
	}
	return nil
}

// safeName keeps letters, digits, '-' and '_' of a table name for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r == '.':
			return '_'
		}
		return -1
	}, s)
}

// writeTo runs write on FILE (atomically: a temporary file renamed into
// place) or on standard output for "" and "-".
func writeTo(env *Env, file string, write func(io.Writer) error) error {
	if file == "" || file == "-" {
		return write(env.Stdout)
	}
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return books.Errorf(books.EINVALID, "Cannot write %s: %v", file, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return books.Errorf(books.EINVALID, "Cannot write %s: %v", file, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return books.Errorf(books.EINVALID, "Cannot write %s: %v", file, err)
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return books.Errorf(books.EINVALID, "Cannot write %s: %v", file, err)
	}
	return nil
}

func printWarnings(w io.Writer, rep *reports.Report) {
	for _, wr := range rep.Warnings {
		fmt.Fprintf(w, "check: %s", wr.Message)
		if len(wr.Docs) > 0 {
			fmt.Fprintf(w, " [%s]", strings.Join(wr.Docs, ", "))
		}
		fmt.Fprintln(w)
	}
}

// printReport prints a report as aligned text for the terminal.
func printReport(w io.Writer, rep *reports.Report) error {
	fmt.Fprintf(w, "%s — %s\n", rep.Business, rep.Title)
	if rep.GSTIN != "" {
		fmt.Fprintf(w, "GSTIN %s\n", rep.GSTIN)
	}
	fmt.Fprintf(w, "Period %s to %s\n", rep.Period.From, rep.Period.To)
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "\n%s\n", t.Title)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		cells := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cells[i] = c.Title
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		line := func(r reports.Row) {
			for i, c := range t.Columns {
				cells[i] = ""
				if i < len(r) {
					cells[i] = reports.Display(c.Kind, r[i])
				}
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		for _, r := range t.Rows {
			line(r)
		}
		if t.Totals != nil {
			line(t.Totals)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(t.Rows) < t.TotalRows {
			fmt.Fprintf(w, "(%d of %d rows; drop --limit for all)\n", len(t.Rows), t.TotalRows)
		}
		if len(t.Rows) == 0 {
			fmt.Fprintln(w, "(nothing in this period)")
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w, "\nCheck before filing:")
		for _, wr := range rep.Warnings {
			fmt.Fprintf(w, "  - %s", wr.Message)
			if len(wr.Docs) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(wr.Docs, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

func cmdExportTally(env *Env, args []string) error {
	fs := newFlags(env, "export tally", "export tally [--period P | --from DATE --to DATE] [--inventory] -o FILE.xml")
	pf := addPeriodFlags(fs)
	out := fs.String("o", "", "the XML file to write (- for standard output) (required)")
	inventory := fs.Bool("inventory", false, "write sales, returns and purchases as item invoices with stock items, units, quantities and rates")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("say where to write the Tally file: -o books.xml")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := pf.resolve(s.Now())
	if err != nil {
		return err
	}
	svc := reports.New(s)
	var stats reports.TallyStats
	err = writeTo(env, *out, func(w io.Writer) error {
		var err error
		stats, err = svc.WriteTally(context.Background(), w, p, reports.TallyOptions{Inventory: *inventory})
		return err
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Wrote %d vouchers and %d ledgers", stats.Vouchers, stats.Ledgers)
	if *inventory {
		msg += fmt.Sprintf(", %d stock items and %d units", stats.StockItems, stats.Units)
	}
	msg += " for " + p.Label
	if stats.Cancelled > 0 {
		msg += fmt.Sprintf(" (%d invoices cancelled in the period are marked cancelled)", stats.Cancelled)
	}
	if *out != "-" {
		msg += " to " + *out
	}
	fmt.Fprintln(env.Stderr, msg+".")
	return nil
}
