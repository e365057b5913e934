#!/bin/sh
# naukar-server postinstall: a system user, its data folders, the service.
set -e
install -d -m 0700 /var/lib/naukar
if ! getent passwd naukar >/dev/null; then
  adduser --system --group --home /var/lib/naukar --no-create-home --shell /usr/sbin/nologin \
    --gecos "AI Naukar sync server" naukar >/dev/null
fi
install -d -o naukar -g naukar -m 0700 /var/lib/naukar
install -d -o naukar -g naukar -m 0700 /var/backups/naukar
chown root:naukar /etc/naukar/naukar-server.env
chmod 0640 /etc/naukar/naukar-server.env
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable naukar-server.service >/dev/null
  if [ -n "$2" ]; then
    systemctl try-restart naukar-server.service
  else
    systemctl start naukar-server.service
  fi
fi
