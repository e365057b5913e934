package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
)

func init() {
	register("staff add", "staff add --name NAME --role owner|manager|cashier [--discount-limit PERCENT]   (the new PIN: NAUKAR_NEW_PIN, or a line of input)", cmdStaffAdd)
	register("staff list", "staff list [--json]", cmdStaffList)
	register("staff change", "staff change NAME [--name NEW] [--role ROLE] [--discount-limit PERCENT] [--pin]   (--pin: a new PIN from NAUKAR_NEW_PIN or input)", cmdStaffChange)
	register("staff remove", "staff remove NAME", cmdStaffRemove)
	register("staff overrides", "staff overrides [--limit 50] [--json]   (the log of manager-approved overrides)", cmdStaffOverrides)
	register("whoami", "whoami   (who the command line acts as, with --as NAME)", cmdWhoami)
}

// commandActions guards commands whose work the store does not guard
// (reads, this device's settings, the sync account) by the permission
// table: with staff, only a member whose role may do the action runs them.
var commandActions = map[string]staff.Action{
	"report":          staff.Reports,
	"export tally":    staff.Reports,
	"backup restore":  staff.Settings,
	"backup folder":   staff.Settings,
	"printer set":     staff.Settings,
	"update apply":    staff.Settings,
	"sync signup":     staff.ConnectSync,
	"sync login":      staff.ConnectSync,
	"sync logout":     staff.ConnectSync,
	"account export":  staff.Privacy,
	"export books":    staff.Privacy,
	"account delete":  staff.DeleteAccount,
	"staff overrides": staff.ViewSecurityDetails,
}

// globalArgs takes --books PATH and --as NAME (either form, any order) off
// the front of args.
func globalArgs(env *Env, args []string) (booksPath string, rest []string, err error) {
	for {
		var b string
		b, args, err = BooksArg(args)
		if err != nil {
			return "", nil, err
		}
		if b != "" {
			booksPath = b
		}
		if len(args) == 0 || (args[0] != "--as" && !strings.HasPrefix(args[0], "--as=")) {
			return booksPath, args, nil
		}
		if v, ok := strings.CutPrefix(args[0], "--as="); ok {
			env.As, args = v, args[1:]
		} else if len(args) > 1 {
			env.As, args = args[1], args[2:]
		} else {
			env.As = ""
		}
		if strings.TrimSpace(env.As) == "" {
			return "", nil, errors.New("--as needs a staff member's name")
		}
	}
}

// readLine reads one line byte by byte, so that what follows stays for the
// command (sell --json - reads the rest).
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	one := make([]byte, 1)
	for {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			b.WriteByte(one[0])
		}
		if err == io.EOF {
			if b.Len() == 0 {
				return "", err
			}
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSpace(b.String()), nil
}

func pinFrom(env *Env, envVar, what string) (string, error) {
	if p := os.Getenv(envVar); p != "" {
		return p, nil
	}
	if env.Stdin == nil {
		return "", books.Invalid("pin", "%s: set %s or type it on a line of input.", what, envVar)
	}
	p, err := readLine(env.Stdin)
	if err != nil || p == "" {
		return "", books.Invalid("pin", "%s: set %s or type it on a line of input.", what, envVar)
	}
	return p, nil
}

// actAs signs env.As in on the opened books, then checks the command's own
// guard (commandActions).
func actAs(env *Env, s *store.Store) error {
	if env.As != "" {
		pin, err := pinFrom(env, "NAUKAR_PIN", "The PIN of "+env.As)
		if err != nil {
			return err
		}
		if _, err := s.SignIn(context.Background(), env.As, pin); err != nil {
			return err
		}
	}
	if a, ok := commandActions[env.cmd]; ok && !s.Can(a) {
		who := s.Actor()
		d := &staff.Denied{Role: who.Role, Action: a, Name: who.Name}
		return &books.Error{Code: books.EFORBIDDEN, Field: string(a), Msg: d.Error()}
	}
	return nil
}

func parsePercentBP(s string) (int, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 100 {
		return 0, usagef("--discount-limit is a percentage from 0 to 100, such as 5 or 7.5")
	}
	return int(f*100 + 0.5), nil
}

func cmdStaffAdd(env *Env, args []string) error {
	fs := newFlags(env, "staff add", "staff add --name NAME --role owner|manager|cashier [--discount-limit PERCENT]")
	name := fs.String("name", "", "the member's name (they sign in by it)")
	role := fs.String("role", "", "owner, manager or cashier")
	limit := fs.String("discount-limit", "", "a cashier's largest discount without a manager's PIN, in percent (default 5)")
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := staff.ParseRole(*role)
	if err != nil {
		return usagef("%v", err)
	}
	in := store.StaffInput{Name: *name, Role: r, DiscountLimitBP: -1}
	if *limit != "" {
		if in.DiscountLimitBP, err = parsePercentBP(*limit); err != nil {
			return err
		}
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	if in.PIN, err = pinFrom(env, "NAUKAR_NEW_PIN", "The new PIN of "+*name); err != nil {
		return err
	}
	m, err := s.AddStaff(context.Background(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Added %s (%s).%s\n", m.Name, strings.ToLower(m.Role.Label()), limitNote(m))
	return nil
}

func limitNote(m staff.Member) string {
	if m.Role != staff.Cashier {
		return ""
	}
	return fmt.Sprintf(" Discounts above %s need a manager's PIN.", percentText(m.DiscountLimitBP))
}

func percentText(bp int) string {
	if bp%100 == 0 {
		return fmt.Sprintf("%d%%", bp/100)
	}
	return strings.TrimRight(fmt.Sprintf("%.2f", float64(bp)/100), "0") + "%"
}

// staffView is a member as `staff list --json` shows it (never the hash).
type staffView struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Role            string `json:"role"`
	DiscountLimitBP int    `json:"discount_limit_bp,omitempty"`
}

func cmdStaffList(env *Env, args []string) error {
	fs := newFlags(env, "staff list", "staff list [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.StaffList(context.Background())
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]staffView, 0, len(list))
		for _, m := range list {
			out = append(out, staffView{ID: m.ID, Name: m.Name, Role: string(m.Role), DiscountLimitBP: m.DiscountLimitBP})
		}
		return printJSON(env.Stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "No staff: whoever opens the books may do everything. Add yourself first, as the owner: naukar staff add --name NAME --role owner")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tDISCOUNT LIMIT")
	for _, m := range list {
		lim := "-"
		if m.Role == staff.Cashier {
			lim = percentText(m.DiscountLimitBP)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, strings.ToLower(m.Role.Label()), lim)
	}
	return tw.Flush()
}

func cmdStaffChange(env *Env, args []string) error {
	fs := newFlags(env, "staff change", "staff change NAME [--name NEW] [--role ROLE] [--discount-limit PERCENT] [--pin]")
	name := fs.String("name", "", "a new name")
	role := fs.String("role", "", "a new role: owner, manager or cashier")
	limit := fs.String("discount-limit", "", "a cashier's new discount limit, in percent")
	newPIN := fs.Bool("pin", false, "set a new PIN (from NAUKAR_NEW_PIN, or a line of input)")
	who, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if who == "" {
		return usagef("say whom to change: naukar staff change NAME …")
	}
	in := store.StaffInput{Name: *name, DiscountLimitBP: -1}
	if *role != "" {
		if in.Role, err = staff.ParseRole(*role); err != nil {
			return usagef("%v", err)
		}
	}
	if *limit != "" {
		if in.DiscountLimitBP, err = parsePercentBP(*limit); err != nil {
			return err
		}
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	if *newPIN {
		if in.PIN, err = pinFrom(env, "NAUKAR_NEW_PIN", "The new PIN of "+who); err != nil {
			return err
		}
	}
	m, err := s.ChangeStaff(context.Background(), who, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s is a %s.%s\n", m.Name, strings.ToLower(m.Role.Label()), limitNote(m))
	return nil
}

func cmdStaffRemove(env *Env, args []string) error {
	fs := newFlags(env, "staff remove", "staff remove NAME")
	who, err := parseWithArg(fs, args)
	if err != nil {
		return err
	}
	if who == "" {
		return usagef("say whom to remove: naukar staff remove NAME")
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	m, err := s.FindStaff(context.Background(), who)
	if err != nil {
		return err
	}
	if err := s.RemoveStaff(context.Background(), m.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Removed %s; their PIN no longer works on any counter once the books sync. Documents they made keep their name.\n", m.Name)
	return nil
}

func cmdStaffOverrides(env *Env, args []string) error {
	fs := newFlags(env, "staff overrides", "staff overrides [--limit 50] [--json]")
	limit := fs.Int("limit", 50, "how many, newest first")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	log, err := s.Overrides(context.Background(), *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		if log == nil {
			log = []staff.Override{}
		}
		return printJSON(env.Stdout, log)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (UTC)\tWHAT\tCASHIER\tAPPROVED BY\tDETAIL")
	for _, o := range log {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", strings.Replace(strings.TrimSuffix(o.CreatedAt, "Z"), "T", " ", 1),
			o.Action.Label(), o.CashierName, o.ApproverName, o.Detail)
	}
	return tw.Flush()
}

func cmdWhoami(env *Env, args []string) error {
	fs := newFlags(env, "whoami", "whoami")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openExisting(env)
	if err != nil {
		return err
	}
	defer s.Close()
	has, err := s.HasStaff(context.Background())
	if err != nil {
		return err
	}
	a := s.Actor()
	switch {
	case !has:
		fmt.Fprintln(env.Stdout, "The owner: these books have no staff, so whoever opens them may do everything.")
	case a.SignedIn():
		fmt.Fprintf(env.Stdout, "%s (%s)\n", a.Name, strings.ToLower(a.Role.Label()))
	default:
		fmt.Fprintln(env.Stdout, "Nobody: these books have staff; pass --as NAME to act as one of them.")
	}
	return nil
}
