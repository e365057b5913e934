package ui

import (
	"context"
	"runtime/debug"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/printing"
	"github.com/ainaukar/naukar/app/reports"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/store"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/ui/planview"
	"github.com/ainaukar/naukar/app/ui/privacyview"
	"github.com/ainaukar/naukar/app/ui/reportsview"
	"github.com/ainaukar/naukar/app/ui/syncview"
	"github.com/ainaukar/naukar/app/version"
	"github.com/ainaukar/naukar/sync/protocol"
)

// StorePrinter prints saved bills of st as this counter's printer
// settings say: the Printer the real app uses.
func StorePrinter(st *store.Store) Printer { return storePrinter{st} }

// storePrinter prints saved bills through app/printing with this counter's
// settings (printer, paper, raw receipt printer).
type storePrinter struct{ st *store.Store }

// PrintInvoice implements Printer.
func (p storePrinter) PrintInvoice(number string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := printing.PrintStored(ctx, p.st, number)
	return err
}

// wire fills the slots of opt that the real app has: printing, the
// Reports screen and sync (with its background runner, which it returns
// so Run can stop it when the window closes).
func wire(st *store.Store, opt *Options) *syncapp.Service {
	if opt.Printer == nil {
		opt.Printer = storePrinter{st}
	}
	tel := syncapp.NewTelemetry(st, version.Version(), nil)
	if opt.Telemetry == nil {
		opt.Telemetry = tel
	}
	if opt.Reports == nil {
		svc := reports.New(st)
		opt.Reports = func(w fyne.Window) fyne.CanvasObject {
			v := reportsview.NewWithDo(w, svc, nil)
			v.Used = opt.Telemetry.Use
			v.Failed = func(err error) {
				if reportable(err) {
					opt.Telemetry.Error(err, string(debug.Stack()))
				}
			}
			return v
		}
	}
	var view atomic.Pointer[syncview.View] // set on the UI goroutine, read by the runner
	sv := syncapp.NewService(st, func(status client.Status) {
		if v := view.Load(); v != nil {
			v.ShowStatus(status)
		}
	})
	sv.Runner.SetOnDownload(func(d client.Download) {
		if v := view.Load(); v != nil {
			v.ShowDownload(d)
		}
	})
	if opt.Sync == nil {
		opt.Sync = func(w fyne.Window) fyne.CanvasObject {
			v := syncview.New(w, sv, nil)
			view.Store(v)
			return v
		}
	}
	if opt.Plan == nil {
		opt.Plan = func(w fyne.Window) fyne.CanvasObject {
			return planview.New(w, syncapp.Plans{Store: st}, fyne.CurrentApp().OpenURL, nil)
		}
	}
	sv.Runner.Telemetry = tel
	if opt.Privacy == nil {
		opt.Privacy = func(w fyne.Window) fyne.CanvasObject {
			return privacyview.New(w, tel, fyne.CurrentApp().OpenURL, privacyRights(st, sv, opt.Telemetry))
		}
	}
	if opt.OwnAccounts == nil {
		opt.OwnAccounts = syncapp.OwnAccounts{Store: st}
	}
	if opt.Notices == nil {
		opt.Notices = func(ctx context.Context) ([]protocol.Notice, func(string) error, error) {
			return syncapp.NoticesSignedIn(ctx, st)
		}
	}
	if opt.Saved == nil {
		opt.Saved = func(string) { sv.Runner.Kick() }
	}
	if opt.WhatsApp == nil {
		opt.WhatsApp = &syncapp.WhatsAppSender{Store: st, Kick: sv.Runner.Kick, Translate: L}
	}
	if opt.Assistant == nil {
		// Made for each question: the books may be signed in to a server
		// since the last one.
		opt.Assistant = func() (Asker, error) { return assistant.ForBooks(st) }
	}
	// The counter's staff sign-ins reach the server before the next push.
	if link := sv.Runner.Staff; link != nil && opt.StaffSignedIn == nil {
		opt.StaffSignedIn = func(id, pin string) { link.SignedIn(id, pin); sv.Runner.Kick() }
		opt.StaffSignedOut = func() { link.SignedOut(); sv.Runner.Kick() }
	}
	return sv
}

// privacyRights are Settings → Privacy's buttons over the books st: the
// server's export, the export of the books here, closing the account
// (which also stops background sync), each open to the roles the
// permission table allows (the owner).
func privacyRights(st *store.Store, sv *syncapp.Service, tel Telemetry) privacyview.Rights {
	return privacyview.Rights{
		ExportAccount: func(ctx context.Context, path string, progress func(protocol.ExportStatus)) (int64, error) {
			n, err := syncapp.ExportAccountFile(ctx, st, path, progress)
			if err == nil {
				tel.Use("data.export")
			}
			return n, err
		},
		ExportBooks: func(ctx context.Context, path string, progress func(done, total int64)) (int64, error) {
			n, err := syncapp.ExportBooksFile(ctx, st, path, progress)
			if err == nil {
				tel.Use("data.export")
			}
			return n, err
		},
		DeleteAccount: func(ctx context.Context, password string) (protocol.DeleteAccountResponse, error) {
			res, err := syncapp.DeleteAccount(ctx, st, password)
			if err == nil {
				sv.Runner.Stop()
			}
			return res, err
		},
		MayExport: func() bool { return st.Can(staff.Privacy) },
		MayDelete: func() bool { return st.Can(staff.DeleteAccount) },
	}
}
