// Command naukar is AI Naukar's counter app. With no arguments it opens the
// window on the books at NAUKAR_BOOKS (or the default path); with arguments
// it is the command line over the same books and never touches the display.
package main

import (
	"os"

	_ "github.com/ainaukar/naukar/app/locale" // before Fyne reads the locale

	"github.com/ainaukar/naukar/app/cli"
	"github.com/ainaukar/naukar/app/ui"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(ui.Run(cli.DefaultBooksPath(), ui.Options{}))
}
