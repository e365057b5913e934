package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("sync", "sync   (one full sync round: push, then pull)", cmdSync)
	register("sync signup", "sync signup --server URL --name NAME --email EMAIL --phone PHONE --password PW --business-name NAME --state CODE [--gstin …]", cmdSyncSignup)
	register("sync login", "sync login --server URL --login EMAIL|PHONE --password PW --device-name NAME", cmdSyncLogin)
	register("sync status", "sync status [--json]", cmdSyncStatus)
	register("sync logout", "sync logout", cmdSyncLogout)
}

// password reads "-" as a line from standard input, and NAUKAR_PASSWORD
// when the flag is empty, so it need not appear in the process list.
func password(env *Env, v string) string {
	if v == "-" {
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		return strings.TrimRight(line, "\r\n")
	}
	if v == "" {
		return os.Getenv("NAUKAR_PASSWORD")
	}
	return v
}

func cmdSyncSignup(env *Env, args []string) error {
	fs := newFlags(env, "sync signup", "sync signup --server URL --name NAME --email EMAIL --phone PHONE --password PW --business-name NAME --state CODE")
	var req protocol.SignupRequest
	server := fs.String("server", "", "sync server URL (required)")
	fs.StringVar(&req.Owner.Name, "name", "", "owner's name")
	fs.StringVar(&req.Owner.Email, "email", "", "owner's email")
	fs.StringVar(&req.Owner.Phone, "phone", "", "owner's mobile number")
	pw := fs.String("password", "", "password (at least 8 characters); - reads it from standard input; empty uses NAUKAR_PASSWORD")
	fs.StringVar(&req.Business.Name, "business-name", "", "business name")
	fs.StringVar(&req.Business.StateCode, "state", "", "business state code, e.g. 27")
	fs.StringVar(&req.Business.GSTIN, "gstin", "", "business GSTIN (optional)")
	fs.StringVar(&req.Business.Address, "address", "", "business address")
	fs.StringVar(&req.Business.City, "city", "", "city")
	fs.StringVar(&req.Business.Category, "category", "", "kind of shop, e.g. grocery")
	fs.BoolVar(&req.AgeConfirmed, "age-confirmed", true, "you confirm you are 18 or older (AI Naukar is not for anyone under 18)")
	fs.BoolVar(&req.TermsAccepted, "accept-terms", true, "you accept the terms of service and privacy policy")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *server == "" {
		return usagef("give --server URL")
	}
	if err := warnServer(env, *server); err != nil {
		return err
	}
	req.Owner.Password = password(env, *pw)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := syncapp.Signup(ctx, *server, req)
	if err != nil {
		return syncErr(err)
	}
	fmt.Fprintf(env.Stdout, "Account created for %s (business %s). By signing up you confirmed you are 18 or older and accepted the terms.\nNext: naukar sync login --server %s --login %s --device-name \"Counter 1\"\n",
		req.Business.Name, res.BusinessID, *server, req.Owner.Email)
	return nil
}

func cmdSyncLogin(env *Env, args []string) error {
	fs := newFlags(env, "sync login", "sync login --server URL --login EMAIL|PHONE --password PW --device-name NAME")
	server := fs.String("server", "", "sync server URL (required)")
	login := fs.String("login", "", "email or phone (required)")
	pw := fs.String("password", "", "password; - reads it from standard input; empty uses NAUKAR_PASSWORD")
	host, _ := os.Hostname()
	device := fs.String("device-name", host, "a name for this device, e.g. Counter 2")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *server == "" || *login == "" {
		return usagef("give --server URL and --login EMAIL|PHONE")
	}
	if err := warnServer(env, *server); err != nil {
		return err
	}
	s, err := openBooks(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := syncapp.Login(ctx, s, *server, *login, password(env, *pw), *device)
	if err != nil {
		return syncErr(err)
	}
	what := "Signed in."
	switch {
	case res.Uploading:
		what = "Signed in as the first device: `naukar sync` uploads these books."
	case res.Joining:
		what = "Signed in on new books."
	}
	fmt.Fprintf(env.Stdout, "%s Invoice series for this device: %s. Token kept in %s.\n", what, res.Series, res.TokenWhere)
	if !res.Joining {
		return nil
	}
	// A new counter: products and parties now, so it can bill; the history
	// comes with `naukar sync` (billing may go on meanwhile).
	eng, err := syncapp.Engine(s)
	if err != nil {
		return err
	}
	eng.OnDownload = downloadPrinter(env)
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer dcancel()
	if _, err := eng.ReadyToBill(dctx); err != nil {
		fmt.Fprintf(env.Stderr, "naukar sync login: signed in, but the download stopped: %s Run `naukar sync` to go on from where it stopped.\n", client.Explain(err))
		return exitError{1}
	}
	fmt.Fprintln(env.Stdout, "Ready to bill: products and parties are in. `naukar sync` brings the history (you can bill meanwhile; stock and balances are final when it ends).")
	return nil
}

// downloadPrinter prints a new counter's download progress on standard
// error: each table of the masters, then the history every 10%.
func downloadPrinter(env *Env) func(client.Download) {
	lastTable, lastPct := "", -1
	return func(d client.Download) {
		switch d.Part {
		case client.PartMasters:
			if d.Table != lastTable {
				lastTable = d.Table
				fmt.Fprintf(env.Stderr, "Downloading %s…\n", strings.ReplaceAll(d.Table, "_", " "))
			}
		case client.PartHistory:
			if p := d.Percent() / 10 * 10; p != lastPct {
				lastPct = p
				fmt.Fprintf(env.Stderr, "History: %d%%\n", p)
			}
		}
	}
}

func syncErr(err error) error {
	if ae, ok := err.(*client.APIError); ok {
		return fmt.Errorf("%s", ae.Message)
	}
	return err
}

func cmdSync(env *Env, args []string) error {
	fs := newFlags(env, "sync", "sync   (one full round: push this device's changes, then pull the others')")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	eng, err := syncapp.Engine(s)
	if err != nil {
		return err
	}
	if !*quiet {
		eng.OnDownload = downloadPrinter(env)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	st, err := eng.Round(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "naukar sync: %s\n", client.Explain(err))
		return exitError{1}
	}
	if !*quiet {
		fmt.Fprintf(env.Stdout, "Synced: %s received, %d waiting.\n", gst.Count(st.Pulled, "change", "changes"), st.Pending)
		for _, r := range st.Rejected {
			fmt.Fprintf(env.Stdout, "Refused by the server: %s %s: %s\n", r.Table, r.ID, r.Message)
		}
	}
	return nil
}

func cmdSyncStatus(env *Env, args []string) error {
	fs := newFlags(env, "sync status", "sync status [--json]")
	asJSON := fs.Bool("json", false, "print JSON: last_synced, pending, error")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := syncapp.Status(s)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, st)
	}
	last := st.LastSynced
	if t, err := time.Parse(time.RFC3339, last); err == nil {
		last = gst.FormatDay(t.Local()) + " " + t.Local().Format("15:04")
	} else if last == "" {
		last = "never"
	}
	fmt.Fprintf(env.Stdout, "Last synced: %s\nChanges waiting: %d\n", last, st.Pending)
	if d := st.Download; d != nil {
		if d.Part == client.PartMasters {
			fmt.Fprintln(env.Stdout, "Download: products and parties still coming; run `naukar sync` to go on. Billing starts when they are in.")
		} else {
			fmt.Fprintf(env.Stdout, "Download: the history is %d%% in; run `naukar sync` to go on. Billing works; stock and balances are final when it ends.\n", d.Percent())
		}
	}
	if st.Error != "" {
		fmt.Fprintf(env.Stdout, "Problem: %s\n", st.Error)
	}
	return nil
}

func cmdSyncLogout(env *Env, args []string) error {
	fs := newFlags(env, "sync logout", "sync logout   (sign this device out; the books stay)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := syncapp.Logout(ctx, s); err != nil {
		fmt.Fprintf(env.Stderr, "naukar sync logout: signed out here, but the server could not be told (%s)\n", client.Explain(err))
		return exitError{1}
	}
	fmt.Fprintln(env.Stdout, "Signed out. The books stay on this device.")
	return nil
}

// warnServer refuses a server address that is no web address and prints
// the warning for a plain http:// one (syncapp.CheckServerURL) before the
// password is sent.
func warnServer(env *Env, server string) error {
	warning, err := syncapp.CheckServerURL(server)
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintln(env.Stderr, warning)
	}
	return nil
}
