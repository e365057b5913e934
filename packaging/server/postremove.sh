#!/bin/sh
# naukar-server postremove. The shops' data (/var/lib/naukar) and its
# snapshots (/var/backups/naukar) are never deleted by the package, not even
# on purge: remove them by hand once they are kept elsewhere. Purge removes
# the system user when no data is left.
set -e
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
if [ "$1" = purge ]; then
  rmdir /etc/naukar 2>/dev/null || true
  # Empty folders only: rmdir refuses a folder with anything in it.
  rmdir /var/backups/naukar /var/lib/naukar 2>/dev/null || true
  if [ ! -d /var/lib/naukar ] && [ ! -d /var/backups/naukar ]; then
    if getent passwd naukar >/dev/null; then deluser --system naukar >/dev/null 2>&1 || true; fi
    if getent group naukar >/dev/null; then delgroup --system naukar >/dev/null 2>&1 || true; fi
  else
    echo "naukar-server: the data in /var/lib/naukar and /var/backups/naukar is kept; remove it by hand when it is no longer needed." >&2
  fi
fi
