package gst

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

var (
	ones = [...]string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
		"Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	tens = [...]string{"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
)

// abs64 returns the magnitude of v as uint64, correct even for math.MinInt64.
func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// below100 returns the words for 1..99.
func below100(n uint64, b *[]string) {
	if n < 20 {
		*b = append(*b, ones[n])
		return
	}
	*b = append(*b, tens[n/10])
	if n%10 != 0 {
		*b = append(*b, ones[n%10])
	}
}

// indianWords appends the words for n > 0 in the Indian system (thousand,
// lakh, crore); beyond 99 crore the crore count is itself spelt the same way.
func indianWords(n uint64, b *[]string) {
	if c := n / 10000000; c > 0 {
		indianWords(c, b)
		*b = append(*b, "Crore")
		n %= 10000000
	}
	if l := n / 100000; l > 0 {
		below100(l, b)
		*b = append(*b, "Lakh")
		n %= 100000
	}
	if t := n / 1000; t > 0 {
		below100(t, b)
		*b = append(*b, "Thousand")
		n %= 1000
	}
	if h := n / 100; h > 0 {
		below100(h, b)
		*b = append(*b, "Hundred")
		n %= 100
	}
	if n > 0 {
		below100(n, b)
	}
}

// AmountInWords spells an amount in paise in the Indian system, as shops print
// it: 12345678 gives "Rupees One Lakh Twenty Three Thousand Four Hundred Fifty
// Six and Seventy Eight Paise Only", 0 gives "Rupees Zero Only", 5 gives
// "Rupees Zero and Five Paise Only", and a negative amount starts with "Minus".
func AmountInWords(paise int64) string {
	u := abs64(paise)
	rupees, p := u/100, u%100
	b := make([]string, 0, 24)
	if paise < 0 {
		b = append(b, "Minus")
	}
	b = append(b, "Rupees")
	if rupees == 0 {
		b = append(b, "Zero")
	} else {
		indianWords(rupees, &b)
	}
	if p > 0 {
		b = append(b, "and")
		below100(p, &b)
		b = append(b, "Paise")
	}
	b = append(b, "Only")
	return strings.Join(b, " ")
}

// groupIndian writes n with Indian digit grouping: the last three digits, then
// groups of two (1,23,45,67,890).
func groupIndian(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	head, tail := s[:len(s)-3], s[len(s)-3:]
	var sb strings.Builder
	first := len(head) % 2
	if first == 1 {
		sb.WriteString(head[:1])
	}
	for i := first; i < len(head); i += 2 {
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(head[i : i+2])
	}
	sb.WriteByte(',')
	sb.WriteString(tail)
	return sb.String()
}

// FormatIndianDigits formats paise as rupees with Indian grouping and two
// decimals, without a currency symbol: "1,23,45,678.90", "-1,000.00".
func FormatIndianDigits(paise int64) string {
	u := abs64(paise)
	sign := ""
	if paise < 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%s.%02d", sign, groupIndian(u/100), u%100)
}

// FormatINR formats paise with the rupee symbol and Indian grouping:
// "₹1,23,45,678.90", "₹0.50", "-₹1,000.00".
func FormatINR(paise int64) string {
	s := FormatIndianDigits(paise)
	if strings.HasPrefix(s, "-") {
		return "-₹" + s[1:]
	}
	return "₹" + s
}

// FormatAmount formats paise as plain rupees with two decimals and no
// grouping, as files and the GST portal expect: "1234.50", "-0.01".
func FormatAmount(paise int64) string {
	u := abs64(paise)
	sign := ""
	if paise < 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

var (
	errTooManyDecimals = errors.New("too many decimals")
	errNotNumber       = errors.New("not a number")
	errTooLarge        = errors.New("too large")
)

// parseDecimal reads an unsigned decimal with at most places decimals into an
// integer scaled by 10^places. With commas true, commas between digits of the
// whole part are ignored (Indian or Western grouping alike).
func parseDecimal(s string, places int, commas bool) (int64, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if commas && strings.Contains(whole, ",") {
		if strings.HasPrefix(whole, ",") || strings.HasSuffix(whole, ",") || strings.Contains(whole, ",,") {
			return 0, errNotNumber
		}
		whole = strings.ReplaceAll(whole, ",", "")
	}
	if whole == "" && frac == "" {
		return 0, errNotNumber
	}
	if (whole != "" && !allDigits(whole)) || (frac != "" && !allDigits(frac)) || (hasDot && strings.Contains(frac, ".")) {
		return 0, errNotNumber
	}
	if len(frac) > places {
		return 0, errTooManyDecimals
	}
	var v int64
	scale := int64(1)
	for i := 0; i < places; i++ {
		scale *= 10
	}
	for i := 0; i < len(whole); i++ {
		d := int64(whole[i] - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, errTooLarge
		}
		v = v*10 + d
	}
	if v > math.MaxInt64/scale {
		return 0, errTooLarge
	}
	v *= scale
	f := frac + strings.Repeat("0", places-len(frac))
	if f != "" {
		n, _ := strconv.ParseInt(f, 10, 64)
		if v > math.MaxInt64-n {
			return 0, errTooLarge
		}
		v += n
	}
	return v, nil
}

// cutSign removes one leading '-' or '+' and reports whether it was '-'.
func cutSign(s string) (string, bool, bool) {
	if strings.HasPrefix(s, "-") {
		return strings.TrimSpace(s[1:]), true, true
	}
	if strings.HasPrefix(s, "+") {
		return strings.TrimSpace(s[1:]), false, true
	}
	return s, false, false
}

// ParseAmount reads rupees typed by a person into paise: "245.50", "245.5",
// "245", "₹1,234.50", "Rs. 12" and " 12 " are accepted, and a leading minus
// ("-5.00", "-₹5") gives a negative amount. It refuses empty text, anything
// that is not a number and more than two decimal places.
func ParseAmount(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, newErr("amount", "amount is empty")
	}
	t, neg, signed := cutSign(t)
	for _, sym := range []string{"₹", "Rs.", "Rs", "rs.", "rs", "INR"} {
		if strings.HasPrefix(t, sym) {
			t = strings.TrimSpace(t[len(sym):])
			break
		}
	}
	if !signed {
		t, neg, _ = cutSign(t)
	}
	v, err := parseDecimal(t, 2, true)
	switch err {
	case nil:
	case errTooManyDecimals:
		return 0, newErr("amount", fmt.Sprintf("amount %q has more than 2 decimal places; paise go to two places, like 245.50", s))
	case errTooLarge:
		return 0, newErr("amount", fmt.Sprintf("amount %q is too large", s))
	default:
		return 0, newErr("amount", fmt.Sprintf("amount %q is not a number; type rupees like 245.50", s))
	}
	if neg {
		v = -v
	}
	return v, nil
}

// FormatQty formats a quantity held in thousandths as a trimmed decimal:
// 1000 gives "1", 1500 gives "1.5", 250 gives "0.25", 2125 gives "2.125".
func FormatQty(milli int64) string {
	u := abs64(milli)
	sign := ""
	if milli < 0 {
		sign = "-"
	}
	whole, frac := u/1000, u%1000
	if frac == 0 {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	return fmt.Sprintf("%s%d.%s", sign, whole, strings.TrimRight(fmt.Sprintf("%03d", frac), "0"))
}

// ParseQty reads a quantity with up to three decimals into thousandths:
// "1.5" gives 1500. A leading minus is accepted (for returns); the caller
// decides whether a negative or zero quantity is allowed.
func ParseQty(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, newErr("qty", "quantity is empty")
	}
	t, neg, _ := cutSign(t)
	v, err := parseDecimal(t, 3, true)
	switch err {
	case nil:
	case errTooManyDecimals:
		return 0, newErr("qty", fmt.Sprintf("quantity %q has more than 3 decimal places", s))
	case errTooLarge:
		return 0, newErr("qty", fmt.Sprintf("quantity %q is too large", s))
	default:
		return 0, newErr("qty", fmt.Sprintf("quantity %q is not a number; type a quantity like 2 or 1.5", s))
	}
	if neg {
		v = -v
	}
	return v, nil
}
