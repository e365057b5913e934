package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ainaukar/naukar/app/assistant"
	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/app/staff"
	"github.com/ainaukar/naukar/app/syncapp"
	"github.com/ainaukar/naukar/sync/protocol"
)

// Asker answers a question over the books: app/assistant's Assistant,
// which runs the tools here and reaches the model through our server.
type Asker interface {
	Ask(ctx context.Context, question string, ev assistant.Events) (*assistant.Answer, error)
}

// AssistantScreen is the AI assistant: a question box, the answer as it
// streams, each step it looked up, and the drafts it made (a bill for the
// billing screen, a reminder for WhatsApp), which nothing saves or sends
// without the shopkeeper. The screen shows; app/assistant decides.
type AssistantScreen struct {
	screenBase
	a *App

	Question *Entry
	askBtn   *widget.Button
	stopBtn  *widget.Button
	copyBtn  *TipButton
	progress *widget.Label // what it is doing now
	Problem  *widget.Label // why there is no answer
	fix      *widget.Button
	answer   *widget.RichText
	answerC  *container.Scroll
	examples fyne.CanvasObject
	steps    *fyne.Container
	drafts   *fyne.Container
	draftsH  *widget.Label

	asking   bool
	cancel   context.CancelFunc
	n        int    // the question's number: late news of an earlier one is dropped
	streamed string // the answer text so far
	text     string // the answer as copied
	steps_   []assistant.Step
	cards    []*draftCard
	newPara  bool // a tool ran since the last words of the answer
}

// draftCard is one draft with the choices still to make.
type draftCard struct {
	d       assistant.Draft
	party   *widget.Select // the party when the assistant was unsure
	lines   []*widget.Select
	open    *widget.Button
	choices map[*widget.Select][]assistant.Choice
}

// assistantExamples are questions to start from (shown on the empty pane).
var assistantExamples = []string{
	"aaj kitna becha?",
	"Sharma ji ka kitna baaki hai?",
	"2 kilo cheeni aur 1 Parle-G Ramesh ke naam bill bana do",
	"Which items are running low?",
	"पिछले महीने का GST कितना बना?",
}

func newAssistantScreen(a *App) *AssistantScreen {
	s := &AssistantScreen{a: a}
	s.Question = a.entry(L("Ask about your shop in English, Hindi or Hinglish, then Enter"))
	s.Question.OnSubmitted = func(string) { s.Ask() }
	s.askBtn = widget.NewButtonWithIcon(L("Ask (Enter)"), theme.MailSendIcon(), s.Ask)
	s.askBtn.Importance = widget.HighImportance
	s.stopBtn = widget.NewButtonWithIcon(L("Stop (Esc)"), theme.MediaStopIcon(), func() { s.Stop() })
	s.stopBtn.Hide()
	s.copyBtn = ActionButton(ActCopyAnswer, L("Copy")+"  "+ShortcutFor(ActCopyAnswer).KeyText(), theme.ContentCopyIcon(), s.Copy)
	s.copyBtn.Disable()
	s.progress = widget.NewLabel("")
	s.progress.Importance = widget.LowImportance
	s.progress.Wrapping = fyne.TextWrapWord
	s.progress.Hide()
	s.Problem = errorText()
	s.fix = widget.NewButton("", nil)
	s.fix.Importance = widget.HighImportance
	s.fix.Hide()

	s.answer = widget.NewRichText()
	s.answer.Wrapping = fyne.TextWrapWord
	ex := container.NewVBox(wrapLabel(L("Ask about sales, dues, stock, invoices or GST, or ask for a bill or a payment reminder to be drafted. For example:")))
	for _, q := range assistantExamples {
		l := widget.NewLabel("“" + q + "”")
		l.TextStyle = fyne.TextStyle{Italic: true}
		ex.Add(l)
	}
	keys := wrapLabel(fmt.Sprintf(L("Enter asks · Esc stops · %s copies the answer · %s opens a draft"),
		ShortcutFor(ActCopyAnswer).KeyText(), ShortcutFor(ActOpenDraft).KeyText()))
	keys.Importance = widget.LowImportance
	ex.Add(keys)
	s.examples = ex
	s.answerC = container.NewVScroll(container.NewVBox(s.examples, s.answer))

	s.steps = container.NewVBox()
	s.drafts = container.NewVBox()
	s.draftsH = boldLabel(L("Drafts (nothing is saved or sent until you do it)"))
	s.draftsH.Wrapping = fyne.TextWrapWord
	s.draftsH.Hide()

	privacy := wrapLabel(L("Only what a question needs leaves this PC, through your AI Naukar server; the server keeps no questions or answers."))
	privacy.SizeName = theme.SizeNameCaptionText
	privacy.Importance = widget.LowImportance
	ask := container.NewBorder(nil, nil, nil, container.NewHBox(s.askBtn, s.stopBtn), s.Question)
	problem := container.NewBorder(nil, nil, nil, container.NewVBox(s.fix), s.Problem)
	top := container.NewVBox(container.NewBorder(nil, nil, heading(L("AI assistant")), nil, privacy), ask, s.progress, problem)

	answerHead := container.NewBorder(nil, nil, boldLabel(L("Answer")), s.copyBtn)
	left := container.NewBorder(answerHead, nil, nil, nil, s.answerC)
	right := container.NewVScroll(container.NewVBox(boldLabel(L("What was looked up")), s.steps, widget.NewSeparator(), s.draftsH, s.drafts))
	split := container.NewHSplit(left, right)
	split.Offset = 0.6
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, split))
	s.ExtendBaseWidget(s)
	return s
}

func (s *AssistantScreen) shown() { s.a.focus(s.Question) }

// handle runs the assistant's keys.
func (s *AssistantScreen) handle(act Action) bool {
	switch act {
	case ActCopyAnswer:
		s.Copy()
	case ActOpenDraft:
		s.OpenDraft(0)
	case ActFind:
		s.a.focus(s.Question)
	default:
		return false
	}
	return true
}

// Asking reports whether a question is being answered.
func (s *AssistantScreen) Asking() bool { return s.asking }

// Answer is the answer shown (what Copy copies).
func (s *AssistantScreen) Answer() string {
	if s.text != "" {
		return s.text
	}
	return s.streamed
}

// Steps are the tools the assistant used for the last question.
func (s *AssistantScreen) Steps() []assistant.Step { return s.steps_ }

// Drafts are the last question's drafts.
func (s *AssistantScreen) Drafts() []assistant.Draft {
	out := make([]assistant.Draft, len(s.cards))
	for i, c := range s.cards {
		out[i] = c.d
	}
	return out
}

// Progress is the line that says what the assistant is doing.
func (s *AssistantScreen) Progress() string {
	if !s.progress.Visible() {
		return ""
	}
	return s.progress.Text
}

// FixLabel is the label of the button beside a problem that leads to where
// it is put right ("" when none).
func (s *AssistantScreen) FixLabel() string {
	if !s.fix.Visible() {
		return ""
	}
	return s.fix.Text
}

// Ask sends the question in the box. The answer streams in as it comes;
// the question runs on its own goroutine, so the books' work queue and
// every other screen go on meanwhile.
func (s *AssistantScreen) Ask() {
	q := strings.TrimSpace(s.Question.Text)
	if q == "" || s.asking {
		return
	}
	s.clearAnswer()
	s.a.Say("")
	if s.a.opt.Assistant == nil {
		s.showProblem(L("The AI assistant is not part of this copy of AI Naukar. Everything else works."), "", nil)
		return
	}
	s.n++
	n := s.n
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.setAsking(true)
	s.say(L("Asking…"))
	do := s.a.opt.Do
	news := func(f func()) {
		do(func() {
			if s.n == n {
				f()
			}
		})
	}
	get := s.a.opt.Assistant
	s.a.used("assistant.ask")
	go func() {
		defer cancel()
		var ans *assistant.Answer
		ask, err := get()
		if err == nil {
			ans, err = ask.Ask(ctx, q, assistant.Events{
				Text: func(d string) { news(func() { s.addText(d) }) },
				Step: func(st assistant.Step) { news(func() { s.addStep(st) }) },
			})
		}
		news(func() { s.a.failed(err); s.done(ans, err) })
	}()
}

// Stop cancels the question being answered; it reports whether one was.
func (s *AssistantScreen) Stop() bool {
	if !s.asking {
		return false
	}
	s.n++ // what is still on its way is dropped
	s.cancel()
	s.setAsking(false)
	showText(s.progress, "")
	s.text = strings.TrimSpace(s.streamed)
	s.copyBtn.Enable()
	s.showProblem(L("Stopped. Ask again when you like."), "", nil)
	s.a.focus(s.Question)
	return true
}

func (s *AssistantScreen) setAsking(on bool) {
	s.asking = on
	if on {
		s.askBtn.Disable()
		s.stopBtn.Show()
	} else {
		s.askBtn.Enable()
		s.stopBtn.Hide()
	}
}

func (s *AssistantScreen) clearAnswer() {
	s.streamed, s.text, s.steps_, s.cards, s.newPara = "", "", nil, nil, false
	s.answer.ParseMarkdown("")
	s.examples.Hide()
	s.steps.Objects = nil
	s.steps.Refresh()
	s.drafts.Objects = nil
	s.drafts.Refresh()
	s.draftsH.Hide()
	s.copyBtn.Disable()
	s.showProblem("", "", nil)
}

// addText shows more of the answer as it streams.
func (s *AssistantScreen) addText(d string) {
	if s.newPara {
		// A tool ran since the last words: what follows is a new paragraph.
		s.newPara = false
		if s.streamed != "" {
			s.streamed = strings.TrimRight(s.streamed, " \n") + "\n\n"
		}
		s.say(L("Writing the answer…"))
	}
	s.streamed += d
	s.answer.ParseMarkdown(s.streamed)
	s.answerC.ScrollToBottom()
}

// addStep shows a tool the assistant used: what was looked up.
func (s *AssistantScreen) addStep(st assistant.Step) {
	s.steps_ = append(s.steps_, st)
	text := StepText(st)
	l := wrapLabel(fmt.Sprintf("%d. %s", len(s.steps_), text))
	if st.Error != "" {
		l.Importance = widget.DangerImportance
		l.SetText(l.Text + " — " + st.Error)
	}
	s.steps.Add(l)
	s.newPara = true
	s.say(L("Looked up:") + " " + text + " …")
}

// say shows what the assistant is doing now.
func (s *AssistantScreen) say(text string) {
	showText(s.progress, text)
}

// done shows how the question ended.
func (s *AssistantScreen) done(ans *assistant.Answer, err error) {
	s.setAsking(false)
	showText(s.progress, "")
	if ans != nil {
		if ans.Answer != "" {
			s.text = ans.Answer
			s.answer.ParseMarkdown(ans.Answer)
		}
		for _, d := range ans.Drafts {
			s.addDraft(d)
		}
	}
	if s.Answer() != "" {
		s.copyBtn.Enable()
	}
	if err != nil {
		msg, fixLabel, fix := s.problemOf(err)
		s.showProblem(msg, fixLabel, fix)
	}
	if len(s.cards) > 0 {
		s.a.Say(L("The assistant made a draft: %s opens it for you to check."), ShortcutFor(ActOpenDraft).KeyText())
	}
	s.a.focus(s.Question)
}

func (s *AssistantScreen) showProblem(msg, fixLabel string, fix func()) {
	setError(s.Problem, msg)
	if fix == nil {
		s.fix.Hide()
		return
	}
	s.fix.SetText(fixLabel)
	s.fix.OnTapped = fix
	s.fix.Show()
}

// problemOf puts a failure in plain words (in the shopkeeper's language)
// with, where there is one, a button to where it is put right.
func (s *AssistantScreen) problemOf(err error) (string, string, func()) {
	if errors.Is(err, context.Canceled) {
		return L("Stopped. Ask again when you like."), "", nil
	}
	var e *assistant.Error
	if !errors.As(err, &e) {
		return Message(err), "", nil
	}
	openSync := func() {
		s.a.Run(ActSettings)
		if s.a.Settings != nil {
			s.a.Settings.ShowSync()
		}
	}
	switch e.Code {
	case assistant.CodeNotSignedIn:
		return L("The assistant works through your AI Naukar server: sign in first (Settings → Sync). Everything else works without it."), L("Open Sync settings"), openSync
	case protocol.CodeUnauthorized, protocol.CodeReRegister, protocol.CodeRevoked:
		return L("This device is signed out of the server: sign in again (Settings → Sync). Everything else works without it."), L("Open Sync settings"), openSync
	case protocol.CodeNotConfig:
		return L("The AI assistant is not set up on your AI Naukar server yet, so it cannot answer. Everything else works."), "", nil
	case protocol.CodeQuotaExceeded:
		msg := e.Message
		if e.Quota != nil {
			msg = syncapp.QuotaWords(*e.Quota, L)
		}
		if s.a.opt.Plan == nil || !s.a.Can(staff.Plan) {
			return msg, "", nil
		}
		return msg, L("Plan and billing…"), func() {
			s.a.Run(ActSettings)
			if s.a.Settings != nil {
				s.a.Settings.ShowPlan()
			}
		}
	case protocol.CodeRateLimited:
		wait := e.RetryAfter
		if wait <= 0 {
			wait = 30 * time.Second
		}
		return fmt.Sprintf(L("The AI is answering too many questions right now. Please ask again in %d seconds."), int(wait.Seconds())), "", nil
	case protocol.CodeOverloaded:
		return L("The AI model is overloaded at the moment. Please ask again in a minute."), "", nil
	case assistant.CodeOffline:
		return L("The assistant cannot reach your AI Naukar server right now (no internet?). Everything else works offline; ask again when you are online."), "", nil
	case "too_large":
		return L("The question with the books' figures is too large for the AI. Ask about a shorter period or fewer items."), "", nil
	case assistant.CodeTooManyRounds:
		return L("The assistant needed too many steps for this question. Try asking something narrower."), "", nil
	}
	return e.Message, "", nil
}

// Copy puts the answer on the clipboard.
func (s *AssistantScreen) Copy() {
	t := s.Answer()
	if t == "" {
		s.a.Say("%s", L("There is no answer to copy yet."))
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(t)
	s.a.Say("%s", L("The answer is copied."))
}

// toolWords name the tools for people.
var toolWords = map[string]string{
	"sales_summary":  "Sales",
	"top_items":      "Best-selling items",
	"stock":          "Stock",
	"low_stock":      "Low stock",
	"party_dues":     "Dues",
	"party_ledger":   "Party's account",
	"find_invoices":  "Invoices",
	"gst_summary":    "GST summary",
	"draft_sale":     "Draft bill",
	"draft_reminder": "Draft reminder",
}

// StepText says what a step looked up: "Sales: from 2026-12-01, to 2026-12-03".
func StepText(st assistant.Step) string {
	name := st.Tool
	if w, ok := toolWords[st.Tool]; ok {
		name = L(w)
	}
	var in map[string]any
	if json.Unmarshal(st.Input, &in) != nil || len(in) == 0 {
		return name
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v := inputWords(in[k]); v != "" {
			if w, ok := inputKeyWords[k]; ok {
				parts = append(parts, fmt.Sprintf(L(w), v))
			} else {
				parts = append(parts, k+" "+v)
			}
		}
	}
	return name + ": " + strings.Join(parts, ", ")
}

// inputKeyWords name the tools' inputs for people.
var inputKeyWords = map[string]string{"from": "from %s", "to": "to %s", "limit": "top %s", "query": "for %s",
	"party": "party %s", "lines": "lines %s", "number": "number %s", "month": "month %s"}

// inputWords writes a tool input's value plainly: lines of a draft as
// "cheeni 2; Parle-G 1".
func inputWords(v any) string {
	switch v := v.(type) {
	case string:
		if d, err := time.Parse(books.DateLayout, v); err == nil {
			return gst.FormatDay(d) // as every screen writes a date
		}
		return v
	case float64:
		return gst.FormatQty(int64(v*1000 + 0.5))
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, inputWords(x))
		}
		return strings.Join(out, "; ")
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // item before qty
		var out []string
		for _, k := range keys {
			out = append(out, inputWords(v[k]))
		}
		return strings.Join(out, " ")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// ---- drafts ----

func (s *AssistantScreen) addDraft(d assistant.Draft) {
	c := &draftCard{d: d, choices: map[*widget.Select][]assistant.Choice{}}
	i := len(s.cards)
	s.cards = append(s.cards, c)
	choose := func(asked string, cs []assistant.Choice) *widget.Select {
		names := make([]string, len(cs))
		for j, ch := range cs {
			names[j] = ch.Name
		}
		sel := widget.NewSelect(names, nil)
		sel.PlaceHolder = fmt.Sprintf(L("“%s”: which one?"), asked)
		c.choices[sel] = cs
		return sel
	}
	box := container.NewVBox()
	var title string
	switch {
	case d.Sale != nil:
		sd := d.Sale
		who := L("Walk-in customer")
		switch {
		case sd.Party != nil:
			who = sd.Party.Name
		case len(sd.PartyChoices) > 0:
			who = fmt.Sprintf(L("“%s” (choose below)"), sd.PartyAsked)
			c.party = choose(sd.PartyAsked, sd.PartyChoices)
		}
		title = fmt.Sprintf(L("Bill for %s"), who)
		if c.party != nil {
			box.Add(c.party)
		}
		for _, l := range sd.Lines {
			if l.ProductID != "" {
				line := widget.NewLabel(fmt.Sprintf("%s × %s %s  @ ₹%s", l.Name, l.Qty, l.Unit, l.Price))
				line.Truncation = fyne.TextTruncateEllipsis
				box.Add(line)
				continue
			}
			sel := choose(l.Asked, l.Choices)
			c.lines = append(c.lines, sel)
			box.Add(container.NewBorder(nil, nil, nil, widget.NewLabel("× "+l.Qty), sel))
			if len(l.Choices) == 0 {
				sel.PlaceHolder = fmt.Sprintf(L("“%s”: no such item in the books"), l.Asked)
				sel.Disable()
			}
		}
		c.open = widget.NewButtonWithIcon(L("Open on the billing screen"), theme.DocumentIcon(), func() { s.OpenDraft(i) })
	case d.Reminder != nil:
		r := d.Reminder
		title = fmt.Sprintf(L("Payment reminder to %s"), r.Party)
		due := widget.NewLabel(fmt.Sprintf(L("Due ₹%s"), r.Due) + oldestText(r.Oldest))
		due.Wrapping = fyne.TextWrapWord
		box.Add(due)
		c.open = widget.NewButtonWithIcon(L("Open the WhatsApp send dialog"), theme.MailSendIcon(), func() { s.OpenDraft(i) })
	default:
		return
	}
	if i == 0 {
		c.open.SetText(c.open.Text + " (" + ShortcutFor(ActOpenDraft).KeyText() + ")")
		c.open.Importance = widget.HighImportance
	}
	t := boldLabel(title)
	t.Wrapping = fyne.TextWrapWord
	card := container.NewVBox(t, box, container.NewHBox(c.open))
	s.drafts.Add(card)
	s.drafts.Add(widget.NewSeparator())
	s.draftsH.Show()
}

func oldestText(day string) string {
	d, err := time.Parse(books.DateLayout, day)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(L(" (oldest unpaid bill %s)"), gst.FormatDay(d))
}

// ChooseDraft picks choice j for the draft's unsure party (line -1) or
// unsure line (the line-th unsure line), as the drop-down does.
func (s *AssistantScreen) ChooseDraft(i, line, j int) {
	if i < 0 || i >= len(s.cards) {
		return
	}
	c := s.cards[i]
	sel := c.party
	if line >= 0 {
		if line >= len(c.lines) {
			return
		}
		sel = c.lines[line]
	}
	if sel != nil {
		sel.SetSelectedIndex(j)
	}
}

// chosen is what a drop-down picked ("" when nothing).
func (c *draftCard) chosen(sel *widget.Select) string {
	if sel == nil || sel.SelectedIndex() < 0 {
		return ""
	}
	return c.choices[sel][sel.SelectedIndex()].ID
}

// OpenDraft opens draft i: a bill on the billing screen, a reminder in
// the WhatsApp send dialog. Nothing is saved or sent here.
func (s *AssistantScreen) OpenDraft(i int) {
	if i < 0 || i >= len(s.cards) {
		s.a.Say("%s", L("The assistant has made no draft to open."))
		return
	}
	c := s.cards[i]
	switch {
	case c.d.Sale != nil:
		s.openSale(c)
	case c.d.Reminder != nil:
		s.openReminder(c.d.Reminder)
	}
}

func (s *AssistantScreen) openSale(c *draftCard) {
	if !s.a.Allowed(ActBilling) {
		s.a.refuse(ActBilling)
		return
	}
	sd := c.d.Sale
	partyID := ""
	if sd.Party != nil {
		partyID = sd.Party.ID
	} else {
		partyID = c.chosen(c.party)
	}
	type line struct {
		p     books.Product
		qty   int64
		stock int64
	}
	var want []struct {
		id  string
		qty int64
	}
	var left []string
	u := 0
	for _, l := range sd.Lines {
		id := l.ProductID
		if id == "" {
			id = c.chosen(c.lines[u])
			u++
		}
		if id == "" {
			left = append(left, l.Asked)
			continue
		}
		want = append(want, struct {
			id  string
			qty int64
		}{id, l.QtyMilli})
	}
	if len(want) == 0 {
		s.a.Say("%s", L("Choose the items of the draft first (the drop-downs under it)."))
		return
	}
	var lines []line
	var party *books.PartySnapshot
	var balance int64
	loading := s.a.stockLoading()
	s.a.background(func() error {
		for _, w := range want {
			p, err := s.a.Books.Product(w.id)
			if err != nil {
				return err
			}
			st, err := s.a.Books.StockOnHand(p.ID)
			if err != nil {
				return err
			}
			if loading {
				st = unknownStock
			}
			lines = append(lines, line{p, w.qty, st})
		}
		if partyID == "" {
			return nil
		}
		p, err := s.a.Books.Party(partyID)
		if err != nil {
			return err
		}
		party = books.SnapshotOf(&p, p.ID)
		hits, err := s.a.Books.ListParties(p.Name, 50)
		for _, h := range hits {
			if h.ID == p.ID {
				balance = h.Balance
			}
		}
		return err
	}, func(err error) {
		if err != nil {
			s.a.showError(err)
			return
		}
		b := s.a.Billing
		s.a.Run(ActBilling)
		held := ""
		if !b.Bill.Empty() {
			before := len(b.held)
			b.Hold()
			if len(b.held) == before {
				return // the bill on the counter has a box to put right first
			}
			held = " " + fmt.Sprintf(L("The bill that was on the counter is held (%s recalls it)."), ShortcutFor(ActRecallBill).KeyText())
		}
		for _, l := range lines {
			b.AddProduct(l.p, l.qty, l.stock)
		}
		if party != nil {
			b.SetCustomer(party, balance)
		}
		msg := fmt.Sprintf(L("The assistant's draft is on the bill: check it, take the payment and save with %s."), ShortcutFor(ActSaveBill).KeyText()) + held
		if len(left) > 0 {
			msg += " " + fmt.Sprintf(L("Not added (choose them in the item box): %s."), strings.Join(left, ", "))
		}
		s.a.Say("%s", msg)
	})
}

// openReminder shows the WhatsApp send dialog for a drafted reminder;
// Send (Ctrl+S or Enter) sends it as the Parties screen's reminder does.
func (s *AssistantScreen) openReminder(r *assistant.ReminderDraft) {
	if !s.a.Can(staff.SendMessages) {
		s.a.Say("%s", L("Your role may not send reminders on WhatsApp."))
		return
	}
	if s.a.opt.WhatsApp == nil {
		s.a.Say("%s", L("WhatsApp is not set up in this copy of AI Naukar."))
		return
	}
	phone := r.Phone
	if phone == "" {
		phone = L("no phone number: WhatsApp asks for one")
	}
	form := widget.NewForm(
		widget.NewFormItem(L("Party"), wrapLabel(r.Party)),
		widget.NewFormItem(L("Phone"), widget.NewLabel(phone)),
		widget.NewFormItem(L("Due"), widget.NewLabel("₹"+r.Due+oldestText(r.Oldest))),
		widget.NewFormItem(L("Message"), wrapLabel(r.Message)),
	)
	note := wrapLabel(L("Nothing has been sent. Check it, then send."))
	note.Importance = widget.LowImportance
	s.a.formDialog(L("Send a payment reminder on WhatsApp"), L("Send"), container.NewVBox(form, note), fyne.NewSize(620, 420), func() bool {
		s.a.remindOnWhatsApp(r.PartyID)
		return true
	})
}
