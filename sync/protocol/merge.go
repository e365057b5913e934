package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Row is one synced row as both sides merge it: its fields as raw JSON and,
// for records, the stamp of the last write of each field.
type Row struct {
	Table    string
	ID       string
	HLC      string // newest stamp of any field
	Deleted  bool
	Fields   map[string]json.RawMessage
	FieldHLC map[string]string
}

// RowFromMutation turns a pushed mutation into a Row whose every field is
// stamped with the mutation's stamp.
func RowFromMutation(m Mutation) (Row, error) {
	r := Row{Table: m.Table, ID: m.ID, HLC: m.HLC}
	if _, err := ParseHLC(m.HLC); err != nil {
		return r, err
	}
	if len(m.Data) > 0 && !bytes.Equal(m.Data, []byte("null")) {
		if err := json.Unmarshal(m.Data, &r.Fields); err != nil {
			return r, fmt.Errorf("data of %s %s is not a JSON object: %w", m.Table, m.ID, err)
		}
	}
	if r.Fields == nil {
		r.Fields = map[string]json.RawMessage{}
	}
	switch m.Op {
	case OpDelete:
		r.Fields["deleted"] = json.RawMessage("1")
	case OpUpsert, OpInsert:
	default:
		return r, fmt.Errorf("unknown op %q", m.Op)
	}
	delete(r.Fields, "id")
	r.FieldHLC = make(map[string]string, len(r.Fields))
	for f := range r.Fields {
		r.FieldHLC[f] = m.HLC
	}
	r.Deleted = isTrue(r.Fields["deleted"])
	return r, nil
}

func isTrue(v json.RawMessage) bool {
	s := string(bytes.TrimSpace(v))
	return s == "1" || s == "true"
}

// Merge is the one merge rule of the books, used by the server and every
// device. Documents are insert-if-absent: an existing document never
// changes. Records take, field by field, the value with the greater stamp
// (stamps embed the device id, so ties cannot happen between devices).
// It reports whether cur changed; cur may be nil for a new row.
func Merge(kind Kind, cur *Row, in Row) (Row, bool) {
	if cur == nil {
		out := in
		out.HLC = maxStamp(in.FieldHLC, in.HLC)
		out.Deleted = isTrue(in.Fields["deleted"])
		return out, true
	}
	if kind == KindDocument {
		return *cur, false
	}
	out := Row{Table: cur.Table, ID: cur.ID, HLC: cur.HLC,
		Fields:   make(map[string]json.RawMessage, len(cur.Fields)+len(in.Fields)),
		FieldHLC: make(map[string]string, len(cur.Fields)+len(in.Fields))}
	for f, v := range cur.Fields {
		out.Fields[f] = v
		out.FieldHLC[f] = stampOf(cur, f)
	}
	changed := false
	for _, f := range sortedKeys(in.Fields) {
		stamp := stampOf(&in, f)
		if old, ok := out.FieldHLC[f]; ok && old >= stamp {
			continue
		}
		if old, ok := out.Fields[f]; !ok || !bytes.Equal(old, in.Fields[f]) || out.FieldHLC[f] != stamp {
			changed = true
		}
		out.Fields[f] = in.Fields[f]
		out.FieldHLC[f] = stamp
	}
	out.HLC = maxStamp(out.FieldHLC, cur.HLC)
	out.Deleted = isTrue(out.Fields["deleted"])
	return out, changed
}

func stampOf(r *Row, f string) string {
	if s, ok := r.FieldHLC[f]; ok && s != "" {
		return s
	}
	return r.HLC
}

func maxStamp(m map[string]string, base string) string {
	out := base
	for _, s := range m {
		if s > out {
			out = s
		}
	}
	return out
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DataJSON renders the row's fields as a JSON object with sorted keys, so
// every replica writes byte-identical data for the same merged row.
func (r Row) DataJSON() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range sortedKeys(r.Fields) {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(r.Fields[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}
