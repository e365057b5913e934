//go:build !windows

package printing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/ainaukar/naukar/app/books"
)

// CUPS (Linux, macOS): jobs go to `lp`, which reads the document from its
// standard input.

// lpCommand is the lp program; tests may point it elsewhere.
var lpCommand = "lp"

var requestID = regexp.MustCompile(`request id is (\S+)`)

func osPrint(ctx context.Context, printer string, job Job) (string, error) {
	path, err := exec.LookPath(lpCommand)
	if err != nil {
		return "", fmt.Errorf("%w: the CUPS `lp` command is missing; install CUPS (Debian/Ubuntu: sudo apt-get install cups cups-bsd)", ErrNoPrintSystem)
	}
	args := lpArgs(printer, job)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(job.Data)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		switch {
		case strings.Contains(msg, "cheduler is not running"):
			return "", books.Errorf(books.EINVALID, "The print service (CUPS) is not running; start it (sudo systemctl start cups) and try again.")
		case strings.Contains(msg, "does not exist"), strings.Contains(msg, "Unknown destination"):
			return "", setupErr(books.ENOTFOUND, "There is no printer called %q on this computer.", printer)
		case strings.Contains(msg, "No default destination"):
			return "", setupErr(books.ENOTFOUND, "No printer is chosen for this counter and the computer has no default printer.")
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", books.Errorf(books.EINVALID, "Printing failed: %s", msg)
	}
	if m := requestID.FindStringSubmatch(out.String()); m != nil {
		return m[1], nil
	}
	return "", nil
}

// lpArgs are lp's arguments for a job.
func lpArgs(printer string, job Job) []string {
	var args []string
	if printer != "" {
		args = append(args, "-d", printer)
	}
	if job.Title != "" {
		args = append(args, "-t", job.Title)
	}
	if job.Copies > 1 {
		args = append(args, "-n", strconv.Itoa(job.Copies))
	}
	switch {
	case job.Raw:
		args = append(args, "-o", "raw")
	case job.Format == A4 || job.Format == "":
		args = append(args, "-o", "media=A4")
	case job.Format == A5:
		args = append(args, "-o", "media=A5")
	}
	return args
}

// Printers lists the OS printer queues (CUPS `lpstat -e`).
func Printers(ctx context.Context) ([]string, error) {
	out, err := exec.CommandContext(ctx, "lpstat", "-e").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("%w: `lpstat` is missing; install CUPS", ErrNoPrintSystem)
		}
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return nil, fmt.Errorf("list printers: %s", strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("list printers: %w", err)
	}
	return strings.Fields(string(out)), nil
}
