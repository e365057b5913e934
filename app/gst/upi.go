package gst

import (
	"fmt"
	"strings"
)

// ValidateVPA checks a UPI virtual payment address of the form name@bank:
// the name is letters, digits, '.', '-' and '_'; the bank handle is letters
// and digits (at least two).
func ValidateVPA(s string) error {
	if s == "" {
		return newErr("vpa", "UPI ID is empty; it looks like name@bank")
	}
	name, bank, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(bank, "@") {
		return newErr("vpa", fmt.Sprintf("UPI ID %q must have exactly one @, like name@bank", s))
	}
	if name == "" {
		return newErr("vpa", fmt.Sprintf("UPI ID %q has nothing before the @", s))
	}
	if len(name) > 256 {
		return newErr("vpa", fmt.Sprintf("UPI ID %q is too long", s))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLetter(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' {
			return newErr("vpa", fmt.Sprintf("UPI ID %q has %q before the @; only letters, digits, . - and _ are allowed", s, c))
		}
	}
	if len(bank) < 2 {
		return newErr("vpa", fmt.Sprintf("UPI ID %q needs a bank handle after the @, like okicici", s))
	}
	for i := 0; i < len(bank); i++ {
		if !isLetter(bank[i]) && !isDigit(bank[i]) {
			return newErr("vpa", fmt.Sprintf("UPI ID %q has %q after the @; the bank handle is letters and digits only", s, bank[i]))
		}
	}
	return nil
}

// upiEscape percent-encodes a value for a upi:// link: unreserved characters
// and '@' stay as they are, every other byte (including space) becomes %XX.
func upiEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isLetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// UPIPayURL builds a UPI payment link for a QR code:
// upi://pay?pa=<vpa>&pn=<payee>&am=<amount>&cu=INR&tn=<note>&tr=<ref>.
// vpa must pass ValidateVPA and payeeName must not be blank. An amount of 0
// leaves out am (the payer types it); a negative amount is an error. Empty
// note and ref are left out. Values are percent-encoded, spaces as %20.
func UPIPayURL(vpa, payeeName string, amountPaise int64, note, ref string) (string, error) {
	vpa = strings.TrimSpace(vpa)
	if err := ValidateVPA(vpa); err != nil {
		return "", err
	}
	payeeName = strings.TrimSpace(payeeName)
	if payeeName == "" {
		return "", newErr("payee", "payee name is empty; UPI needs the shop's name")
	}
	if amountPaise < 0 {
		return "", newErr("amount", fmt.Sprintf("UPI amount cannot be negative (got %s)", FormatAmount(amountPaise)))
	}
	var b strings.Builder
	b.WriteString("upi://pay?pa=")
	b.WriteString(upiEscape(vpa))
	b.WriteString("&pn=")
	b.WriteString(upiEscape(payeeName))
	if amountPaise > 0 {
		b.WriteString("&am=")
		b.WriteString(FormatAmount(amountPaise))
	}
	b.WriteString("&cu=INR")
	if note = strings.TrimSpace(note); note != "" {
		b.WriteString("&tn=")
		b.WriteString(upiEscape(note))
	}
	if ref = strings.TrimSpace(ref); ref != "" {
		b.WriteString("&tr=")
		b.WriteString(upiEscape(ref))
	}
	return b.String(), nil
}
