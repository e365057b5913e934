// Package secrets encrypts a business's own secrets at rest (its Razorpay key
// secret and webhook secret, its WhatsApp access token and app secret) with a
// server key from the environment, using AES-256-GCM from the standard
// library.
//
// A sealed value is text, safe to keep in any column:
//
//	v1.<key id>.<base64url(nonce || ciphertext || tag)>
//
// The key id (8 hex digits of the key's SHA-256) says which key sealed it, so
// the server key can be rotated: set the new key in NAUKAR_SECRET_KEY and the
// old ones in NAUKAR_SECRET_KEYS_OLD (comma-separated); values sealed with an
// old key still open, and Box.Stale says which ones to seal again.
//
// Every value is sealed for a context (additional authenticated data), e.g.
// "razorpay.key_secret/" + business id: a sealed value copied to another row
// or another business does not open there.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Env names the variable holding the current server key: 32 bytes as 64 hex
// digits or base64 (standard or URL alphabet, padded or not).
const Env = "NAUKAR_SECRET_KEY"

// EnvOld names the variable holding earlier keys (comma-separated), which
// only open values.
const EnvOld = "NAUKAR_SECRET_KEYS_OLD"

// ErrNoKey is returned by FromEnv when no server key is set: features that
// keep a business's secrets answer "not configured" and the rest works.
var ErrNoKey = errors.New("secrets: " + Env + " is not set (32 random bytes, hex or base64; e.g. `openssl rand -hex 32`)")

// ErrOpen is returned when a sealed value does not open: another key, another
// context, or changed bytes. It never says which.
var ErrOpen = errors.New("secrets: the value does not open with the server key (wrong key, wrong context or damaged)")

const version = "v1"

type key struct {
	id   string
	aead cipher.AEAD
}

// Box seals with its current key and opens with any of its keys. It is safe
// for concurrent use.
type Box struct {
	cur  key
	keys map[string]key
}

// New returns a Box sealing with current (32 bytes) and opening with current
// and old.
func New(current []byte, old ...[]byte) (*Box, error) {
	c, err := newKey(current)
	if err != nil {
		return nil, err
	}
	b := &Box{cur: c, keys: map[string]key{c.id: c}}
	for _, o := range old {
		k, err := newKey(o)
		if err != nil {
			return nil, fmt.Errorf("old key: %w", err)
		}
		if _, dup := b.keys[k.id]; !dup {
			b.keys[k.id] = k
		}
	}
	return b, nil
}

// FromEnv builds a Box from NAUKAR_SECRET_KEY and NAUKAR_SECRET_KEYS_OLD read
// through getenv (os.Getenv). No key → ErrNoKey.
func FromEnv(getenv func(string) string) (*Box, error) {
	cur := strings.TrimSpace(getenv(Env))
	if cur == "" {
		return nil, ErrNoKey
	}
	ck, err := ParseKey(cur)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Env, err)
	}
	var old [][]byte
	for _, s := range strings.Split(getenv(EnvOld), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := ParseKey(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvOld, err)
		}
		old = append(old, k)
	}
	return New(ck, old...)
}

// ParseKey reads a 32-byte key written as hex or base64.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("the key must be 32 bytes written as 64 hex digits or base64")
}

func newKey(k []byte) (key, error) {
	if len(k) != 32 {
		return key{}, fmt.Errorf("secrets: the key is %d bytes; AES-256 needs 32", len(k))
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return key{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return key{}, err
	}
	sum := sha256.Sum256(append([]byte("naukar secrets key id\x00"), k...))
	return key{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// Seal encrypts plaintext for context with the current key (a fresh random
// nonce each time, so sealing the same value twice gives different text).
func (b *Box) Seal(context string, plaintext []byte) (string, error) {
	nonce := make([]byte, b.cur.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secrets: %w", err)
	}
	out := b.cur.aead.Seal(nonce, nonce, plaintext, aad(context))
	return version + "." + b.cur.id + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// SealString is Seal for a string.
func (b *Box) SealString(context, plaintext string) (string, error) {
	return b.Seal(context, []byte(plaintext))
}

// Open decrypts a value Seal gave for the same context, with whichever of the
// Box's keys sealed it. Anything else → ErrOpen.
func (b *Box) Open(context, sealed string) ([]byte, error) {
	k, raw, err := b.split(sealed)
	if err != nil {
		return nil, err
	}
	n := k.aead.NonceSize()
	if len(raw) < n+k.aead.Overhead() {
		return nil, ErrOpen
	}
	pt, err := k.aead.Open(nil, raw[:n], raw[n:], aad(context))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// OpenString is Open for a string.
func (b *Box) OpenString(context, sealed string) (string, error) {
	p, err := b.Open(context, sealed)
	return string(p), err
}

// Stale reports whether sealed was sealed with a key other than the current
// one (so it should be opened and sealed again).
func (b *Box) Stale(sealed string) bool {
	parts := strings.SplitN(sealed, ".", 3)
	return len(parts) != 3 || parts[1] != b.cur.id
}

func (b *Box) split(sealed string) (key, []byte, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != version {
		return key{}, nil, ErrOpen
	}
	k, ok := b.keys[parts[1]]
	if !ok {
		return key{}, nil, ErrOpen
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return key{}, nil, ErrOpen
	}
	return k, raw, nil
}

// aad binds a value to its context; the prefix keeps our values apart from
// any other use of the same key.
func aad(context string) []byte { return []byte("naukar/" + version + "/" + context) }
