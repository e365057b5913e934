// Package version is the build's version, stamped by the linker:
//
//	go build -ldflags "-X github.com/ainaukar/naukar/app/version.version=1.2.0 \
//	  -X github.com/ainaukar/naukar/app/version.commit=abc1234 -X github.com/ainaukar/naukar/app/version.date=2026-11-20"
//
// `make build` and `make dist` do it. A plain `go build` is version "dev",
// with the commit taken from the Go toolchain's VCS stamp when there is one.
package version

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped by -ldflags -X; variables, not constants, so the linker can set them.
var (
	version = ""
	commit  = ""
	date    = ""
)

// Dev is the version of a build that was not stamped.
const Dev = "dev"

// Version is the release version ("1.2.0"), or "dev".
func Version() string {
	if version == "" {
		return Dev
	}
	return strings.TrimPrefix(version, "v")
}

// Commit is the source commit (short), or "" when unknown.
func Commit() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" && dirty {
			rev += "-dirty"
		}
		return rev
	}
	return ""
}

// Date is the build date (YYYY-MM-DD), or "".
func Date() string { return date }

// IsDev reports whether this build has no release version.
func IsDev() bool { return Version() == Dev }

// String is the one-line description `--version` prints:
// "naukar 1.2.0 (abc1234, 2026-11-20, linux/amd64)".
func String(program string) string {
	var b strings.Builder
	b.WriteString(program)
	b.WriteString(" ")
	b.WriteString(Version())
	extra := []string{}
	if c := Commit(); c != "" {
		extra = append(extra, c)
	}
	if d := Date(); d != "" {
		extra = append(extra, d)
	}
	extra = append(extra, runtime.GOOS+"/"+runtime.GOARCH)
	b.WriteString(" (" + strings.Join(extra, ", ") + ")")
	return b.String()
}
