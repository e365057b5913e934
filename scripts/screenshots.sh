#!/usr/bin/env bash
# Makes 1366×768 screenshots of every screen of the counter app from demo
# data, into docs/screenshots/. Uses $DISPLAY, else starts Xvfb on :97.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=en_IN.UTF-8
started=""
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  started=$!
  export DISPLAY=:97
  for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi
trap '[ -n "$started" ] && kill "$started"' EXIT
go build -o /tmp/naukar-screenshots ./app/ui/screenshots
out=docs/screenshots
/tmp/naukar-screenshots -out "$out" -set main
/tmp/naukar-screenshots -out "$out" -set wizard
LANG=hi_IN.UTF-8 /tmp/naukar-screenshots -out "$out" -set hindi
/tmp/naukar-screenshots -out "$out" -set payment
/tmp/naukar-screenshots -out "$out" -set assistant
LANG=hi_IN.UTF-8 /tmp/naukar-screenshots -out "$out" -set assistant-hindi
/tmp/naukar-screenshots -out "$out" -set whatsapp
LANG=hi_IN.UTF-8 /tmp/naukar-screenshots -out "$out" -set whatsapp-hindi
/tmp/naukar-screenshots -out "$out" -set privacy
LANG=hi_IN.UTF-8 /tmp/naukar-screenshots -out "$out" -set privacy-hindi
/tmp/naukar-screenshots -out "$out" -set ownkeys
LANG=hi_IN.UTF-8 /tmp/naukar-screenshots -out "$out" -set ownkeys-hindi
