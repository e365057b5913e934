package core_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/cli"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/importer"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// outcome is what an entry point made of an input: the value it keeps, or
// "refused".
type outcome string

const refused outcome = "refused"

func outcomeOf(v string, err error) outcome {
	if err != nil {
		return refused
	}
	return outcome(v)
}

// validSignup is a sign-up the server accepts; cases change one field.
func validSignup() core.Signup {
	return core.Signup{
		Owner:        protocol.SignupOwner{Name: "Ramesh Kumar", Email: "ramesh@example.in", Phone: "9876543210", Password: "correct horse"},
		Business:     protocol.SignupBusiness{Name: "Kumar Kirana", StateCode: "27"},
		AgeConfirmed: true, TermsAccepted: true,
	}
}

func serverSignup(change func(*core.Signup)) (core.Signup, error) {
	s := validSignup()
	change(&s)
	s.Normalize()
	return s, s.Validate()
}

// naukar runs the app's CLI on the books at path and returns its exit code
// and what it wrote to stderr.
func naukar(path string, args ...string) (int, string) {
	var out, errb bytes.Buffer
	code := cli.Main(append([]string{"--books", path}, args...), &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, errb.String()
}

func readBooks(t *testing.T, path string, fn func(s *store.Store)) {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(s)
}

// TestAppAndServerAgreeOnPhones runs owner and customer phone numbers
// through every entry point of the app (the books' rule for a party, the
// CSV importer, `naukar party add`, `naukar import parties`) and through
// the server's sign-up check: all accept the same numbers and keep the
// same 10 digits. The first three inputs are the ones the app and the
// server used to disagree on.
func TestAppAndServerAgreeOnPhones(t *testing.T) {
	cases := []struct {
		in   string
		want outcome
	}{
		{"09876543210", "9876543210"},     // the server used to refuse it
		{"+91 98765-43210", "9876543210"}, // the server used to keep 919876543210
		{"9876543210", "9876543210"},
		{"919876543210", "9876543210"},
		{"+91 (70000) 12345", "7000012345"},
		{"+1 9876543210", refused},
		{"98765", refused},
		{"9876543210 (shop)", refused}, // the app used to keep the digits
		{"5876543210", refused},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "books.db")
	if code, msg := naukar(path, "init", "--name", "Kumar Kirana", "--state", "27"); code != 0 {
		t.Fatalf("init: %s", msg)
	}
	for i, tc := range cases {
		got := map[string]outcome{}

		p := books.Party{Name: "Ramesh", Phone: tc.in}
		p.Normalize()
		got["books.Party"] = outcomeOf(p.Phone, p.Validate())

		parties, _, err := importer.Parties(strings.NewReader("name,phone\nRamesh,\"" + tc.in + "\"\n"))
		if err == nil {
			parties[0].Normalize() // as the store does when it saves
			got["importer.Parties"] = outcome(parties[0].Phone)
		} else {
			got["importer.Parties"] = refused
		}

		added, imported := fmt.Sprint("Added ", i), fmt.Sprint("Imported ", i)
		code, _ := naukar(path, "party", "add", "--name", added, "--phone", tc.in)
		csv := filepath.Join(dir, fmt.Sprint("parties", i, ".csv"))
		if err := os.WriteFile(csv, []byte("name,phone\n"+imported+",\""+tc.in+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code2, _ := naukar(path, "import", "parties", csv)
		readBooks(t, path, func(s *store.Store) {
			for _, c := range []struct {
				name, entry string
				code        int
			}{{added, "naukar party add", code}, {imported, "naukar import parties", code2}} {
				got[c.entry] = refused
				if c.code == 0 {
					p, err := s.FindParty(c.name)
					if err != nil {
						t.Fatalf("%s %q: exit 0 but %v", c.entry, tc.in, err)
					}
					got[c.entry] = outcome(p.Phone)
				}
			}
		})

		su, err := serverSignup(func(s *core.Signup) { s.Owner.Phone = tc.in })
		got["server sign-up"] = outcomeOf(su.Owner.Phone, err)

		for entry, o := range got {
			if o != tc.want {
				t.Errorf("phone %q through %s: %s, want %s", tc.in, entry, o, tc.want)
			}
		}
		if tc.want != refused {
			if intl, err := gst.MobileWithCountryCode(tc.in); err != nil || intl != "91"+string(tc.want) {
				t.Errorf("MobileWithCountryCode(%q) = %q, %v", tc.in, intl, err)
			}
		}
	}
}

// TestAppAndServerAgreeOnRegistrations runs a business's state code and
// GSTIN through the app's shop profile (the books' rule and `naukar init`)
// and the server's sign-up check: all accept the same registrations and
// keep the same state. 96 (Other Countries) is refused for a business on
// both sides; a party abroad may still have it (see the end).
func TestAppAndServerAgreeOnRegistrations(t *testing.T) {
	gstin97 := "97AAPFU0939F1Z"
	c, err := gst.GSTINCheckChar(gstin97)
	if err != nil {
		t.Fatal(err)
	}
	gstin97 += string(c)
	cases := []struct {
		state, gstin string
		want         outcome // the state kept
	}{
		{"96", "", refused}, // the app used to accept it
		{"97", "", "97"},
		{"97", gstin97, "97"},
		{"27", "", "27"},
		{"7", "", "07"},
		{"Maharashtra", "", "27"},
		{"25", "", refused},
		{"28", "", refused},
		{"39", "", refused},
		{"", "", refused},
		{"27", "27AAPFU0939F1ZV", "27"},
		{"", " 27aapfu0939f1zv ", "27"},
		{"27", "27AAPFU0939F1ZW", refused}, // check character
		{"27", "27AAPFU0939F0ZV", refused}, // entity number 0: the server used to accept it
		{"27", "29AABCR1718E1ZL", refused}, // GSTIN of another state
	}
	dir := t.TempDir()
	for i, tc := range cases {
		got := map[string]outcome{}

		b := books.Business{Name: "Kumar Kirana", StateCode: tc.state, GSTIN: tc.gstin, InvoicePrefix: "INV"}
		b.Normalize()
		got["books.Business"] = outcomeOf(b.StateCode, b.Validate())

		path := filepath.Join(dir, fmt.Sprint("books", i, ".db"))
		args := []string{"init", "--name", "Kumar Kirana", "--state", tc.state}
		if tc.gstin != "" {
			args = append(args, "--gstin", tc.gstin)
		}
		got["naukar init"] = refused
		if code, _ := naukar(path, args...); code == 0 {
			readBooks(t, path, func(s *store.Store) {
				biz, err := s.Business()
				if err != nil {
					t.Fatal(err)
				}
				got["naukar init"] = outcome(biz.StateCode)
			})
		}

		su, err := serverSignup(func(s *core.Signup) { s.Business.StateCode, s.Business.GSTIN = tc.state, tc.gstin })
		got["server sign-up"] = outcomeOf(su.Business.StateCode, err)

		for entry, o := range got {
			if o != tc.want {
				t.Errorf("state %q GSTIN %q through %s: %s, want %s", tc.state, tc.gstin, entry, o, tc.want)
			}
		}
	}

	// 96 stays a valid state for a party (a customer abroad: an export).
	p := books.Party{Name: "Acme Ltd", StateCode: "96"}
	p.Normalize()
	if err := p.Validate(); err != nil {
		t.Errorf("party in state 96: %v", err)
	}
	if _, _, err := importer.Parties(strings.NewReader("name,state_code\nAcme Ltd,96\n")); err != nil {
		t.Errorf("import a party in state 96: %v", err)
	}
}
