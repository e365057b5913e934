#!/usr/bin/env bash
# Runs every test: starts what the tests need (PostgreSQL, CUPS with a PDF
# printer, Xvfb), then go vet and go test -race over the whole module.
# What it starts it stops again when it ends (services that were already
# running are left alone). Logs go to tmp/ci/ in the repository (ignored
# by git): test.log (vet and tests), xvfb.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-en_IN.UTF-8}
logs=tmp/ci
mkdir -p "$logs"

# What this run started, stopped on exit in reverse order.
stops=()
cleanup() {
  local i
  for ((i = ${#stops[@]} - 1; i >= 0; i--)); do
    eval "${stops[i]}" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

# PostgreSQL at 127.0.0.1:5432 with trust auth and a database "test".
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ls /etc/postgresql >/dev/null 2>&1; then
    ver=$(ls /etc/postgresql | sort -V | tail -n1)
    if pg_ctlcluster --skip-systemctl-redirect "$ver" main start; then
      stops+=("pg_ctlcluster --skip-systemctl-redirect '$ver' main stop")
    fi
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
  if ! pgrep -x cupsd >/dev/null; then
    if cupsd; then
      for _ in $(seq 1 20); do pgrep -x cupsd >/dev/null && break; sleep 0.25; done
      if pid=$(pgrep -x cupsd); then
        stops+=("kill $pid")
      fi
    fi
  fi
  for _ in $(seq 1 20); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.5; done
fi

# A virtual display for window tests (NAUKAR_TEST_DISPLAY picks another
# than :99, e.g. on a machine shared with other test runs).
disp=${NAUKAR_TEST_DISPLAY:-:99}
if ! xdpyinfo -display "$disp" >/dev/null 2>&1; then
  Xvfb "$disp" -screen 0 1366x768x24 -nolisten tcp >"$logs/xvfb.log" 2>&1 &
  stops+=("kill $!")
  for _ in $(seq 1 50); do xdpyinfo -display "$disp" >/dev/null 2>&1 && break; sleep 0.1; done
fi
export DISPLAY=$disp

go vet ./... 2>&1 | tee "$logs/test.log"
go test -race -count=1 -timeout 25m ./... 2>&1 | tee -a "$logs/test.log"
