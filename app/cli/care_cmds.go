package cli

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
)

func init() {
	register("backup now", "backup now", cmdBackupNow)
	register("backup list", "backup list [--json]", cmdBackupList)
	register("backup restore", "backup restore [FILE]   (no FILE: the newest good backup)", cmdBackupRestore)
	register("backup folder", "backup folder [PATH|--default] [--keep N]", cmdBackupFolder)
	register("backup check", "backup check [--full]", cmdBackupCheck)
}

func cmdBackupNow(env *Env, args []string) error {
	fs := newFlags(env, "backup now", "backup now")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	m := backup.New(env.Books)
	res, err := m.Make(context.Background(), s, backup.Manual)
	if err != nil {
		return err
	}
	if res.Fallback != "" {
		fmt.Fprintln(env.Stderr, "naukar backup now:", res.Fallback)
	}
	fmt.Fprintf(env.Stdout, "Backed up the books to %s (%s, %s). Keeping the newest %d backups.\n",
		res.Path, size(res.Size), res.Took.Round(time.Millisecond), m.Keep())
	return nil
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	}
}

func cmdBackupList(env *Env, args []string) error {
	fs := newFlags(env, "backup list", "backup list [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	m := backup.New(env.Books)
	bs, err := m.List()
	if err != nil {
		return err
	}
	if *asJSON {
		if bs == nil {
			bs = []backup.Backup{}
		}
		return printJSON(env.Stdout, bs)
	}
	folder, _ := m.Folder()
	if len(bs) == 0 {
		fmt.Fprintf(env.Stdout, "No backups yet in %s: run `naukar backup now`.\n", folder)
		return nil
	}
	fmt.Fprintf(env.Stdout, "Backups of %s (folder %s, keeping %d), newest first:\n", env.Books, folder, m.Keep())
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MADE\tWHY\tSIZE\tFILE")
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", gst.FormatDay(b.Time)+" "+b.Time.Format("15:04:05"), b.Reason, size(b.Size), b.Path)
	}
	return tw.Flush()
}

func cmdBackupRestore(env *Env, args []string) error {
	fs := newFlags(env, "backup restore", "backup restore [FILE]")
	file, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	m := backup.New(env.Books)
	var b backup.Backup
	if file != "" {
		if b, err = backup.FileBackup(file); err != nil {
			return err
		}
	} else {
		c, err := m.NewestGood(ctx)
		if err != nil {
			return err
		}
		b = c.Backup
	}
	res, err := m.Restore(ctx, b)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Restored the books from %s (made %s, %d invoices).\n", res.From.Path,
		res.From.Time.Format("2006-01-02 15:04"), res.From.Info.Invoices)
	if res.Aside != "" {
		fmt.Fprintf(env.Stdout, "The books it replaced are kept as %s.\n", res.Aside)
	}
	return nil
}

func cmdBackupFolder(env *Env, args []string) error {
	fs := newFlags(env, "backup folder", "backup folder [PATH|--default] [--keep N]")
	def := fs.Bool("default", false, "go back to the default folder beside the books")
	keep := fs.Int("keep", -1, "how many backups to keep (default "+strconv.Itoa(backup.DefaultKeep)+")")
	dir, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	m := backup.New(env.Books)
	st, err := m.Settings()
	if err != nil {
		return err
	}
	if dir == "" && !*def && *keep < 0 {
		folder, _ := m.Folder()
		fmt.Fprintf(env.Stdout, "Backups go to %s; the newest %d are kept.\n", folder, m.Keep())
		return nil
	}
	if dir != "" && *def {
		return usagef("give a folder or --default, not both")
	}
	if dir == "" && !*def {
		dir = st.Folder
	}
	k := st.Keep
	if *keep >= 0 {
		if *keep == 0 {
			return books.Invalid("keep", "Keep at least one backup.")
		}
		k = *keep
	}
	if err := m.SetFolder(dir, k); err != nil {
		return err
	}
	folder, _ := m.Folder()
	fmt.Fprintf(env.Stdout, "Backups now go to %s; the newest %d are kept.\n", folder, m.Keep())
	return nil
}

func cmdBackupCheck(env *Env, args []string) error {
	fs := newFlags(env, "backup check", "backup check [--full]")
	full := fs.Bool("full", false, "the full integrity check (every index against its table), not the quick one")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	problems, err := s.Check(context.Background(), *full)
	if err != nil {
		return err
	}
	kind := "quick"
	if *full {
		kind = "full"
	}
	if len(problems) == 0 {
		fmt.Fprintf(env.Stdout, "The books are sound (%s check, %s).\n", kind, time.Since(start).Round(time.Millisecond))
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(env.Stderr, " ", p)
	}
	return books.Errorf(books.ECONFLICT, "The %s check found %d problem(s) in the books (listed above). Restore the newest good backup with `naukar backup restore`; the damaged file is kept aside.", kind, len(problems))
}
