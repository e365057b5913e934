package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ainaukar/naukar/app/books"
	"github.com/ainaukar/naukar/app/syncapp/client"
	"github.com/ainaukar/naukar/app/update"
	"github.com/ainaukar/naukar/app/version"
)

func init() {
	register("update check", "update check", cmdUpdateCheck)
	register("update apply", "update apply", cmdUpdateApply)
	register("update selftest", "update selftest   (used by an older build to try this one on a copy of the books)", cmdUpdateSelftest)
}

func cliUpdater(env *Env) (*update.Updater, error) {
	var meta func(string) (string, error)
	if _, err := os.Stat(env.Books); err == nil {
		s, err := openBooks(env)
		if err != nil {
			return nil, err
		}
		defer s.Close()
		setting, _ := s.Meta("update_url")
		server, _ := s.Meta(client.MetaServer)
		meta = func(k string) (string, error) {
			if k == "update_url" {
				return setting, nil
			}
			return server, nil
		}
	}
	return update.ForBooks(meta)
}

func cmdUpdateCheck(env *Env, args []string) error {
	fs := newFlags(env, "update check", "update check")
	if err := parse(fs, args); err != nil {
		return err
	}
	u, err := cliUpdater(env)
	if err != nil {
		return err
	}
	u.Cleanup()
	rel, err := u.Check(context.Background())
	if err != nil {
		return err
	}
	if rel == nil {
		fmt.Fprintf(env.Stdout, "AI Naukar %s is the newest version.\n", u.Current)
		return nil
	}
	fmt.Fprintf(env.Stdout, "AI Naukar %s is available (this is %s).\n", rel.Manifest.Version, u.Current)
	if rel.Manifest.Notes != "" {
		fmt.Fprintln(env.Stdout, rel.Manifest.Notes)
	}
	if rel.Package != nil {
		fmt.Fprintf(env.Stdout, "This copy was installed as a package: download %s and install it with `sudo apt install ./%s`.\n", rel.Package.URL, rel.Package.Name)
		return nil
	}
	fmt.Fprintln(env.Stdout, "Run `naukar update apply` to install it.")
	return nil
}

func cmdUpdateApply(env *Env, args []string) error {
	fs := newFlags(env, "update apply", "update apply")
	if err := parse(fs, args); err != nil {
		return err
	}
	ctx := context.Background()
	u, err := cliUpdater(env)
	if err != nil {
		return err
	}
	u.Cleanup()
	rel, err := u.Check(ctx)
	if err != nil {
		return err
	}
	if rel == nil {
		fmt.Fprintf(env.Stdout, "AI Naukar %s is the newest version; nothing to do.\n", u.Current)
		return nil
	}
	if rel.Package != nil {
		return books.Errorf(books.EINVALID, "This copy was installed as a package: download %s and install it with `sudo apt install ./%s`.", rel.Package.URL, rel.Package.Name)
	}
	v := rel.Manifest.Version
	fmt.Fprintf(env.Stdout, "Downloading AI Naukar %s (%s)…\n", v, size(rel.File.Size))
	staged, err := u.Download(ctx, rel, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Verified (signature and SHA-256). Trying %s on a copy of the books…\n", v)
	trial, cleanup, err := update.TrialBooks(ctx, env.Books, nil)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := update.Trial(ctx, staged, v, trial); err != nil {
		return err
	}
	if err := u.Swap(staged); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Updated AI Naukar %s → %s. The next start runs %s.\n", u.Current, v, v)
	return nil
}

func cmdUpdateSelftest(env *Env, args []string) error {
	fs := newFlags(env, "update selftest", "update selftest")
	if err := parse(fs, args); err != nil {
		return err
	}
	start := time.Now()
	s, err := openBooks(env)
	if err != nil {
		return err
	}
	defer s.Close()
	problems, err := s.Check(context.Background(), false)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return books.Errorf(books.ECONFLICT, "The books copy has %d problem(s): %s", len(problems), problems[0])
	}
	fmt.Fprintf(env.Stdout, "%s ok: books opened and checked in %s\n", version.String("naukar"), time.Since(start).Round(time.Millisecond))
	return nil
}
