#!/bin/sh
# naukar-server preremove: stop the service (its data stays).
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl stop naukar-server.service || true
  systemctl disable naukar-server.service >/dev/null || true
fi
