// Package update keeps the app up to date: it reads a signed release
// manifest (from our server's GET /v1/updates/… route or any static host),
// downloads the build for this platform in the background, verifies the
// manifest's ed25519 signature and the file's SHA-256 and size, tries the
// new build on a copy of the books before it is kept, swaps the executable
// (keeping the old one beside it), and brings the old one back when the new
// one does not start. It has no UI; the window and the CLI call it.
package update

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/ainaukar/naukar/app/books"
)

// Product is the name a manifest for this app carries.
const Product = "naukar"

// Kinds of release files.
const (
	KindBinary    = "binary"    // the app's executable: what the app replaces itself with
	KindInstaller = "installer" // the Windows installer
	KindDeb       = "deb"       // a Debian package
)

// Manifest describes one release.
type Manifest struct {
	Product  string `json:"product"`
	Version  string `json:"version"`
	Released string `json:"released,omitempty"` // YYYY-MM-DD
	Notes    string `json:"notes,omitempty"`
	Files    []File `json:"files"`
}

// File is one file of a release.
type File struct {
	Name     string `json:"name"`
	Platform string `json:"platform"` // GOOS/GOARCH, e.g. "windows/amd64"
	Kind     string `json:"kind"`
	URL      string `json:"url"` // absolute, or relative to the manifest's URL
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"` // hex
}

// Find returns the file of kind for platform.
func (m *Manifest) Find(platform, kind string) (File, bool) {
	for _, f := range m.Files {
		if f.Platform == platform && f.Kind == kind {
			return f, true
		}
	}
	return File{}, false
}

// envelope is the file served: the manifest's exact bytes and an ed25519
// signature over them. The bytes are kept as they are (json.RawMessage),
// so nothing has to be re-encoded the same way to verify them.
type envelope struct {
	Signed    json.RawMessage `json:"signed"`
	Signature string          `json:"signature"` // base64
	KeyID     string          `json:"key_id"`    // KeyID of the signing key, to tell keys apart
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	s := sha256.Sum256(pub)
	return hex.EncodeToString(s[:8])
}

// Sign makes the signed manifest file.
func Sign(m Manifest, priv ed25519.PrivateKey) ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(m, "  ", "  ")
	if err != nil {
		return nil, err
	}
	env := envelope{Signed: body, Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body)),
		KeyID: KeyID(priv.Public().(ed25519.PublicKey))}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(env); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ErrSignature means the manifest is not signed by the release key.
var ErrSignature = books.Errorf(books.ECONFLICT, "The update's signature does not match this app's release key; the update was refused and nothing changed.")

// Verify checks a signed manifest file against pub and returns the manifest.
func Verify(data []byte, pub ed25519.PublicKey) (Manifest, error) {
	var m Manifest
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil || len(env.Signed) == 0 {
		return m, books.Errorf(books.EINVALID, "The update manifest is not readable (%v); nothing changed.", errOr(err, "no signed part"))
	}
	sig, err := base64.StdEncoding.DecodeString(env.Signature)
	if err != nil || len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, env.Signed, sig) {
		return m, ErrSignature
	}
	dec := json.NewDecoder(bytes.NewReader(env.Signed))
	if err := dec.Decode(&m); err != nil {
		return m, books.Errorf(books.EINVALID, "The signed update manifest is not readable (%v); nothing changed.", err)
	}
	if err := m.validate(); err != nil {
		return m, err
	}
	return m, nil
}

func errOr(err error, s string) any {
	if err != nil {
		return err
	}
	return s
}

func (m *Manifest) validate() error {
	if m.Product != Product {
		return books.Errorf(books.EINVALID, "The update manifest is for %q, not for %s.", m.Product, Product)
	}
	if !semver.IsValid("v" + m.Version) {
		return books.Errorf(books.EINVALID, "The update manifest's version %q is not a version number like 1.2.0.", m.Version)
	}
	for _, f := range m.Files {
		if f.Name == "" || f.URL == "" || f.Size <= 0 || len(f.SHA256) != 64 || strings.Count(f.Platform, "/") != 1 {
			return books.Errorf(books.EINVALID, "The update manifest lists a file without a name, URL, size, SHA-256 or platform (%+v).", f)
		}
		if _, err := hex.DecodeString(f.SHA256); err != nil {
			return books.Errorf(books.EINVALID, "The update manifest's SHA-256 of %s is not hex.", f.Name)
		}
	}
	return nil
}

// Newer reports whether version a is newer than b ("1.10.0" > "1.9.2").
// A development build ("dev") is never newer and never updated.
func Newer(a, b string) bool {
	va, vb := "v"+strings.TrimPrefix(a, "v"), "v"+strings.TrimPrefix(b, "v")
	if !semver.IsValid(va) || !semver.IsValid(vb) {
		return false
	}
	return semver.Compare(va, vb) > 0
}
