package secrets

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func randKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	b, err := New(randKey(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := "razorpay.key_secret/0190c2a0-0000-7000-8000-000000000001"
	s1, err := b.SealString(ctx, "EnLs21M47BllR3X8PSFtjtbd")
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.SealString(ctx, "EnLs21M47BllR3X8PSFtjtbd")
	if s1 == s2 {
		t.Fatal("two seals of one value gave the same text (nonce reused)")
	}
	if strings.Contains(s1, "EnLs21M47BllR3X8PSFtjtbd") {
		t.Fatal("the plaintext shows in the sealed value")
	}
	for _, s := range []string{s1, s2} {
		got, err := b.OpenString(ctx, s)
		if err != nil || got != "EnLs21M47BllR3X8PSFtjtbd" {
			t.Fatalf("open = %q, %v", got, err)
		}
	}
	if b.Stale(s1) {
		t.Fatal("a value sealed with the current key is called stale")
	}
	// Empty secrets seal and open too.
	e, _ := b.Seal(ctx, nil)
	if got, err := b.Open(ctx, e); err != nil || len(got) != 0 {
		t.Fatalf("empty: %q, %v", got, err)
	}
}

func TestOpenRefusesOtherContextKeyOrDamage(t *testing.T) {
	k := randKey(t)
	b, _ := New(k)
	s, _ := b.SealString("whatsapp.token/biz-a", "EAAG-secret")
	if _, err := b.OpenString("whatsapp.token/biz-b", s); !errors.Is(err, ErrOpen) {
		t.Fatalf("another business's context opened it: %v", err)
	}
	if _, err := b.OpenString("razorpay.key_secret/biz-a", s); !errors.Is(err, ErrOpen) {
		t.Fatalf("another purpose's context opened it: %v", err)
	}
	other, _ := New(randKey(t))
	if _, err := other.OpenString("whatsapp.token/biz-a", s); !errors.Is(err, ErrOpen) {
		t.Fatalf("another key opened it: %v", err)
	}
	// Flip one byte of the ciphertext.
	parts := strings.SplitN(s, ".", 3)
	raw, _ := base64.RawURLEncoding.DecodeString(parts[2])
	raw[len(raw)-1] ^= 1
	bad := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(raw)
	if _, err := b.OpenString("whatsapp.token/biz-a", bad); !errors.Is(err, ErrOpen) {
		t.Fatalf("a damaged value opened: %v", err)
	}
	for _, junk := range []string{"", "v1", "v1.x.y", "v2." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + ".!!", parts[0] + "." + parts[1] + ".AAAA"} {
		if _, err := b.OpenString("whatsapp.token/biz-a", junk); !errors.Is(err, ErrOpen) {
			t.Fatalf("%q: %v", junk, err)
		}
	}
}

func TestRotation(t *testing.T) {
	oldK, newK := randKey(t), randKey(t)
	oldBox, _ := New(oldK)
	s, _ := oldBox.SealString("c", "value")
	env := map[string]string{Env: hex.EncodeToString(newK), EnvOld: " , " + base64.StdEncoding.EncodeToString(oldK)}
	b, err := FromEnv(func(n string) string { return env[n] })
	if err != nil {
		t.Fatal(err)
	}
	if !b.Stale(s) {
		t.Fatal("a value sealed with the old key is not called stale")
	}
	got, err := b.OpenString("c", s)
	if err != nil || got != "value" {
		t.Fatalf("old value after rotation: %q, %v", got, err)
	}
	s2, _ := b.SealString("c", got)
	if b.Stale(s2) {
		t.Fatal("resealed value is stale")
	}
	if _, err := oldBox.OpenString("c", s2); !errors.Is(err, ErrOpen) {
		t.Fatal("the old key alone opens a value sealed with the new one")
	}
}

func TestFromEnvErrors(t *testing.T) {
	if _, err := FromEnv(func(string) string { return "" }); !errors.Is(err, ErrNoKey) {
		t.Fatalf("no key: %v", err)
	}
	for _, v := range []string{"short", hex.EncodeToString(make([]byte, 16)), base64.StdEncoding.EncodeToString(make([]byte, 31))} {
		_, err := FromEnv(func(n string) string {
			if n == Env {
				return v
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), "32 bytes") {
			t.Fatalf("%q: %v", v, err)
		}
		if strings.Contains(err.Error(), v) && len(v) > 8 {
			t.Fatalf("the error repeats the key: %v", err)
		}
	}
	k := randKey(t)
	for _, enc := range []string{hex.EncodeToString(k), base64.StdEncoding.EncodeToString(k), base64.RawURLEncoding.EncodeToString(k)} {
		got, err := ParseKey(enc)
		if err != nil || !bytes.Equal(got, k) {
			t.Fatalf("%q: %v", enc, err)
		}
	}
}

func BenchmarkSealOpen(b *testing.B) {
	box, _ := New(make([]byte, 32))
	for b.Loop() {
		s, _ := box.SealString("razorpay.key_secret/biz", "EnLs21M47BllR3X8PSFtjtbd")
		if _, err := box.OpenString("razorpay.key_secret/biz", s); err != nil {
			b.Fatal(err)
		}
	}
}
