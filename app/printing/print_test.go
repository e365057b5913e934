package printing_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/printing"
)

// memMeta is an in-memory MetaStore.
type memMeta map[string]string

func (m memMeta) Meta(k string) (string, error) { return m[k], nil }
func (m memMeta) SetMeta(kv map[string]string) error {
	for k, v := range kv {
		m[k] = v
	}
	return nil
}

func TestSettingsRoundTrip(t *testing.T) {
	m := memMeta{}
	s, err := printing.LoadSettings(m)
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != printing.A4 || s.Printer != "" || s.Raw != "" || s.Auto {
		t.Errorf("defaults: %+v", s)
	}
	want := printing.Settings{Printer: "Counter-1", Format: printing.Roll58, Raw: "192.168.1.50:9100", Auto: true, Drawer: true}
	if err := printing.SaveSettings(m, want); err != nil {
		t.Fatal(err)
	}
	got, err := printing.LoadSettings(m)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, bad := range []printing.Settings{
		{Format: "b5"},
		{Format: printing.A4, Raw: "/dev/usb/lp0"},
		{Format: printing.Roll80, Raw: "not a printer/"},
	} {
		if err := printing.SaveSettings(m, bad); err == nil {
			t.Errorf("saved bad settings %+v", bad)
		} else if books.ErrorCode(err) != books.EINVALID {
			t.Errorf("%+v: error code %s", bad, books.ErrorCode(err))
		}
	}
}

func TestParseRawTarget(t *testing.T) {
	cases := map[string]printing.RawTarget{
		"192.168.1.50:9100":      {Kind: "tcp", Addr: "192.168.1.50:9100"},
		"tcp://printer.lan:9100": {Kind: "tcp", Addr: "printer.lan:9100"},
		"/dev/usb/lp0":           {Kind: "device", Addr: "/dev/usb/lp0"},
		"COM3":                   {Kind: "device", Addr: "COM3"},
		`\\.\COM4`:               {Kind: "device", Addr: `\\.\COM4`},
		"cups:Thermal":           {Kind: "queue", Addr: "Thermal"},
		"EPSON_TM-T82":           {Kind: "queue", Addr: "EPSON_TM-T82"},
	}
	for in, want := range cases {
		got, err := printing.ParseRawTarget(in)
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "cups:", "tcp://nohost", "my printer"} {
		if _, err := printing.ParseRawTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSendRawTCP prints to a loopback "network printer" on a random port,
// as a real one listens on 9100.
func TestSendRawTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- b
	}()
	biz := shop()
	inv := sale(t, biz, hindiBuyer, hindiItems, "SGS/26-27/A/0043")
	set := printing.Settings{Format: printing.Roll80, Raw: ln.Addr().String(), Drawer: true}
	id, err := printing.PrintInvoice(context.Background(), inv, set, printing.Options{Business: biz})
	if err != nil {
		t.Fatal(err)
	}
	if id != "" {
		t.Errorf("raw print returned job id %q", id)
	}
	want, err := printing.InvoiceESCPOS(inv, printing.ReceiptOptions{Width: 48, Drawer: true, Business: biz})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, want) {
			t.Errorf("printer got %d bytes, want the %d-byte receipt", len(b), len(want))
		}
		if _, err := decodeESCPOS(b); err != nil {
			t.Errorf("decode what the printer got: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing arrived")
	}
	ln.Close()
	err = printing.SendRaw(context.Background(), ln.Addr().String(), want)
	if err == nil || !strings.Contains(err.Error(), "Cannot reach the printer") {
		t.Errorf("closed port: %v", err)
	}
}

func TestSendRawDevice(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := printing.SendRaw(context.Background(), dev, []byte("x")); err == nil || books.ErrorCode(err) != books.ENOTFOUND {
		t.Errorf("missing device: %v", err)
	}
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	page, err := printing.TestPageESCPOS(32, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := printing.SendRaw(context.Background(), dev, page); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dev)
	if !bytes.Equal(b, page) {
		t.Errorf("device got %d bytes, want %d", len(b), len(page))
	}
}

func TestTestPages(t *testing.T) {
	for _, f := range printing.Formats() {
		job, err := printing.TestPage(printing.Settings{Format: f})
		if err != nil {
			t.Fatal(err)
		}
		if job.Raw {
			t.Errorf("%s: PDF test page marked raw", f)
		}
		p := pdfFile(t, func(b *bytes.Buffer) error { _, err := b.Write(job.Data); return err })
		wantAll(t, string(f)+" test page", text(t, p), "est page", "हिन्दी: आशीर्वाद ट्रेडर्स")
	}
	job, err := printing.TestPage(printing.Settings{Format: printing.Roll58, Raw: "/dev/usb/lp0"})
	if err != nil || !job.Raw {
		t.Fatalf("raw test page: %v %v", job.Raw, err)
	}
}

func TestWrap(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want []string
	}{
		{"Tata Salt Iodised 1kg", 10, []string{"Tata Salt", "Iodised", "1kg"}},
		{"Supercalifragilistic", 8, []string{"Supercal", "ifragili", "stic"}},
		{"line one\nline two", 20, []string{"line one", "line two"}},
		{"", 10, nil},
		// A cluster is never split: क्ष is one unit.
		{"क्षक्षक्ष", 2, []string{"क्ष", "क्ष", "क्ष"}},
		// A vowel sign stays with its consonant.
		{"किकि", 2, []string{"कि", "कि"}},
	}
	for _, c := range cases {
		got := printing.WrapForTest(c.in, c.max)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestFormatsAndCopies(t *testing.T) {
	for in, want := range map[string]printing.Format{"A4": printing.A4, "": printing.A4, "a5": printing.A5, "80": printing.Roll80, "58mm": printing.Roll58} {
		if got, err := printing.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
	if printing.Roll58.Columns() != 32 || printing.Roll80.Columns() != 48 || printing.A4.Thermal() || !printing.Roll58.Thermal() {
		t.Error("format facts")
	}
	cps, err := printing.ParseCopies("original, triplicate")
	if err != nil || len(cps) != 2 || cps[1].Label() != "TRIPLICATE FOR SUPPLIER" {
		t.Errorf("ParseCopies: %v %v", cps, err)
	}
}
