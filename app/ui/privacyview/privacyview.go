// Package privacyview is Settings → Privacy: the owner's data rights as
// buttons (export what the sync server holds, export the books on this
// computer with no server, the account page, closing the account with the
// export offered first), and exactly what the app sends the sync server
// about its use (usage events and error reports, shown as the batch that
// will go) with a switch for usage events.
package privacyview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Source is what the screen needs (syncapp.Telemetry and the books' server).
type Source interface {
	Pending() protocol.TelemetryBatch
	UsageOn() bool
	SetUsage(on bool) error
	// Features are the usage events the app sends (syncapp.Features).
	Features() []syncapp.Feature
	// AccountPage is the account page's address ("" when the books are
	// not signed in to a sync server).
	AccountPage() string
}

// Rights are the owner's data rights the screen offers (the real app
// wires them to app/syncapp over the books). A nil func hides its button.
type Rights struct {
	// ExportAccount writes the sync server's export of the business to
	// path, reporting the server's progress (syncapp.ExportAccountFile).
	ExportAccount func(ctx context.Context, path string, progress func(protocol.ExportStatus)) (int64, error)
	// ExportBooks writes the books on this computer to path, with no
	// server (syncapp.ExportBooksFile).
	ExportBooks func(ctx context.Context, path string, progress func(done, total int64)) (int64, error)
	// DeleteAccount closes the account with the owner's password and
	// signs this computer out.
	DeleteAccount func(ctx context.Context, password string) (protocol.DeleteAccountResponse, error)
	// MayExport and MayDelete: the signed-in member's role may export the
	// account's data / close the account (the owner); nil: yes.
	MayExport, MayDelete func() bool
	// Do runs fn on the UI goroutine; nil: fyne.Do.
	Do func(fn func())
}

// L translates (the app's translations are loaded by app/ui).
func L(s string) string { return lang.L(s) }

// View is the Privacy screen.
type View struct {
	widget.BaseWidget
	win  fyne.Window
	src  Source
	open func(*url.URL) error
	r    Rights

	ExportServer *widget.Button
	ExportLocal  *widget.Button
	Account      *widget.Button
	Delete       *widget.Button
	Progress     *widget.ProgressBar
	Usage        *widget.Check
	Features     *widget.Label
	Batch        *widget.Label
	Msg          *widget.Label

	// ChooseFile asks where to save a file (suggested name) and calls
	// done with the path chosen; nil: the file-save dialog.
	ChooseFile func(suggested string, done func(path string))

	// The delete dialogs, while open (tests press their buttons).
	ExportFirst, DeleteNoExport, CancelDelete *widget.Button
	Password                                  *widget.Entry
	ConfirmDelete                             *widget.Button
	confirm, ask                              *dialog.CustomDialog

	busy    bool
	content fyne.CanvasObject
}

// New makes the screen in window win; open opens a web page (the app's
// OpenURL).
func New(win fyne.Window, src Source, open func(*url.URL) error, r Rights) *View {
	if r.Do == nil {
		r.Do = fyne.Do
	}
	v := &View{win: win, src: src, open: open, r: r}
	v.Msg = widget.NewLabel("")
	v.Msg.Wrapping = fyne.TextWrapWord
	v.Progress = widget.NewProgressBar()
	v.Progress.Hide()

	v.ExportServer = widget.NewButtonWithIcon(L("Export my data from the server…"), theme.DownloadIcon(), v.exportServer)
	v.ExportLocal = widget.NewButtonWithIcon(L("Export the books on this computer…"), theme.DocumentSaveIcon(), v.exportLocal)
	v.Account = widget.NewButtonWithIcon(L("Open the account page"), theme.ComputerIcon(), v.OpenAccount)
	v.Delete = widget.NewButtonWithIcon(L("Delete account…"), theme.DeleteIcon(), v.startDelete)
	v.Delete.Importance = widget.DangerImportance
	signedIn := src.AccountPage() != ""
	if !signedIn {
		v.Account.Disable()
		v.ExportServer.Disable()
		v.Delete.Disable()
		v.Msg.SetText(L("Sign in to a sync server (Settings → Sync) to export or delete the data it holds."))
	}
	if r.ExportAccount == nil || !may(r.MayExport) {
		v.ExportServer.Hide()
	}
	if r.ExportBooks == nil || !may(r.MayExport) {
		v.ExportLocal.Hide()
	}
	if r.DeleteAccount == nil || !may(r.MayDelete) {
		v.Delete.Hide() // the owner only
	}
	rights := widget.NewLabel(L("A copy of your data in JSON and CSV files (a ZIP, with README.txt explaining each file); corrections and closing the account on the account page."))
	rights.Wrapping = fyne.TextWrapWord
	data := container.NewVBox(bold(L("Your data")), rights,
		container.NewGridWithColumns(2, v.ExportServer, v.ExportLocal, v.Account, v.Delete), v.Progress, v.Msg)

	what := widget.NewLabel(L("AI Naukar sends the sync server two things about its use, in batches when online, and nothing from your books:") + "\n\n" +
		"• " + L("Usage events: which feature was used (one of the names below), when, and the app version.") + "\n" +
		"• " + L("Error reports: what went wrong, with every name, number and address removed, where in the program, and the app version.") + "\n\n" +
		L("Usage events are kept 90 days, error reports 30 days. Error reports are needed to keep the app working; usage events you can turn off."))
	what.Wrapping = fyne.TextWrapWord
	var feats []string
	for _, f := range src.Features() {
		feats = append(feats, f.Name+" — "+L(f.About))
	}
	v.Features = widget.NewLabel(strings.Join(feats, "\n"))
	v.Features.SizeName = theme.SizeNameCaptionText
	v.Usage = widget.NewCheck(L("Send usage events"), func(on bool) {
		if err := v.src.SetUsage(on); err != nil {
			v.Msg.SetText(err.Error())
			return
		}
		v.Refresh()
	})
	v.Usage.SetChecked(src.UsageOn())
	v.Batch = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	refresh := widget.NewButtonWithIcon(L("Refresh"), theme.ViewRefreshIcon(), v.Refresh)
	batch := container.NewBorder(container.NewHBox(bold(L("Waiting to be sent, exactly as it will go:")), refresh),
		nil, nil, nil, container.NewVScroll(v.Batch))
	sent := container.NewBorder(container.NewVBox(widget.NewSeparator(), bold(L("What is sent")), what, v.Usage), nil, nil, nil,
		container.NewHSplit(container.NewVScroll(container.NewVBox(bold(L("Usage events")), v.Features)), batch))
	v.content = container.NewBorder(data, nil, nil, nil, sent)
	v.ExtendBaseWidget(v)
	v.Refresh()
	return v
}

func may(f func() bool) bool { return f == nil || f() }

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// Refresh shows the batch as it is now.
func (v *View) Refresh() {
	if v.Batch == nil {
		return
	}
	b := v.src.Pending()
	if b.Events == nil {
		b.Events = []protocol.UsageEvent{}
	}
	if b.Errors == nil {
		b.Errors = []protocol.ErrorReport{}
	}
	raw, _ := json.MarshalIndent(b, "", "  ")
	v.Batch.SetText(string(raw))
	v.BaseWidget.Refresh()
}

// OpenAccount opens the account page in the browser.
func (v *View) OpenAccount() {
	u, err := url.Parse(v.src.AccountPage())
	if err == nil && u.Host != "" {
		err = v.open(u)
	}
	if err != nil {
		v.Msg.SetText(L("Could not open the browser: ") + err.Error())
	}
}

// choose asks where to save.
func (v *View) choose(name string, done func(path string)) {
	if v.ChooseFile != nil {
		v.ChooseFile(name, done)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close() // written again whole under this name (syncapp)
		done(path)
	}, v.win)
	d.SetFileName(name)
	d.Show()
}

// setBusy turns the buttons off while an export or the closing runs.
func (v *View) setBusy(on bool) {
	v.busy = on
	for _, b := range []*widget.Button{v.ExportServer, v.ExportLocal, v.Delete} {
		if on {
			b.Disable()
		} else if b != v.ExportLocal && v.src.AccountPage() == "" {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if on {
		v.Progress.SetValue(0)
		v.Progress.Show()
	} else {
		v.Progress.Hide()
	}
}

// Busy reports whether an export or the closing is running.
func (v *View) Busy() bool { return v.busy }

func (v *View) exportServer() { v.exportAccount(nil) }

// exportAccount asks the server for the export, shows its progress and
// saves it where the owner chooses; then runs next (nil: nothing).
func (v *View) exportAccount(next func()) {
	if v.busy {
		return
	}
	v.choose("naukar-account-"+time.Now().Format("2006-01-02")+".zip", func(path string) {
		v.setBusy(true)
		v.Msg.SetText(L("Asking the sync server for the export…"))
		go func() {
			n, err := v.r.ExportAccount(context.Background(), path, func(st protocol.ExportStatus) {
				v.r.Do(func() {
					if st.Total > 0 {
						v.Progress.SetValue(float64(st.Done) / float64(st.Total))
						v.Msg.SetText(fmt.Sprintf(L("The server is writing the export: %d of %d rows…"), st.Done, st.Total))
					}
				})
			})
			v.r.Do(func() {
				v.setBusy(false)
				if err != nil {
					v.Msg.SetText(L("The export did not finish: ") + errText(err))
					return
				}
				v.Msg.SetText(fmt.Sprintf(L("Saved the server's export to %s (%s). README.txt inside explains each file."), path, size(n)))
				if next != nil {
					next()
				}
			})
		}()
	})
}

// exportLocal writes the books on this computer, with no server.
func (v *View) exportLocal() {
	if v.busy {
		return
	}
	v.choose("naukar-books-"+time.Now().Format("2006-01-02")+".zip", func(path string) {
		v.setBusy(true)
		v.Msg.SetText(L("Writing the books on this computer…"))
		go func() {
			n, err := v.r.ExportBooks(context.Background(), path, func(done, total int64) {
				v.r.Do(func() {
					if total > 0 {
						v.Progress.SetValue(float64(done) / float64(total))
					}
				})
			})
			v.r.Do(func() {
				v.setBusy(false)
				if err != nil {
					v.Msg.SetText(L("The export did not finish: ") + errText(err))
					return
				}
				v.Msg.SetText(fmt.Sprintf(L("Saved the books on this computer to %s (%s). README.txt inside explains each file."), path, size(n)))
			})
		}()
	})
}

// startDelete offers the export first: Export first / Delete without
// export / Cancel.
func (v *View) startDelete() {
	if v.busy {
		return
	}
	text := widget.NewLabel(L("Closing the account signs out every device at once and deletes everything the sync server holds about the business within 30 days; only our billing records are kept (7 years, as Indian tax law requires). The books on this computer stay.") +
		"\n\n" + L("Export your data first? Once the account is closed, the server's export is gone."))
	text.Wrapping = fyne.TextWrapWord
	v.ExportFirst = widget.NewButtonWithIcon(L("Export first"), theme.DownloadIcon(), func() {
		v.confirm.Hide()
		v.exportAccount(v.askPassword)
	})
	v.ExportFirst.Importance = widget.HighImportance
	v.DeleteNoExport = widget.NewButton(L("Delete without export"), func() {
		v.confirm.Hide()
		v.askPassword()
	})
	v.DeleteNoExport.Importance = widget.DangerImportance
	v.CancelDelete = widget.NewButton(L("Cancel"), func() { v.confirm.Hide() })
	v.confirm = dialog.NewCustomWithoutButtons(L("Delete account"),
		container.NewBorder(nil, container.NewHBox(v.ExportFirst, v.DeleteNoExport, v.CancelDelete), nil, nil, text), v.win)
	v.confirm.Resize(fyne.NewSize(640, 260))
	v.confirm.Show()
}

// askPassword asks the owner's password and closes the account.
func (v *View) askPassword() {
	v.Password = widget.NewPasswordEntry()
	v.Password.SetPlaceHolder(L("The account's password"))
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	cancel := widget.NewButton(L("Cancel"), func() { v.ask.Hide() })
	v.ConfirmDelete = widget.NewButtonWithIcon(L("Close the account"), theme.DeleteIcon(), nil)
	v.ConfirmDelete.Importance = widget.DangerImportance
	v.ConfirmDelete.OnTapped = func() {
		if v.busy || v.Password.Text == "" {
			return
		}
		pw := v.Password.Text
		v.setBusy(true)
		v.ConfirmDelete.Disable()
		msg.SetText(L("Closing the account…"))
		go func() {
			res, err := v.r.DeleteAccount(context.Background(), pw)
			v.r.Do(func() {
				v.setBusy(false)
				v.ConfirmDelete.Enable()
				if err != nil {
					msg.SetText(errText(err))
					return
				}
				v.ask.Hide()
				v.closed(res)
			})
		}()
	}
	v.Password.OnSubmitted = func(string) { v.ConfirmDelete.OnTapped() }
	v.ask = dialog.NewCustomWithoutButtons(L("Delete account"), container.NewVBox(
		widget.NewLabel(L("Type the account's password to close it.")), v.Password, msg,
		container.NewHBox(v.ConfirmDelete, cancel)), v.win)
	v.ask.Resize(fyne.NewSize(520, 220))
	v.ask.Show()
	v.win.Canvas().Focus(v.Password)
}

// closed tells the owner the account is closed and when the data goes.
func (v *View) closed(res protocol.DeleteAccountResponse) {
	text := fmt.Sprintf(L("Account closed. Every device is signed out. The server deletes the business's data on %s; until then write to us to reopen it. The books on this computer stay."),
		gst.FormatDay(res.PurgeAt.Local()))
	v.Msg.SetText(text)
	v.ExportServer.Disable()
	v.Delete.Disable()
	dialog.ShowInformation(L("Account closed"), text, v.win)
}

// errText is an error in the words the shopkeeper reads: the server's own
// message for a refusal (a wrong password), else the error.
func errText(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Message != "" {
		return ae.Message
	}
	if errors.Is(err, syncapp.ErrNotSignedIn) {
		return L("Sign in to a sync server (Settings → Sync) to export or delete the data it holds.")
	}
	return err.Error()
}

// size is a file size in words.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// CreateRenderer implements fyne.Widget.
func (v *View) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }
