package core

import (
	"bytes"
	"encoding/json"
	"regexp"

	"github.com/google/uuid"

	"github.com/ainaukar/naukar/sync/protocol"
)

var tableNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

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
