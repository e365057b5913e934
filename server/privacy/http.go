package privacy

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/server/api"
	"github.com/ainaukar/naukar/server/core"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Module is the privacy rights' part of the HTTP API (api.Module).
type Module struct {
	s   *Service
	mux *api.Mux
}

// Module returns the service's routes, to hand to api.Config.Modules.
func (s *Service) Module() *Module { return &Module{s: s} }

// Mount implements api.Module.
func (m *Module) Mount(mux *api.Mux) {
	m.mux = mux
	// The owner's rights only (app/staff's permission table): a cashier's
	// or manager's device gets 403.
	mux.Permit("PATCH /v1/account", staff.Privacy, 0, m.correctAccount)
	mux.Permit("PATCH /v1/business", staff.Settings, 0, m.correctBusiness)
	mux.Permit("POST /v1/account/delete", staff.DeleteAccount, 0, m.closeAccount)
	mux.Permit("POST /v1/account/exports", staff.Privacy, 0, m.startExport)
	mux.Permit("GET /v1/account/exports/{id}", staff.Privacy, 0, m.export)
	// Every device sends its own usage events and error reports.
	mux.Device("POST /v1/telemetry", 1<<20, m.telemetry)
	mux.Device("GET /v1/notices", 0, m.notices)
	mux.Device("POST /v1/notices/{id}/seen", 0, m.noticeSeen)
	mux.Public("GET /unsubscribe/{token}", 0, m.unsubscribe)
	mux.Public("POST /unsubscribe/{token}", 0, m.unsubscribe)
}

func (m *Module) correctAccount(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var p protocol.AccountPatch
	if err := m.mux.Decode(r, &p); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	before, err := m.s.cfg.Store.Account(r.Context(), sess)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	a, err := m.s.CorrectAccount(r.Context(), sess, p)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: EventAccountCorrected, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: AccountChanges(before, a)})
	m.mux.JSON(w, http.StatusOK, a.Account)
}

func (m *Module) correctBusiness(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var p protocol.BusinessPatch
	if err := m.mux.Decode(r, &p); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	before, err := m.s.cfg.Store.Business(r.Context(), sess)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	b, err := m.s.CorrectBusiness(r.Context(), sess, p)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: EventBusinessCorrected, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: BusinessChanges(before, b)})
	m.mux.JSON(w, http.StatusOK, b)
}

// AccountChanges says which fields of the account a correction changed,
// for the security log (never the values).
func AccountChanges(before, after core.Account) string {
	return changed([2]string{"name", diff(before.Name, after.Name)}, [2]string{"email", diff(before.Email, after.Email)},
		[2]string{"phone", diff(before.Phone, after.Phone)})
}

// BusinessChanges says which fields of the business a correction changed.
func BusinessChanges(before, after core.Business) string {
	return changed([2]string{"name", diff(before.Name, after.Name)}, [2]string{"gstin", diff(before.GSTIN, after.GSTIN)},
		[2]string{"state", diff(before.StateCode, after.StateCode)}, [2]string{"address", diff(before.Address, after.Address)},
		[2]string{"city", diff(before.City, after.City)}, [2]string{"category", diff(before.Category, after.Category)})
}

// diff marks a field that changed ("" when it did not).
func diff(before, after string) string {
	if before == after {
		return ""
	}
	return "changed"
}

// changed names the fields that changed, for the security log (the log
// says what was corrected, never the values).
func changed(fields ...[2]string) string {
	var names []string
	for _, f := range fields {
		if f[1] != "" {
			names = append(names, f[0])
		}
	}
	if len(names) == 0 {
		return "nothing changed"
	}
	return "corrected " + strings.Join(names, ", ")
}

func (m *Module) closeAccount(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req protocol.DeleteAccountRequest
	if err := m.mux.Decode(r, &req); err != nil {
		m.mux.Error(w, r, err)
		return
	}
	devices, c, err := m.s.CloseAccount(r.Context(), sess, req.Password)
	m.mux.DropSessions(devices...)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: EventAccountClosed, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: "account closed; " + strconv.Itoa(len(devices)) + " devices signed out; purge on " + c.PurgeAt.UTC().Format("2006-01-02")})
	m.mux.JSON(w, http.StatusOK, protocol.DeleteAccountResponse{ClosedAt: c.ClosedAt, PurgeAt: c.PurgeAt})
}

func (m *Module) startExport(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, err := m.s.StartExport(r.Context(), sess)
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	m.mux.Security(r, core.SecurityEvent{Kind: EventExportStarted, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
		DeviceID: sess.DeviceID, Detail: "export " + id})
	m.mux.JSON(w, http.StatusAccepted, protocol.ExportStarted{ID: id})
}

// export answers with the export's status (202) until it is ready, then
// with the ZIP; Accept: application/json asks for the status always.
func (m *Module) export(w http.ResponseWriter, r *http.Request, sess core.Session) {
	e, err := m.s.Export(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		m.mux.Error(w, r, err)
		return
	}
	switch {
	case e.State == protocol.ExportFailed:
		m.mux.JSON(w, http.StatusOK, Status(e))
	case e.State != protocol.ExportReady:
		m.mux.JSON(w, http.StatusAccepted, Status(e))
	case strings.Contains(r.Header.Get("Accept"), "application/json"):
		m.mux.JSON(w, http.StatusOK, Status(e))
	default:
		m.serveZip(w, r, sess, e.ID, m.s.ExportPath(e), e.CreatedAt)
	}
}

func (m *Module) serveZip(w http.ResponseWriter, r *http.Request, sess core.Session, id, path string, created time.Time) {
	f, err := os.Open(path)
	if err != nil {
		m.mux.Error(w, r, core.Errorf(protocol.CodeNotFound, "The export file is gone. Start a new export."))
		return
	}
	defer f.Close()
	if r.Header.Get("Range") == "" {
		m.mux.Security(r, core.SecurityEvent{Kind: EventExportDownloaded, AccountID: sess.AccountID, BusinessID: sess.BusinessID,
			DeviceID: sess.DeviceID, Detail: "export " + id})
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="naukar-export-`+created.UTC().Format("20060102")+`.zip"`)
	http.ServeContent(w, r, "", created, f)
}
