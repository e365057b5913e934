package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

func init() {
	register("account plan", "account plan [--json]   (the plan, its limits and this month's use, from the sync server)", cmdAccountPlan)
	register("account subscribe", "account subscribe PLAN [--no-browser]   (prints and opens the page to pay for a plan)", cmdAccountSubscribe)
}

func cmdAccountPlan(env *Env, args []string) error {
	fs := newFlags(env, "account plan", "account plan [--json]")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := syncapp.Plan(ctx, s)
	if err != nil {
		return syncErr(err)
	}
	if *asJSON {
		return printJSON(env.Stdout, st)
	}
	fmt.Fprintln(env.Stdout, PlanSummary(st))
	return nil
}

// PlanSummary is the plan status in plain lines.
func PlanSummary(st protocol.BillingStatus) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan: %s", st.PlanName)
	switch {
	case st.Status == "none":
	case st.CurrentEnd != nil && st.CancelAtCycleEnd:
		fmt.Fprintf(&b, " (cancelled: ends %s)", gst.FormatDay(st.CurrentEnd.Local()))
	case st.CurrentEnd != nil:
		fmt.Fprintf(&b, " (%s, paid until %s)", st.Status, gst.FormatDay(st.CurrentEnd.Local()))
	default:
		fmt.Fprintf(&b, " (%s)", st.Status)
	}
	b.WriteString("\n")
	if st.Subscribed != "" && st.Subscribed != st.Plan && st.Status != "none" {
		fmt.Fprintf(&b, "The %s subscription has lapsed (%s): free limits apply until it is paid.\n", st.Subscribed, st.Status)
	} else if st.GraceEnds != nil {
		fmt.Fprintf(&b, "Payment %s: the plan's limits hold until %s, then the free plan's.\n", st.Status, gst.FormatDay(st.GraceEnds.Local()))
	}
	fmt.Fprintf(&b, "Devices signed in: %d of %d\n", st.Used.Devices, st.Limits.Devices)
	fmt.Fprintf(&b, "WhatsApp messages this month: %d of %d\n", st.Used.WhatsApp, st.Limits.WhatsApp)
	fmt.Fprintf(&b, "AI questions this month: %d of %d\n", st.Used.AI, st.Limits.AI)
	fmt.Fprintf(&b, "This month's counts start again on %s.", gst.FormatDay(st.ResetsOn.In(istZone)))
	if len(st.Plans) > 0 {
		b.WriteString("\nPlans:")
		for _, p := range st.Plans {
			price := "free"
			if p.PricePaise > 0 {
				price = gst.FormatINR(p.PricePaise) + " a month incl. GST"
			}
			fmt.Fprintf(&b, "\n  %-9s %s: %d devices, %d WhatsApp messages, %d AI questions a month", p.ID, price,
				p.Limits.Devices, p.Limits.WhatsApp, p.Limits.AI)
		}
	}
	return b.String()
}

func cmdAccountSubscribe(env *Env, args []string) error {
	fs := newFlags(env, "account subscribe", "account subscribe PLAN [--no-browser]")
	noBrowser := fs.Bool("no-browser", false, "only print the page's address")
	plan := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		plan, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if plan == "" && fs.NArg() > 0 {
		plan = fs.Arg(0)
	}
	if plan == "" {
		return usagef("name the plan, e.g. naukar account subscribe pro (naukar account plan lists them)")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := syncapp.Subscribe(ctx, s, strings.ToLower(plan))
	if err != nil {
		return syncErr(err)
	}
	fmt.Fprintf(env.Stdout, "Pay for the %s plan on this page (Razorpay):\n%s\nThe plan starts as soon as the payment is confirmed; `naukar account plan` shows it.\n", plan, res.CheckoutURL)
	if !*noBrowser && os.Getenv("NAUKAR_NO_BROWSER") == "" {
		if err := openBrowser(res.CheckoutURL); err != nil {
			fmt.Fprintln(env.Stderr, "Could not open a browser; open the address above yourself.")
		}
	}
	return nil
}

// openBrowser opens url in the system's browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// istZone is India time: monthly counts start again at 00:00 IST, which is
// the day before in UTC.
var istZone = time.FixedZone("IST", 5*3600+1800)
