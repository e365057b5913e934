package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("account export", "account export -o FILE.zip   (everything the sync server holds about the business, as a ZIP)", cmdAccountExport)
	register("export books", "export books -o FILE.zip   (the books on this PC as JSON and CSV files, no server needed)", cmdExportBooks)
	register("account delete", "account delete --password PW --yes   (close the account on the sync server; export first)", cmdAccountDelete)
}

func cmdAccountExport(env *Env, args []string) error {
	fs := newFlags(env, "account export", "account export -o FILE.zip")
	out := fs.String("o", "", "the ZIP file to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("give -o FILE.zip")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	last := ""
	n, err := syncapp.ExportAccountFile(ctx, s, *out, func(st protocol.ExportStatus) {
		line := "Export " + st.State
		if st.Total > 0 {
			line += fmt.Sprintf(": %d of %d rows", st.Done, st.Total)
		}
		if line != last {
			fmt.Fprintln(env.Stderr, line)
			last = line
		}
	})
	if err != nil {
		return syncErr(err)
	}
	fmt.Fprintf(env.Stdout, "Export written to %s (%s). README.txt inside explains each file.\n", filepath.Clean(*out), sizeText(n))
	return nil
}

func cmdExportBooks(env *Env, args []string) error {
	fs := newFlags(env, "export books", "export books -o FILE.zip")
	out := fs.String("o", "", "the ZIP file to write (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("give -o FILE.zip")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := syncapp.ExportBooksFile(context.Background(), s, *out, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "The books on this PC written to %s (%s). README.txt inside explains each file.\n", filepath.Clean(*out), sizeText(n))
	return nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return gst.Count(int(n), "byte", "bytes")
}

func cmdAccountDelete(env *Env, args []string) error {
	fs := newFlags(env, "account delete", "account delete --password PW --yes")
	pw := fs.String("password", "", "the account's password; - reads it from standard input; empty uses NAUKAR_PASSWORD")
	yes := fs.Bool("yes", false, "confirm: close the account, sign out every device and delete the server's data after 28 days")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*yes {
		return usagef("closing the account signs out every device and deletes everything on the server after 28 days (our billing records are kept 7 years). Export first with `naukar account export -o FILE.zip`, then add --yes")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := syncapp.DeleteAccount(ctx, s, password(env, *pw))
	if err != nil {
		return syncErr(err)
	}
	fmt.Fprintf(env.Stdout, "Account closed. Every device is signed out. The server deletes the business's data on %s; until then write to us to reopen it. The books on this PC stay.\n",
		gst.FormatDay(res.PurgeAt.Local()))
	return nil
}
