// Package locale fixes up the process locale before Fyne reads it: a PC or
// script with LANG unset, "C" or "POSIX" makes Fyne log "Error parsing user
// locale C" on every start, even for CLI commands. Import it first, blank,
// from package main.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		base := strings.SplitN(v, ".", 2)[0]
		if base == "C" || base == "POSIX" {
			os.Setenv(k, "en_IN.UTF-8")
		}
	}
	if os.Getenv("LANG") == "" && os.Getenv("LC_ALL") == "" {
		os.Setenv("LANG", "en_IN.UTF-8")
	}
}
