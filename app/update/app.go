package update

import (
	"os"
	"path/filepath"

	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/version"
)

// Dir is where downloaded updates wait: NAUKAR_UPDATE_DIR, else
// naukar/updates in the user's cache folder.
func Dir() string {
	if d := os.Getenv("NAUKAR_UPDATE_DIR"); d != "" {
		return d
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "naukar", "updates")
}

// ForBooks is this build's updater; meta reads the books' settings (their
// own update_url, or the sync server), nil when there are no books yet.
func ForBooks(meta func(string) (string, error)) (*Updater, error) {
	pub, err := PublicKey()
	if err != nil {
		return nil, err
	}
	var setting, server string
	if meta != nil {
		setting, _ = meta("update_url")
		server, _ = meta(client.MetaServer)
	}
	return &Updater{ManifestURL: ManifestURL(setting, server), PublicKey: pub, Current: version.Version(), Dir: Dir()}, nil
}
