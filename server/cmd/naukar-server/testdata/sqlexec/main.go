// Command sqlexec runs SQL on a SQLite file and prints the rows of the
// last statement, tab-separated. The kill -9 tests use it, built without
// the race detector, to fill and count big tables: SQLite run inside a
// race-instrumented test binary is many times slower.
//
//	sqlexec FILE SQL [SQL...]
package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"

	_ "modernc.org/sqlite"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: sqlexec FILE SQL [SQL...]")
		os.Exit(2)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: os.Args[1]}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		fail(err)
	}
	defer db.Close()
	stmts := os.Args[2:]
	for _, q := range stmts[:len(stmts)-1] {
		if _, err := db.Exec(q); err != nil {
			fail(err)
		}
	}
	rows, err := db.Query(stmts[len(stmts)-1])
	if err != nil {
		fail(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			fail(err)
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = fmt.Sprint(v)
		}
		fmt.Println(strings.Join(out, "\t"))
	}
	if err := rows.Err(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sqlexec:", err)
	os.Exit(1)
}
