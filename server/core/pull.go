package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/ainaukar/naukar/sync/protocol"
)

// PullPage is the reply to a pull as the store reads it. It encodes to
// exactly the JSON of protocol.PullResponse, but keeps each change's field
// stamps as the JSON text the store holds, so a page goes out without
// decoding and re-encoding a map per row.
type PullPage struct {
	Changes    []Change             `json:"changes"`
	Next       int64                `json:"next"`
	More       bool                 `json:"more"`
	Epoch      string               `json:"epoch"`
	Rejections []protocol.Rejection `json:"rejections,omitempty"`
	ServerTime int64                `json:"server_time"`
	Head       int64                `json:"head,omitempty"`
}

// PullFilter narrows a pull for a new device's ordered download
// (protocol/download.go). The zero value is the whole feed.
type PullFilter struct {
	// Table, if set, limits the page to rows of this table.
	Table string
	// SkipTables and SkipUntil, if both set, leave out rows of these
	// tables with seq <= SkipUntil: the device downloaded them first.
	SkipTables []string
	SkipUntil  int64
}

// Change is protocol.Change with FieldHLC as raw JSON (empty when the row has
// no field stamps, as omitempty leaves out an empty map).
type Change struct {
	Seq      int64           `json:"seq"`
	Table    string          `json:"table"`
	ID       string          `json:"id"`
	HLC      string          `json:"hlc"`
	Op       string          `json:"op"`
	Data     json.RawMessage `json:"data"`
	FieldHLC json.RawMessage `json:"field_hlc,omitempty"`
	DeviceID string          `json:"device_id,omitempty"`
}

// RawFieldHLC returns stored field stamps as a Change carries them: nil for
// no stamps.
func RawFieldHLC(b []byte) json.RawMessage {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("{}")) || bytes.Equal(b, []byte("null")) {
		return nil
	}
	return b
}

// Response decodes the page into the wire type.
func (p PullPage) Response() (protocol.PullResponse, error) {
	out := protocol.PullResponse{Changes: make([]protocol.Change, len(p.Changes)), Next: p.Next, More: p.More,
		Epoch: p.Epoch, Rejections: p.Rejections, ServerTime: p.ServerTime, Head: p.Head}
	for i, c := range p.Changes {
		out.Changes[i] = protocol.Change{Seq: c.Seq, Table: c.Table, ID: c.ID, HLC: c.HLC, Op: c.Op, Data: c.Data, DeviceID: c.DeviceID}
		if len(c.FieldHLC) > 0 {
			if err := json.Unmarshal(c.FieldHLC, &out.Changes[i].FieldHLC); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// Check reports the first change whose stored data or field stamps are not
// valid JSON in UTF-8 (a damaged database page, a row written around the
// server). Such a page must never go out: a device would store garbage or
// fail to read the whole page.
func (p *PullPage) Check() error {
	for i := range p.Changes {
		c := &p.Changes[i]
		what := ""
		switch {
		case len(c.Data) > 0 && !validJSON(c.Data): // none goes out as null
			what = "data"
		case len(c.FieldHLC) > 0 && !validJSON(c.FieldHLC):
			what = "field stamps"
		}
		if what != "" {
			return &Error{Code: protocol.CodeInternal,
				Message: "The server's copy of your books has a damaged row; the server's operator has been told. Please try again later.",
				Err:     fmt.Errorf("stored row seq %d (%s %s): %s are not valid JSON", c.Seq, CleanString(c.Table, 64), CleanString(c.ID, 64), what)}
		}
	}
	return nil
}

// validJSON checks stored JSON with goccy/go-json's validator, four times
// faster than encoding/json's on rows (FuzzPullEncoding holds the two to
// the same answers).
func validJSON(b []byte) bool { return utf8.Valid(b) && gojson.Valid(b) }

// AppendJSON appends the page as encoding/json's Encoder writes it (the
// same bytes, newline included) without reflection: strings and raw JSON
// that need no escaping or compacting are copied as they are, anything
// else goes through encoding/json.
func (p *PullPage) AppendJSON(b []byte) []byte {
	// A page of a new device's download is megabytes: room for all of it
	// is made once rather than by doubling as it is written.
	b = slices.Grow(b, p.sizeHint())
	b = append(b, `{"changes":[`...)
	for i := range p.Changes {
		c := &p.Changes[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, c.Seq, 10)
		b = append(b, `,"table":`...)
		b = appendString(b, c.Table)
		b = append(b, `,"id":`...)
		b = appendString(b, c.ID)
		b = append(b, `,"hlc":`...)
		b = appendString(b, c.HLC)
		b = append(b, `,"op":`...)
		b = appendString(b, c.Op)
		b = append(b, `,"data":`...)
		b = appendRaw(b, c.Data)
		if len(c.FieldHLC) > 0 {
			b = append(b, `,"field_hlc":`...)
			b = appendRaw(b, c.FieldHLC)
		}
		if c.DeviceID != "" {
			b = append(b, `,"device_id":`...)
			b = appendString(b, c.DeviceID)
		}
		b = append(b, '}')
	}
	b = append(b, `],"next":`...)
	b = strconv.AppendInt(b, p.Next, 10)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, p.More)
	b = append(b, `,"epoch":`...)
	b = appendString(b, p.Epoch)
	if len(p.Rejections) > 0 {
		b = append(b, `,"rejections":[`...)
		for i, r := range p.Rejections {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"n":`...)
			b = strconv.AppendInt(b, r.N, 10)
			b = append(b, `,"table":`...)
			b = appendString(b, r.Table)
			b = append(b, `,"id":`...)
			b = appendString(b, r.ID)
			b = append(b, `,"code":`...)
			b = appendString(b, r.Code)
			b = append(b, `,"message":`...)
			b = appendString(b, r.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"server_time":`...)
	b = strconv.AppendInt(b, p.ServerTime, 10)
	if p.Head != 0 {
		b = append(b, `,"head":`...)
		b = strconv.AppendInt(b, p.Head, 10)
	}
	return append(b, "}\n"...)
}

// sizeHint is about how long the page's JSON is (exactly, for changes that
// need no escaping).
func (p *PullPage) sizeHint() int {
	n := 128 + 96*len(p.Rejections)
	for i := range p.Changes {
		c := &p.Changes[i]
		n += 96 + len(c.Table) + len(c.ID) + len(c.HLC) + len(c.Op) + len(c.Data) + len(c.FieldHLC) + len(c.DeviceID)
	}
	return n
}

// plain reports whether c needs no escape in a JSON string as
// encoding/json writes it (which also escapes <, > and &).
func plain(c byte) bool {
	return c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plain(s[i]) {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendRaw appends raw JSON as encoding/json writes a json.RawMessage:
// compacted, with <, >, &, U+2028 and U+2029 escaped. Raw JSON that is
// already so (what the server stores) is copied.
func appendRaw(b []byte, raw json.RawMessage) []byte {
	if alreadyCompact(raw) {
		return append(b, raw...)
	}
	q, err := json.Marshal(raw)
	if err != nil {
		// Not valid JSON: encoding/json would fail the whole reply.
		return append(b, "null"...)
	}
	return append(b, q...)
}

// alreadyCompact reports whether raw is non-empty JSON text with no
// whitespace outside strings and nothing encoding/json would escape (<, >,
// &, U+2028, U+2029). It does not validate; the server stores only JSON
// it has checked. Every byte of every page goes through it, so the bytes
// that need no thought are skipped by a table lookup.
func alreadyCompact(raw []byte) bool {
	if len(raw) == 0 {
		return false
	}
	in := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if in {
			for !inStringStop[c] {
				if i++; i == len(raw) {
					return false
				}
				c = raw[i]
			}
			switch {
			case c == '\\':
				i++
			case c == '"':
				in = false
			case c == 0xE2:
				if i+2 < len(raw) && raw[i+1] == 0x80 && (raw[i+2] == 0xA8 || raw[i+2] == 0xA9) {
					return false
				}
			default: // a control character, <, > or &
				return false
			}
			continue
		}
		for !outStringStop[c] {
			if i++; i == len(raw) {
				return true
			}
			c = raw[i]
		}
		switch c {
		case '"':
			in = true
		case '<', '>', '&', ' ', '\t', '\n', '\r':
			return false
		case 0xE2:
			if i+2 < len(raw) && raw[i+1] == 0x80 && (raw[i+2] == 0xA8 || raw[i+2] == 0xA9) {
				return false
			}
		}
	}
	return !in
}

// inStringStop and outStringStop are the bytes alreadyCompact must look
// at inside and outside a string.
var inStringStop, outStringStop = func() (in, out [256]bool) {
	for c := range 0x20 {
		in[c] = true
	}
	for _, c := range []byte{'"', '\\', '<', '>', '&', 0xE2} {
		in[c] = true
	}
	for _, c := range []byte{'"', '<', '>', '&', ' ', '\t', '\n', '\r', 0xE2} {
		out[c] = true
	}
	return in, out
}()
