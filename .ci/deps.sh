#!/usr/bin/env bash
# Installs the system packages the app and its tests need (Debian/Ubuntu),
# only when something is missing. Safe to run again.
set -euo pipefail
need=()
have() { dpkg -s "$1" >/dev/null 2>&1; }
# `deps.sh dist`: what make dist needs besides the app's own packages: the
# mingw-w64 cross compiler (the Windows build), NSIS (its installer), 7-Zip
# (to list the installer's contents), systemd (systemd-analyze verify).
if [ "${1:-}" = dist ]; then
  for p in gcc-mingw-w64-x86-64 nsis p7zip-full imagemagick file systemd; do
    have "$p" || need+=("$p")
  done
fi
for p in gcc pkg-config libgl1-mesa-dev xorg-dev xvfb x11-utils xdotool poppler-utils qpdf imagemagick \
         cups cups-bsd cups-client printer-driver-cups-pdf fonts-noto-core postgresql locales chromium; do
  have "$p" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "Go is missing: install Go 1.26 or newer from your package manager or go.dev, then run make again." >&2
  exit 1
fi
