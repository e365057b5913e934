package update_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/update"
)

// testKey is a fixed key for tests (never a release key).
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func sampleManifest() update.Manifest {
	return update.Manifest{Product: "naukar", Version: "1.2.0", Files: []update.File{{
		Name: "naukar-1.2.0-linux-amd64", Platform: "linux/amd64", Kind: update.KindBinary, URL: "naukar-1.2.0-linux-amd64",
		Size: 10, SHA256: strings.Repeat("ab", 32)}}}
}

func TestSignVerify(t *testing.T) {
	key := testKey(1)
	pub := key.Public().(ed25519.PublicKey)
	signed, err := update.Sign(sampleManifest(), key)
	if err != nil {
		t.Fatal(err)
	}
	m, err := update.Verify(signed, pub)
	if err != nil || m.Version != "1.2.0" || len(m.Files) != 1 {
		t.Fatalf("verify: %+v %v", m, err)
	}
	t.Run("ErrSignatureOtherKey", func(t *testing.T) {
		other, _ := update.Sign(sampleManifest(), testKey(2))
		if _, err := update.Verify(other, pub); !errors.Is(err, update.ErrSignature) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrSignatureTampered", func(t *testing.T) {
		bad := bytes.Replace(signed, []byte(`"1.2.0"`), []byte(`"1.2.1"`), 1)
		if bytes.Equal(bad, signed) {
			t.Fatal("test did not change the manifest")
		}
		if _, err := update.Verify(bad, pub); !errors.Is(err, update.ErrSignature) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		if _, err := update.Verify([]byte("<html>"), pub); books.ErrorCode(err) != books.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrOtherProduct", func(t *testing.T) {
		m := sampleManifest()
		m.Product = "naukar-server"
		if _, err := update.Sign(m, key); err == nil || !strings.Contains(err.Error(), "not for naukar") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestNewer(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{{"1.10.0", "1.9.2", true}, {"1.2.0", "1.2.0", false}, {"1.2.0", "1.3.0", false}, {"v2.0.0", "1.0.0", true},
		{"dev", "0.0.0", false}, {"1.0.0", "dev", false}, {"1.0.0-rc1", "0.9.0", true}}
	for _, c := range cases {
		if got := update.Newer(c.a, c.b); got != c.want {
			t.Errorf("Newer(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
