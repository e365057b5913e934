// Command naukar-release signs releases of AI Naukar (used by `make dist`):
//
//	naukar-release keygen --out KEYFILE        make a signing key (keep it out of the repository)
//	naukar-release pubkey --key KEYFILE        print its public half (base64), for -ldflags or app/update/key.go
//	naukar-release manifest --key KEYFILE --version V --dir dist [--notes TEXT]
//	                                           write dist/SHA256SUMS and the signed dist/naukar.json
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/update"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: naukar-release keygen|pubkey|manifest [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "keygen":
		err = keygen(os.Args[2:])
	case "pubkey":
		err = pubkey(os.Args[2:])
	case "manifest":
		err = manifest(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (keygen, pubkey, manifest)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "naukar-release:", err)
		os.Exit(1)
	}
}

func keygen(args []string) error {
	fs := flag.NewFlagSet("keygen", flag.ExitOnError)
	out := fs.String("out", "", "private key file to write (must not exist)")
	fs.Parse(args)
	if *out == "" {
		return errors.New("keygen: --out KEYFILE is required")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o700); err != nil {
		return err
	}
	if err := update.WritePrivateKey(*out, priv); err != nil {
		return err
	}
	fmt.Printf("wrote %s\npublic key %s (key id %s)\n", *out, update.EncodePublicKey(pub), update.KeyID(pub))
	return nil
}

func pubkey(args []string) error {
	fs := flag.NewFlagSet("pubkey", flag.ExitOnError)
	key := fs.String("key", "", "private key file")
	fs.Parse(args)
	priv, err := update.ReadPrivateKey(*key)
	if err != nil {
		return err
	}
	fmt.Println(update.EncodePublicKey(priv.Public().(ed25519.PublicKey)))
	return nil
}

// Release files by name, for version v.
func kinds(v string) map[string][2]string {
	return map[string][2]string{
		"naukar-" + v + "-windows-amd64.exe":  {"windows/amd64", update.KindBinary},
		"naukar-" + v + "-linux-amd64":        {"linux/amd64", update.KindBinary},
		"AI-Naukar-Setup-" + v + ".exe":       {"windows/amd64", update.KindInstaller},
		"naukar_" + v + "_amd64.deb":          {"linux/amd64", update.KindDeb},
		"naukar-server_" + v + "_amd64.deb":   {"linux/amd64", "server-deb"},
		"naukar-server-" + v + "-linux-amd64": {"linux/amd64", "server-binary"},
	}
}

func manifest(args []string) error {
	fs := flag.NewFlagSet("manifest", flag.ExitOnError)
	key := fs.String("key", "", "private key file")
	ver := fs.String("version", "", "release version, e.g. 1.2.0")
	dir := fs.String("dir", "dist", "folder with the release files")
	notes := fs.String("notes", "", "release notes shown in the app")
	fs.Parse(args)
	priv, err := update.ReadPrivateKey(*key)
	if err != nil {
		return err
	}
	m := update.Manifest{Product: update.Product, Version: strings.TrimPrefix(*ver, "v"), Notes: *notes,
		Released: time.Now().UTC().Format("2006-01-02")}
	known := kinds(m.Version)
	ents, err := os.ReadDir(*dir)
	if err != nil {
		return err
	}
	var sums []string
	for _, e := range ents {
		if e.IsDir() || e.Name() == "SHA256SUMS" || e.Name() == update.ManifestFile || strings.HasSuffix(e.Name(), ".key") {
			continue
		}
		sum, n, err := hashFile(filepath.Join(*dir, e.Name()))
		if err != nil {
			return err
		}
		sums = append(sums, sum+"  "+e.Name())
		if k, ok := known[e.Name()]; ok {
			m.Files = append(m.Files, update.File{Name: e.Name(), Platform: k[0], Kind: k[1], URL: e.Name(), Size: n, SHA256: sum})
		}
	}
	if len(m.Files) == 0 {
		return fmt.Errorf("no release files of version %s in %s", m.Version, *dir)
	}
	sort.Strings(sums)
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Name < m.Files[j].Name })
	signed, err := update.Sign(m, priv)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, update.ManifestFile), signed, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, "SHA256SUMS"), []byte(strings.Join(sums, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("signed %s (%d files, key id %s) and SHA256SUMS (%d files)\n", filepath.Join(*dir, update.ManifestFile),
		len(m.Files), update.KeyID(priv.Public().(ed25519.PublicKey)), len(sums))
	return nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}
