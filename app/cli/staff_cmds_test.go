package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaffCommands: the owner sets staff up from the command line; with
// staff, every command acts as someone (--as NAME, PIN on the first line
// of input) and a cashier cannot reach what their role may not.
func TestStaffCommands(t *testing.T) {
	books := filepath.Join(t.TempDir(), "books.db")
	mustRun(t, books, "", "init", "--name", "Sharma Stores", "--state", "27")
	if out := mustRun(t, books, "", "whoami"); !strings.Contains(out, "no staff") {
		t.Errorf("whoami without staff: %s", out)
	}
	wantFail(t, run(t, books, "1470\n", "staff", "add", "--name", "Ravi", "--role", "cashier"), 1, "Add yourself first, as the owner")
	wantFail(t, run(t, books, "1234\n", "staff", "add", "--name", "Meera", "--role", "owner"), 1, "too easy to guess")
	if out := mustRun(t, books, "2580\n", "staff", "add", "--name", "Meera", "--role", "owner"); !strings.Contains(out, "Added Meera (owner).") {
		t.Errorf("add owner: %s", out)
	}
	// Now the books have staff: nobody may add staff without the owner's PIN.
	wantFail(t, run(t, books, "1470\n", "staff", "add", "--name", "Ravi", "--role", "cashier"), 1, "--as NAME")
	out := mustRun(t, books, "2580\n1470\n", "--as", "Meera", "staff", "add", "--name", "Ravi", "--role", "cashier", "--discount-limit", "7.5")
	if !strings.Contains(out, "Added Ravi (cashier). Discounts above 7.5% need a manager's PIN.") {
		t.Errorf("add cashier: %s", out)
	}
	mustRun(t, books, "2580\n3690\n", "--as=Meera", "staff", "add", "--name", "Vikram", "--role", "manager")
	out = mustRun(t, books, "", "staff", "list")
	for _, want := range []string{"Meera   owner    -", "Vikram  manager  -", "Ravi    cashier  7.5%"} {
		if !strings.Contains(out, want) {
			t.Errorf("staff list lacks %q:\n%s", want, out)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, books, "", "staff", "list", "--json")), &list); err != nil || len(list) != 3 {
		t.Fatalf("staff list --json: %v %v", list, err)
	}
	if strings.Contains(mustRun(t, books, "", "staff", "list", "--json"), "argon2") {
		t.Error("staff list shows PIN hashes")
	}

	if out := mustRun(t, books, "", "whoami"); !strings.Contains(out, "Nobody") {
		t.Errorf("whoami with staff: %s", out)
	}
	if out := mustRun(t, books, "1470\n", "--as", "ravi", "whoami"); strings.TrimSpace(out) != "Ravi (cashier)" {
		t.Errorf("whoami as Ravi: %q", out)
	}
	wantFail(t, run(t, books, "0000\n", "--as", "Ravi", "whoami"), 1, "Wrong PIN for Ravi: 4 more tries")
	wantFail(t, run(t, books, "", "--as", "Ravi", "whoami"), 1, "The PIN of Ravi: set NAUKAR_PIN or type it")
	wantFail(t, run(t, books, "1470\n", "--as", "Sita", "whoami"), 1, `No staff member called "Sita"`)

	// A cashier is refused what the table keeps from them.
	for _, c := range [][]string{
		{"expense", "--category", "Tea", "--amount", "20"},
		{"report", "daybook"},
		{"staff", "remove", "Vikram"},
		{"business", "set", "--name", "Ravi Stores"},
		{"staff", "overrides"},
	} {
		wantFail(t, run(t, books, "1470\n", append([]string{"--as", "Ravi"}, c...)...), 1, "Ravi (cashier) may not do this")
	}
	wantFail(t, run(t, books, "", "report", "daybook"), 1, "Sign in first")
	// The owner and the manager may.
	mustRun(t, books, "3690\n", "--as", "Vikram", "expense", "--category", "Tea", "--amount", "20")
	// The day book says who made each document.
	out = mustRun(t, books, "3690\n", "--as", "Vikram", "report", "daybook", "--format", "csv")
	if !strings.Contains(out, "Made by") || !strings.Contains(out, "Tea") || !strings.Contains(out, ",Vikram,") {
		t.Errorf("the day book does not say who made the expense:\n%s", out)
	}
	out = mustRun(t, books, "3690\n", "--as", "Vikram", "report", "collections", "--format", "csv")
	if !strings.Contains(out, "Vikram,Cash,0.00,20.00,-20.00") {
		t.Errorf("collections by staff:\n%s", out)
	}
	wantFail(t, run(t, books, "1470\n", "--as", "Ravi", "report", "collections"), 1, "Ravi (cashier) may not do this")
	if out := mustRun(t, books, "2580\n", "--as", "Meera", "staff", "remove", "Ravi"); !strings.Contains(out, "Removed Ravi") {
		t.Errorf("remove: %s", out)
	}
	wantFail(t, run(t, books, "1470\n", "--as", "Ravi", "whoami"), 1, `No staff member called "Ravi"`)
	wantFail(t, run(t, books, "2580\n", "--as", "Meera", "staff", "remove", "Meera"), 1, "cannot remove yourself")
}
