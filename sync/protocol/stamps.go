package protocol

import (
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// AppendStamps appends a row's field stamps (Row.FieldHLC) as a JSON
// object: the bytes json.Marshal gives for a non-nil map (keys sorted,
// compact, <, > and & escaped; a nil map gives {}), written without
// reflection, as the server stores them on every push and a new device
// writes 100,000 products' stamps in its download.
func AppendStamps(b []byte, m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	n := 2
	for k, v := range m {
		keys = append(keys, k)
		n += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b = slices.Grow(b, n)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}')
}

// appendJSONString appends s quoted as encoding/json quotes it: plain
// ASCII is copied, the rest goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
