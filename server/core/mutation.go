package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/sync/protocol"
)

var tableNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Limits on one pushed row. A row over them is a rejected mutation, so it
// never reaches the feed that every other device of the business reads
// (a record nested 1,001 levels deep stopped every other device's sync).
const (
	MaxRowDepth = 64        // nesting of objects and arrays in a row's data
	MaxRowBytes = 512 << 10 // a row's data, in bytes
	maxStampLen = 100       // an HLC stamp: 13 + 1 + 10 + 1 + a device id
)

// jsonDepth returns the deepest nesting of objects and arrays in valid JSON.
func jsonDepth(data []byte) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// CheckMutation turns a pushed mutation into a Row ready for sync.Merge, or
// says why it can never apply. The returned rejection has code invalid.
// Tables this build does not know are accepted (a newer client) and merge
// as records.
func CheckMutation(m protocol.Mutation) (protocol.Row, *protocol.Rejection) {
	reject := func(msg string) (protocol.Row, *protocol.Rejection) {
		return protocol.Row{}, &protocol.Rejection{N: m.N, Table: m.Table, ID: m.ID, Code: protocol.CodeInvalid, Message: msg}
	}
	if !tableNameRE.MatchString(m.Table) {
		return reject("table name must be lower-case letters, digits and _")
	}
	if len(m.ID) != 36 {
		return reject("id must be a UUID")
	}
	if _, err := uuid.Parse(m.ID); err != nil {
		return reject("id must be a UUID")
	}
	if len(m.HLC) > maxStampLen || !IsClean(m.HLC) {
		return reject("hlc is not a valid stamp")
	}
	if len(m.Data) > MaxRowBytes {
		return reject(fmt.Sprintf("data is %d KiB; a row may be at most %d KiB", len(m.Data)>>10, MaxRowBytes>>10))
	}
	if !utf8.Valid(m.Data) {
		return reject("data is not valid UTF-8 text")
	}
	kind := protocol.TableKind(m.Table)
	data := bytes.TrimSpace(m.Data)
	isObject := len(data) > 0 && data[0] == '{' && json.Valid(data)
	switch {
	case m.Op != protocol.OpUpsert && m.Op != protocol.OpDelete && m.Op != protocol.OpInsert:
		return reject("unknown op " + quote(m.Op))
	case kind == protocol.KindDocument && m.Op != protocol.OpInsert:
		return reject("a document is written once: op must be insert, not " + quote(m.Op))
	case m.Op == protocol.OpDelete:
		if len(data) > 0 && !bytes.Equal(data, []byte("null")) && !isObject {
			return reject("data must be a JSON object")
		}
	case !isObject:
		return reject("data must be a JSON object")
	}
	if d := jsonDepth(data); d > MaxRowDepth {
		return reject(fmt.Sprintf("data is nested %d levels deep; at most %d are allowed", d, MaxRowDepth))
	}
	row, err := protocol.RowFromMutation(m)
	if err != nil {
		return reject(err.Error())
	}
	return row, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var clockIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CheckClockID checks the stamp id a login names for its device: letters,
// digits, - and _ (a UUID), at most 64, and never the server's own.
func CheckClockID(id string) error {
	if id == "" {
		return nil
	}
	if !clockIDRE.MatchString(id) || id == protocol.ServerDevice {
		return Errorf(protocol.CodeInvalid, "clock_id must be 1 to 64 letters, digits, - or _ (the books' device id).")
	}
	return nil
}

// StampDevice returns the device part of a stamp CheckMutation accepted
// (fixed-width wall and counter, then the device: no parsing, no
// allocation on the push path).
func StampDevice(hlc string) string {
	if len(hlc) > 25 && hlc[13] == '.' && hlc[24] == '.' {
		return hlc[25:]
	}
	return ""
}
