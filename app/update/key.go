package update

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// releaseKey is the public half of the release signing key, base64. The
// private half is kept outside the repository (see README "Releasing");
// a build for tests stamps its own test key:
//
//	-ldflags "-X github.com/ainaukar/naukar/app/update.releaseKey=BASE64"
var releaseKey = "o7wUt50k5fEQAWaUsa466JPf9SWGh/jsrMSjxzhTAMo=" // key id 101458b9b744412d

var errNoKey = errors.New("no release key")

// PublicKey is the key this build trusts for updates.
func PublicKey() (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(releaseKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: the built-in release key is not a base64 ed25519 public key", errNoKey)
	}
	return ed25519.PublicKey(b), nil
}

// EncodePublicKey is the base64 form used by releaseKey and -ldflags.
func EncodePublicKey(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// WritePrivateKey writes priv as a PKCS #8 PEM file readable by its owner only.
func WritePrivateKey(path string, priv ed25519.PrivateKey) error {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadPrivateKey reads a key written by WritePrivateKey (or
// `openssl genpkey -algorithm ed25519`).
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("%s: not a PEM file", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an ed25519 key", path)
	}
	return priv, nil
}
