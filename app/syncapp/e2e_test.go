package syncapp_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func buildBinaries(t *testing.T) (naukar, server string) {
	t.Helper()
	dir := t.TempDir()
	naukar, server = filepath.Join(dir, "naukar"), filepath.Join(dir, "naukar-server")
	for _, b := range [][2]string{{naukar, "github.com/ainaukar/naukar"}, {server, "github.com/ainaukar/naukar/server/cmd/naukar-server"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", b[1], err, out)
		}
	}
	return naukar, server
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type cli struct {
	t   *testing.T
	bin string
}

func (c cli) run(books string, args ...string) (string, string, int) {
	cmd := exec.Command(c.bin, append([]string{"--books", books}, args...)...)
	cmd.Env = append(os.Environ(), "NAUKAR_KEYRING=file", "DISPLAY=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func (c cli) must(books string, stdin string, args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"--books", books}, args...)...)
	cmd.Env = append(os.Environ(), "NAUKAR_KEYRING=file", "DISPLAY=")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.t.Fatalf("naukar %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestEndToEndTwoCounters runs a real naukar-server process and two books
// files that sync through it with the naukar CLI.
func TestEndToEndTwoCounters(t *testing.T) {
	naukar, server := buildBinaries(t)
	addr := freePort(t)
	srv := exec.Command(server, "--addr", addr, "--data", t.TempDir())
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	url := "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(url + "/healthz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("server did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	c := cli{t, naukar}
	dir := t.TempDir()
	a, b, other := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "other.db")

	c.must(a, "", "init", "--name", "Sharma Stores", "--state", "27")
	c.must(a, "", "product", "add", "--name", "Tata Salt 1kg", "--sku", "SALT", "--price", "28", "--gst", "5", "--stock", "100")
	c.must(a, "", "sync", "signup", "--server", url, "--name", "Ravi Sharma", "--email", "ravi@example.com", "--phone", "9876543210",
		"--password", "correct horse", "--business-name", "Sharma Stores", "--state", "27")
	if out := c.must(a, "", "sync", "login", "--server", url, "--login", "ravi@example.com", "--password", "correct horse", "--device-name", "Counter 1"); !strings.Contains(out, "first device") || !strings.Contains(out, "series for this device: A") {
		t.Fatalf("login A: %s", out)
	}
	c.must(a, `{"lines":[{"sku":"SALT","qty":3}]}`, "sell", "--json", "-")
	c.must(a, "", "sync")
	st := c.must(a, "", "sync", "status", "--json")
	var status struct {
		LastSynced string `json:"last_synced"`
		Pending    int    `json:"pending"`
		Error      string `json:"error"`
	}
	if err := json.Unmarshal([]byte(st), &status); err != nil || status.LastSynced == "" || status.Pending != 0 || status.Error != "" {
		t.Fatalf("status %s %v", st, err)
	}

	if out := c.must(b, "", "sync", "login", "--server", url, "--login", "9876543210", "--password", "correct horse", "--device-name", "Counter 2"); !strings.Contains(out, "Ready to bill: products and parties are in") || !strings.Contains(out, "series for this device: B") {
		t.Fatalf("login B: %s", out)
	}
	c.must(b, "", "sync")
	invB := c.must(b, "", "invoice", "list", "--json")
	if !strings.Contains(invB, `"number": "INVA-2627-1"`) {
		t.Fatalf("B did not get A's bill: %s", invB)
	}
	sold := c.must(b, `{"lines":[{"sku":"SALT","qty":2}]}`, "sell", "--json", "-")
	if !strings.Contains(sold, `"number": "INVB-2627-1"`) {
		t.Fatalf("B's bill: %s", sold)
	}
	c.must(b, "", "sync")
	c.must(a, "", "sync")
	for _, books := range []string{a, b} {
		list := c.must(books, "", "invoice", "list", "--json")
		if !strings.Contains(list, "INVA-2627-1") || !strings.Contains(list, "INVB-2627-1") {
			t.Fatalf("%s misses a bill: %s", books, list)
		}
		if stock := c.must(books, "", "stock", "SALT", "--json"); !strings.Contains(stock, `"stock": "95"`) {
			t.Fatalf("%s stock: %s", books, stock)
		}
	}

	// Books with another shop's data cannot join this business silently
	// (Counter 2 signs out first: the Free plan allows two devices).
	c.must(b, "", "sync", "logout")
	c.must(other, "", "init", "--name", "Gupta Kirana", "--state", "07")
	c.must(other, "", "product", "add", "--name", "Atta", "--price", "50", "--gst", "5")
	_, errOut, code := c.run(other, "sync", "login", "--server", url, "--login", "ravi@example.com", "--password", "correct horse", "--device-name", "Laptop")
	if code == 0 || !strings.Contains(errOut, "cannot be merged") || !strings.Contains(errOut, "Export these books first") {
		t.Fatalf("join with own data: exit %d %s", code, errOut)
	}

	// With the server gone, billing goes on and the status says so plainly.
	srv.Process.Signal(os.Interrupt)
	srv.Wait()
	c.must(a, `{"lines":[{"sku":"SALT","qty":1}]}`, "sell", "--json", "-")
	_, errOut, code = c.run(a, "sync")
	if code == 0 || !strings.Contains(errOut, "bills are safe") {
		t.Fatalf("offline sync: exit %d %s", code, errOut)
	}
	st = c.must(a, "", "sync", "status", "--json")
	if err := json.Unmarshal([]byte(st), &status); err != nil || status.Pending != 1 || !strings.Contains(status.Error, "offline") {
		t.Fatalf("offline status %s", st)
	}
}
