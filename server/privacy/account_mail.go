package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/ainaukar/naukar/app/gst"
	"github.com/ainaukar/naukar/server/mail"
)

// Transactional email kinds beyond closing and policy notices: the signup
// confirmation and our billing notices. They go whatever the marketing
// preference, never to a closed account.
const (
	MailSignup          = "signup"           // the account was made
	MailPaymentReceived = "payment_received" // a subscription charge was paid (ref: the payment)
	MailPaymentFailed   = "payment_failed"   // a charge failed: the subscription is pending or halted
	MailPlanChanged     = "plan_changed"     // the subscribed plan or its state changed
)

// BillingFacts are what a billing notice says: our own billing facts
// about the business's subscription (no data of the shop's books).
type BillingFacts struct {
	PlanName      string    `json:"plan_name,omitempty"`
	Status        string    `json:"status,omitempty"`
	AmountPaise   int64     `json:"amount_paise,omitempty"`
	InvoiceNumber string    `json:"invoice_number,omitempty"`
	PeriodEnd     time.Time `json:"period_end,omitempty"`
	GraceEnds     time.Time `json:"grace_ends,omitempty"`
}

// SignedUp queues the signup confirmation (api.SignupObserver).
func (m *Module) SignedUp(ctx context.Context, accountID, businessID string) {
	if err := m.s.queueEmail(ctx, EmailArgs{Mail: MailSignup, AccountID: accountID, Ref: accountID}); err != nil {
		m.s.log.Error("signup confirmation not queued", "account", accountID, "err", err)
	}
}

// BillingNotice queues a billing email to the account (server/billing
// calls it where its state machine records a change): kind is
// MailPaymentReceived, MailPaymentFailed or MailPlanChanged; ref makes it
// once per event (a payment id, a subscription and status).
func (s *Service) BillingNotice(ctx context.Context, accountID, kind, ref string, f BillingFacts) error {
	switch kind {
	case MailPaymentReceived, MailPaymentFailed, MailPlanChanged:
	default:
		return fmt.Errorf("billing notice: unknown kind %q", kind)
	}
	return s.queueEmail(ctx, EmailArgs{Mail: kind, AccountID: accountID, Ref: ref, Billing: &f})
}

// hindi separates an email's English from the same words in Hindi: the
// signup and closing emails carry both (the account keeps no language).
const hindi = "\n———\nहिन्दी में\n\n"

// accountMail writes the text of the signup and billing emails.
func accountMail(a EmailArgs, name string, m *mail.Message) error {
	f := BillingFacts{}
	if a.Billing != nil {
		f = *a.Billing
	}
	day := func(t time.Time) string { return t.In(ist).Format("02-01-2006") }
	switch a.Mail {
	case MailSignup:
		m.Subject = "Welcome to AI Naukar: your account is ready"
		m.Text = "Namaste " + name + ",\n\nYour AI Naukar account is made with this email address. Sign in on your counter PCs with it to sync your books.\n\n" +
			"Your rights: on the account page (/account on your sync server) you can correct your details, export all your data, " +
			"stop product update emails and close the account. We share data only with Anthropic (the AI assistant, when you ask it), " +
			"Meta (WhatsApp messages you send), Razorpay (payments) and our host.\n\n" +
			"Did not sign up? Reply to this email and we will close the account.\n\n— AI Naukar\n" +
			hindi + "नमस्ते " + name + ",\n\nआपका AI Naukar खाता इसी ईमेल पते से बन गया है। अपनी बहियाँ सिंक करने के लिए काउंटर PC पर इसी से साइन इन करें।\n\n" +
			"आपके अधिकार: खाता पेज पर (आपके सिंक सर्वर पर /account) आप अपनी जानकारी सुधार सकते हैं, अपना सारा डेटा निर्यात कर सकते हैं, " +
			"उत्पाद अपडेट ईमेल बंद कर सकते हैं और खाता बंद कर सकते हैं। हम डेटा सिर्फ़ Anthropic (AI सहायक, जब आप उससे पूछें), " +
			"Meta (आपके भेजे WhatsApp संदेश), Razorpay (भुगतान) और अपने होस्ट के साथ साझा करते हैं।\n\n" +
			"साइन अप नहीं किया? इस ईमेल का जवाब दें, हम खाता बंद कर देंगे।\n\n— AI Naukar\n"
	case MailPaymentReceived:
		m.Subject = "Payment received: " + f.PlanName + " plan"
		m.Text = "Namaste " + name + ",\n\nWe received " + gst.FormatINR(f.AmountPaise) + " for your AI Naukar " + f.PlanName + " plan."
		if f.InvoiceNumber != "" {
			m.Text += " Our tax invoice is " + f.InvoiceNumber + "; download it from Settings → Plan and billing in the app or from your account page."
		}
		if !f.PeriodEnd.IsZero() {
			m.Text += "\n\nThe plan is paid until " + day(f.PeriodEnd) + "."
		}
		m.Text += "\n\nThank you.\n\n— AI Naukar\n"
	case MailPaymentFailed:
		m.Subject = "Payment failed for your " + f.PlanName + " plan"
		m.Text = "Namaste " + name + ",\n\nRazorpay could not charge the payment for your AI Naukar " + f.PlanName + " plan (the subscription is " + f.Status + ")."
		if !f.GraceEnds.IsZero() {
			m.Text += " The plan stays in force until " + day(f.GraceEnds) + "; after that the books move to the free plan (they keep syncing)."
		}
		m.Text += "\n\nTo fix it, open Settings → Plan and billing in the app and pay again, or check the card or UPI mandate with your bank.\n\n— AI Naukar\n"
	case MailPlanChanged:
		m.Subject = "Your AI Naukar plan: " + f.PlanName
		m.Text = "Namaste " + name + ",\n\nYour subscription is now on the " + f.PlanName + " plan (" + f.Status + ")."
		if !f.PeriodEnd.IsZero() {
			m.Text += " Paid until " + day(f.PeriodEnd) + "."
		}
		m.Text += "\n\nNot you? Reply to this email.\n\n— AI Naukar\n"
	default:
		return fmt.Errorf("unknown email kind %q", a.Mail)
	}
	return nil
}
