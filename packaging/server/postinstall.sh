#!/bin/sh
# naukar-server postinstall: a system user, its data folder, the service.
set -e
install -d -m 0750 /var/lib/naukar-server
if ! getent passwd naukar >/dev/null; then
  adduser --system --group --home /var/lib/naukar-server --no-create-home \
    --gecos "AI Naukar sync server" naukar >/dev/null
fi
install -d -o naukar -g naukar -m 0750 /var/lib/naukar-server /var/lib/naukar-server/data /var/lib/naukar-server/backups
chown root:naukar /etc/default/naukar-server
chmod 0640 /etc/default/naukar-server
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable naukar-server.service >/dev/null
  if [ -n "$2" ]; then
    systemctl try-restart naukar-server.service
  else
    systemctl start naukar-server.service
  fi
fi
