package billing

import (
	"net/http"

	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
)

// Mount registers the module's routes (server/openapi.yaml documents them).
func (m *Module) Mount(mux *api.Mux) {
	mux.Device("GET /v1/billing", 0, func(w http.ResponseWriter, r *http.Request, s core.Session) {
		st, err := m.Status(r.Context(), s)
		if err != nil {
			mux.Error(w, r, err)
			return
		}
		mux.JSON(w, http.StatusOK, st)
	})
}
