package protocol

import "time"

// WANumberSettings is the body of PUT /v1/whatsapp/settings: the shop's own
// WhatsApp Business number (Meta's phone number id), a system user's access
// token and the Meta app's secret (which signs the app's webhooks), with
// template names and language where they differ from the server's.
type WANumberSettings struct {
	PhoneNumberID    string `json:"phone_number_id"`
	Token            string `json:"token"`
	AppSecret        string `json:"app_secret"`
	TemplateInvoice  string `json:"template_invoice,omitempty"`
	TemplateReminder string `json:"template_reminder,omitempty"`
	TemplateLang     string `json:"template_lang,omitempty"`
}

// WANumberStatus answers GET/PUT/DELETE /v1/whatsapp/settings: whether the
// shop sends from its own number, never the secrets (only that they are
// set and the token's last 4 characters), and what to give Meta for the
// app's webhook.
type WANumberStatus struct {
	Connected        bool       `json:"connected"`
	PhoneNumberID    string     `json:"phone_number_id,omitempty"`
	DisplayPhone     string     `json:"display_phone,omitempty"`
	TokenSet         bool       `json:"token_set"`
	TokenLast4       string     `json:"token_last4,omitempty"`
	AppSecretSet     bool       `json:"app_secret_set"`
	TemplateInvoice  string     `json:"template_invoice,omitempty"`
	TemplateReminder string     `json:"template_reminder,omitempty"`
	TemplateLang     string     `json:"template_lang,omitempty"`
	WebhookURL       string     `json:"webhook_url,omitempty"`
	VerifyToken      string     `json:"verify_token,omitempty"`
	ConnectedAt      *time.Time `json:"connected_at,omitempty"`
	// Available: the server can keep a shop's secrets (it has a secret
	// key); Message says why not in plain words.
	Available bool   `json:"available"`
	Message   string `json:"message,omitempty"`
}
