// Package cli is the `naukar` command line over the same books the window
// shows. It never touches the display.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ainaukar/naukar/app/backup"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/version"
)

// Env is what a command runs with.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Books  string // path of the books file
	// As is the staff member the command acts as (--as NAME); their PIN is
	// NAUKAR_PIN, else the first line of standard input.
	As string

	cmd string // the command being run (staff_cmds.go guards some)
}

type command struct {
	name  string
	usage string
	run   func(env *Env, args []string) error
}

var commands []command

func register(name, usage string, run func(env *Env, args []string) error) {
	commands = append(commands, command{name, usage, run})
}

// exitError carries an exit code with an already-printed message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// DefaultBooksPath is NAUKAR_BOOKS, else naukar/books.db in the user config dir.
func DefaultBooksPath() string {
	if p := os.Getenv("NAUKAR_BOOKS"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "naukar", "books.db")
}

// BooksArg takes the global flag --books PATH (or --books=PATH) off the
// front of args: the books file ("" when not given) and the rest. With no
// rest, the program opens the window on that file.
func BooksArg(args []string) (books string, rest []string, err error) {
	for len(args) > 0 && (args[0] == "--books" || strings.HasPrefix(args[0], "--books=")) {
		if v, ok := strings.CutPrefix(args[0], "--books="); ok {
			books, args = v, args[1:]
		} else if len(args) > 1 {
			books, args = args[1], args[2:]
		} else {
			return "", nil, errors.New("--books needs a file path")
		}
		if books == "" {
			return "", nil, errors.New("--books needs a file path")
		}
	}
	return books, args, nil
}

// Main runs the CLI with args (without the program name) and returns the
// process exit code: 0 ok, 1 a problem with the input or the books, 2 usage.
func Main(args []string, env *Env) int {
	if env.Books == "" {
		env.Books = DefaultBooksPath()
	}
	books, args, err := globalArgs(env, args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "naukar: %v\n", err)
		return 2
	}
	if books != "" {
		env.Books = books
	}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "version") {
		fmt.Fprintln(env.Stdout, version.String("naukar"))
		return 0
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		usage(env.Stdout)
		return 0
	}
	name := args[0]
	// Two-word commands ("invoice list", "sync status") win over one-word ones ("sync").
	if len(args) > 1 {
		for _, c := range commands {
			if c.name == name+" "+args[1] {
				env.cmd = c.name
				return report(env, c.name, c.run(env, args[2:]))
			}
		}
	}
	for _, c := range commands {
		if c.name == name {
			env.cmd = c.name
			return report(env, c.name, c.run(env, args[1:]))
		}
	}
	var group []string
	for _, c := range commands {
		if strings.HasPrefix(c.name, name+" ") {
			group = append(group, "  naukar "+c.usage)
		}
	}
	if len(group) > 0 {
		fmt.Fprintf(env.Stderr, "naukar %s: say what to do:\n%s\n", name, strings.Join(group, "\n"))
		return 2
	}
	fmt.Fprintf(env.Stderr, "naukar: unknown command %q; run `naukar help` for the list.\n", name)
	return 2
}

func report(env *Env, name string, err error) int {
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ie *store.ImportError
	if errors.As(err, &ie) {
		fmt.Fprintf(env.Stderr, "naukar %s: %s\n", name, ie.Error())
		return 1
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "naukar %s: %s\n", name, ue.msg)
		return 2
	}
	if books.ErrorCode(err) == books.EINTERNAL {
		fmt.Fprintf(env.Stderr, "naukar %s: %v\n", name, err)
		return 1
	}
	msg := books.ErrorMessage(err)
	if books.ErrorCode(err) == books.EFORBIDDEN && env.As == "" {
		msg += " Act as someone who may with --as NAME (their PIN from NAUKAR_PIN, or typed on the first line of input)."
	}
	if printing.IsSetupError(err) {
		msg += " Choose this counter's printer with `naukar printer set --name NAME` (or --raw DEVICE|HOST:9100); `naukar printer list` shows the printers."
	}
	fmt.Fprintf(env.Stderr, "naukar %s: %s\n", name, msg)
	return 1
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func usage(w io.Writer) {
	fmt.Fprintln(w, "naukar — billing, stock and GST books for your shop.")
	fmt.Fprintln(w, "With no command (naukar, or naukar --books FILE) it opens the window. Commands (each takes --help):")
	cs := append([]command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  naukar %s\n", c.usage)
	}
	fmt.Fprintln(w, "  naukar --version")
	fmt.Fprintln(w, "Global: --books PATH (or NAUKAR_BOOKS) picks the books file; default:", DefaultBooksPath())
	fmt.Fprintln(w, "        --as NAME acts as that staff member (PIN from NAUKAR_PIN, or the first line of input); books with staff need it")
}

// newFlags makes a FlagSet that prints its usage to stdout on --help.
func newFlags(env *Env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fs.SetOutput(env.Stdout)
		fmt.Fprintf(env.Stdout, "usage: naukar %s\n", usageLine)
		fs.PrintDefaults()
		fs.SetOutput(env.Stderr)
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return exitError{2}
	}
	return nil
}

// parseWithArg parses flags and returns the command's one positional
// argument, given before the flags or after them ("" if none).
func parseWithArg(fs *flag.FlagSet, args []string) (string, error) {
	arg, rest := leadingArg(args)
	if err := parse(fs, rest); err != nil {
		return "", err
	}
	if arg == "" && fs.NArg() > 0 {
		arg = fs.Arg(0)
	}
	return arg, nil
}

// openBooks opens the books: refused untouched when a newer app made them,
// backed up first when they need migrating.
func openBooks(env *Env) (*store.Store, error) {
	s, err := backup.New(env.Books).Open(store.Options{})
	if err != nil {
		return nil, err
	}
	if err := actAs(env, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openExisting opens books that must already exist.
func openExisting(env *Env) (*store.Store, error) {
	if _, err := os.Stat(env.Books); err != nil {
		return nil, books.Errorf(books.ENOTFOUND, "No books at %s: run `naukar init` first, or pass --books PATH.", env.Books)
	}
	return openBooks(env)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func readInput(env *Env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(env.Stdin)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, books.Errorf(books.ENOTFOUND, "Cannot read %s: %v", name, errors.Unwrap(err))
	}
	return b, nil
}
