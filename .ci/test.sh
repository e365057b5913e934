#!/usr/bin/env bash
# Runs every test: starts what the tests need (PostgreSQL, CUPS with a PDF
# printer, Xvfb), then go vet and go test -race over the whole module.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_IN.UTF-8}

# PostgreSQL at 127.0.0.1:5432 with trust auth and a database "test".
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ls /etc/postgresql >/dev/null 2>&1; then
    ver=$(ls /etc/postgresql | sort -V | tail -n1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
# A PostgreSQL installed by .ci/deps.sh asks for passwords on TCP; the tests
# use trust auth as on the CI machines, so allow loopback without one.
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && ! psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    sed -i -E 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1\/32[[:space:]]+)[a-z0-9-]+/\1trust/;
               s/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+::1\/128[[:space:]]+)[a-z0-9-]+/\1trust/' "$hba"
    ver=$(basename "$(dirname "$(dirname "$hba")")")
    pg_ctlcluster --skip-systemctl-redirect "$ver" main reload || true
  done
  sleep 1
fi
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null | grep -q 1 \
    || su postgres -c "createdb test" 2>/dev/null || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" || true
fi

# CUPS with the cups-pdf virtual printer (no systemd needed).
if command -v cupsd >/dev/null 2>&1; then
  pgrep -x cupsd >/dev/null || cupsd || true
  for _ in $(seq 1 20); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.5; done
fi

# A virtual display for window tests.
if ! xdpyinfo -display :99 >/dev/null 2>&1; then
  (Xvfb :99 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &)
  sleep 1
fi
export DISPLAY=:99

go vet ./...
go test -race -count=1 -timeout 25m ./... 2>&1 | tee /tmp/naukar-test.log
