// fakeapp stands in for a build of the app in the updater's tests. It says
// which build it is (FAKE_NAME, stamped by -ldflags) and, by its name,
// either starts properly (confirms to the build that launched it), crashes
// at start, or hangs without ever coming up.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ainaukar/naukar/app/update"
)

var name = "old" // -ldflags -X main.name=…

func main() {
	fmt.Println("fakeapp", name)
	switch {
	case strings.HasPrefix(name, "crash"):
		os.Exit(3)
	case strings.HasPrefix(name, "hang"):
		time.Sleep(time.Hour)
	default:
		update.ConfirmStarted()
		if len(os.Args) > 1 && os.Args[1] == "linger" {
			time.Sleep(500 * time.Millisecond)
		}
	}
}
