#!/bin/sh
# naukar-server postremove. The shops' data in /var/lib/naukar-server is
# never deleted by the package, not even on purge: remove it by hand once
# it is backed up elsewhere. Purge removes the system user when nothing
# of the server is left.
set -e
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
if [ "$1" = purge ]; then
  # Empty folders only: rmdir refuses a folder with anything in it.
  rmdir /var/lib/naukar-server/data /var/lib/naukar-server/backups 2>/dev/null || true
  rmdir /var/lib/naukar-server 2>/dev/null || true
  if [ ! -d /var/lib/naukar-server ]; then
    if getent passwd naukar >/dev/null; then deluser --system naukar >/dev/null 2>&1 || true; fi
    if getent group naukar >/dev/null; then delgroup --system naukar >/dev/null 2>&1 || true; fi
  else
    echo "naukar-server: the data in /var/lib/naukar-server is kept; remove it by hand when it is no longer needed." >&2
  fi
fi
