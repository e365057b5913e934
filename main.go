// Command naukar is AI Naukar's counter app. With no command it opens the
// window on the books at --books FILE, else NAUKAR_BOOKS, else the default
// path; with a command it is the command line over the same books and never
// touches the display.
package main

import (
	"os"

	_ "github.com/ainaukar/naukar/app/locale" // before Fyne reads the locale

	"github.com/ainaukar/naukar/app/cli"
	"github.com/ainaukar/naukar/app/ui"
)

func main() {
	// No command (naukar, or naukar --books FILE): the window.
	if books, rest, err := cli.BooksArg(os.Args[1:]); err == nil && len(rest) == 0 {
		if books == "" {
			books = cli.DefaultBooksPath()
		}
		os.Exit(ui.Run(books, ui.Options{}))
	}
	os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
