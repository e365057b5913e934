package api

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// updateName is what a release file may be called (no folders, no dot first).
var updateName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$`)

// updateFile serves a release file of the app: the signed manifest
// (naukar.json) and the builds it names. The app verifies the manifest's
// signature and each file's SHA-256 itself; the server only hands them out,
// with ranges so a cut download resumes.
func (s *Server) updateFile(w http.ResponseWriter, r *http.Request) {
	if s.updatesDir == "" {
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound, "This server does not serve app updates (its operator sets NAUKAR_UPDATES_DIR)."))
		return
	}
	name := r.PathValue("file")
	if !updateName.MatchString(name) || strings.Contains(name, "..") {
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound, "No such update file."))
		return
	}
	f, err := os.Open(filepath.Join(s.updatesDir, name))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("update file", "file", name, "err", err)
		}
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound, "No such update file."))
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		s.writeError(w, r, core.Errorf(protocol.CodeNotFound, "No such update file."))
		return
	}
	if strings.HasSuffix(name, ".json") {
		w.Header().Set("Cache-Control", "no-cache") // the manifest changes with each release
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
}
