package ui_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/ui"
)

// TestStaffScreensHaveHindi: every word of the staff screens and dialogs
// (the lock screen, Settings → Staff and roles, the manager's approval,
// made-by, collections by staff, the staff errors), every role and every
// action of the permission table has a Hindi translation, and English.
func TestStaffScreensHaveHindi(t *testing.T) {
	keys := map[string]bool{"Made by %s": true, "Collections by staff": true, "Switch user (lock the counter)": true, "Staff and roles…": true}
	for _, r := range staff.Roles() {
		keys[r.Label()] = true
	}
	for _, a := range staff.Actions() {
		keys[a.Label()] = true
	}
	haveHindi(t, keys, 80, "staff.go", "staffscreen.go", "staff_words.go")
}

// haveHindi checks that keys and every string literal given to L in files
// are in en.json (as themselves) and in hi.json in Hindi with the same
// verbs; fewer than least strings means the parse missed some.
func haveHindi(t *testing.T, keys map[string]bool, least int, files ...string) {
	t.Helper()
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "L" || len(call.Args) != 1 {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				keys[s] = true
			}
			return true
		})
	}
	if len(keys) < least {
		t.Fatalf("only %d strings found: the parse missed some", len(keys))
	}
	read := func(lang string) map[string]string {
		b, err := os.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	en, hi := read("en"), read("hi")
	for k := range keys {
		if en[k] != k {
			t.Errorf("en.json lacks %q", k)
		}
		v, ok := hi[k]
		if !ok {
			t.Errorf("hi.json lacks %q", k)
			continue
		}
		if k != "PIN" && !strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(unicode.Devanagari, r) }) {
			t.Errorf("hi.json has no Hindi for %q: %q", k, v)
		}
		if strings.Count(v, "%") != strings.Count(k, "%") {
			t.Errorf("hi.json's %q has other verbs than %q", v, k)
		}
	}
}

// TestStaffMessagesInEnglish: the screens' words for the staff errors read
// in English exactly as the errors do (the CLI and the server say those).
func TestStaffMessagesInEnglish(t *testing.T) {
	ui.LoadTranslations()
	n := 0
	for _, r := range append(staff.Roles(), "") {
		for _, a := range staff.Actions() {
			for _, name := range []string{"", "Ravi"} {
				d := &staff.Denied{Role: r, Action: a, Name: name}
				if staff.Allowed(r, a) {
					continue
				}
				n++
				if got := ui.Message(d); got != d.Error() {
					t.Errorf("%s %s %q: %q, want %q", r, a, name, got, d.Error())
				}
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d refusals checked", n)
	}
	for _, err := range []error{&staff.ErrWrongPIN{Name: "Ravi", Left: 3}, &staff.ErrWrongPIN{Name: "Ravi"},
		&staff.ErrLocked{Name: "Ravi", Until: time.Date(2026, 10, 5, 11, 30, 0, 0, time.Local)}} {
		if got := ui.Message(err); got != err.Error() {
			t.Errorf("%q, want %q", got, err.Error())
		}
	}
}
