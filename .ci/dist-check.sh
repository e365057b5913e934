#!/usr/bin/env bash
# After `make dist`: checks the release files the way a shop and an operator
# meet them, on this machine (as root):
#  - the Windows installer's contents (7-Zip lists NSIS installers: the app,
#    the same bytes as dist/naukar-VERSION-windows-amd64.exe; the script's
#    shortcuts, per-user install and an uninstaller that keeps the books);
#    no wine: the .exe files are never run here;
#  - both .deb files install with dpkg -i; naukar --version and
#    naukar-server --version say VERSION;
#  - the server's systemd unit passes systemd-analyze verify and the server
#    starts through it: with systemctl where systemd runs, else as the unit
#    says (its user, environment file, working folder and ExecStart);
#  - both packages uninstall cleanly (dpkg -r, then -P), leaving only the
#    server's data.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
DIST=${DIST:-dist}
[ "$(id -u)" -eq 0 ] || { echo "dist-check installs packages: run it as root" >&2; exit 1; }
fail() { echo "dist-check: $*" >&2; exit 1; }
T0=$(date +%s)

if [ "${DIST_WINDOWS:-1}" != 0 ]; then
echo "== Windows installer"
SETUP="$DIST/AI-Naukar-Setup-$VERSION.exe"
[ -f "$SETUP" ] || fail "no $SETUP"
grep -q "PE32 executable" <<<"$(file "$SETUP")" || fail "$SETUP is not a Windows program"
LIST=$(7z l "$SETUP")
grep -q "Type = Nsis" <<<"$LIST" || fail "$SETUP is not an NSIS installer"
grep -qE '[[:space:]]naukar\.exe$' <<<"$LIST" || fail "the installer does not hold naukar.exe"
X=$(mktemp -d)
7z x -y -o"$X" "$SETUP" >/dev/null
APP=$(find "$X" -name naukar.exe | head -n1)
cmp -s "$APP" "$DIST/naukar-$VERSION-windows-amd64.exe" || fail "the installer's naukar.exe is not the release build"
grep -q "PE32+ executable (GUI) x86-64" <<<"$(file "$APP")" || fail "naukar.exe is not a 64-bit Windows GUI program: $(file "$APP")"
[ -f "$X/Uninstall AI Naukar.exe" ] || fail "the installer makes no uninstaller"
# What the installer does, from makensis's log of every instruction (dist.sh keeps it).
NLOG="$DIST/build/windows/makensis.log"
[ -f "$NLOG" ] || fail "no $NLOG"
for want in 'InstallDir: "$LOCALAPPDATA\Programs\AI Naukar"' \
            'CreateShortcut: "$SMPROGRAMS\AI Naukar\AI Naukar.lnk"->"$INSTDIR\naukar.exe"' \
            'CreateShortcut: "$DESKTOP\AI Naukar.lnk"->"$INSTDIR\naukar.exe"' \
            'WriteRegStr: HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\AINaukar\UninstallString' \
            'Delete: "$INSTDIR\naukar.exe"' 'RMDir: "$INSTDIR"' 'LangString: "BooksKept" 1033' 'LangString: "BooksKept" 1081'; do
  grep -qF "$want" "$NLOG" || fail "the installer does not do: $want"
done
grep -qE '^RMDir: /r|APPDATA\\naukar\\books|^Delete: .*APPDATA' "$NLOG" && fail "the uninstaller deletes folders recursively or touches the books"
grep -q 'SetShellVarContext: all' "$NLOG" && fail "the installer installs for all users (needs admin rights)"
grep -q 'आपकी बही' "$NLOG" || fail "no Hindi text in the installer"
# Per-user: the installer asks Windows for no elevation.
grep -qa 'requestedExecutionLevel level="asInvoker"' "$SETUP" || fail "the installer asks for administrator rights"
rm -rf "$X"
echo "   ok"
fi

echo "== .deb packages install"
DEB="$DIST/naukar_${VERSION}_amd64.deb"
SDEB="$DIST/naukar-server_${VERSION}_amd64.deb"
grep -q "Version: $VERSION" <<<"$(dpkg-deb -I "$DEB")" || fail "$DEB has another version"
dpkg -i "$DEB" "$SDEB"
V=$(naukar --version); echo "   $V"; grep -q "^naukar $VERSION " <<<"$V" || fail "naukar --version"
grep -q "^naukar-server $VERSION " <<<"$(naukar-server --version)" || fail "naukar-server --version"
[ -f /usr/share/applications/in.ainaukar.naukar.desktop ] || fail "no desktop entry"
[ -f /usr/share/icons/hicolor/128x128/apps/in.ainaukar.naukar.png ] || fail "no icon"
B=$(mktemp -d)
naukar --books "$B/books.db" init --name "Install Check Stores" --state 27 >/dev/null
grep -q "Backed up" <<<"$(naukar --books "$B/books.db" backup now)" || fail "the installed naukar cannot back up books"
OUT=$(naukar --books "$B/books.db" update check 2>&1 || true)
grep -q "No update address" <<<"$OUT" || fail "update check without an address should say so: $OUT"
rm -rf "$B"
getent passwd naukar >/dev/null || fail "no system user naukar"
[ "$(stat -c %U /var/lib/naukar)" = naukar ] || fail "/var/lib/naukar is not the naukar user's"
echo "   ok"

echo "== naukar-server through its systemd unit"
UNIT=/lib/systemd/system/naukar-server.service
systemd-analyze verify "$UNIT"
PORT=$(( 20000 + RANDOM % 20000 ))
if [ -d /run/systemd/system ]; then
  mkdir -p /run/systemd/system/naukar-server.service.d
  printf '[Service]\nEnvironment=NAUKAR_ADDR=127.0.0.1:%s\n' "$PORT" > /run/systemd/system/naukar-server.service.d/port.conf
  systemctl daemon-reload
  systemctl start naukar-server
  STOP() { systemctl stop naukar-server; rm -rf /run/systemd/system/naukar-server.service.d; systemctl daemon-reload; }
  LOG() { journalctl -u naukar-server --no-pager | tail -n 20; }
else
  # No systemd here (a container): start it as the unit says.
  prop() { sed -n "s/^$1=//p" "$UNIT" | tail -n1; }
  USER_=$(prop User); WD=$(prop WorkingDirectory); EXEC=$(prop ExecStart); ENVF=$(prop EnvironmentFile)
  ENVF=${ENVF#-}; WD=${WD:-/}
  [ "$USER_" = naukar ] || fail "the unit runs as $USER_, not naukar"
  SLOG=$(mktemp)
  (cd "$WD" && set -a && . "$ENVF" && NAUKAR_ADDR=127.0.0.1:$PORT && set +a && exec runuser -u "$USER_" -- $EXEC) >"$SLOG" 2>&1 &
  SPID=$!
  STOP() { kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; }
  LOG() { tail -n 20 "$SLOG"; }
fi
ok=""
for _ in $(seq 1 50); do
  if grep -q '"ok"' <<<"$(curl -fsS "http://127.0.0.1:$PORT/healthz" 2>/dev/null || true)"; then ok=1; break; fi
  sleep 0.2
done
[ -n "$ok" ] || { LOG; STOP; fail "the server did not answer /healthz"; }
grep -q "\"version\":\"$VERSION\"" <<<"$(LOG)" || { LOG; STOP; fail "the server did not log its version"; }
STOP
[ -n "$(ls -A /var/lib/naukar)" ] || fail "the server kept no data in /var/lib/naukar"
echo "   ok"

echo "== uninstall"
FILES=$(dpkg -L naukar naukar-server | while read -r f; do [ -f "$f" ] && echo "$f"; done)
dpkg -r naukar naukar-server
for f in $FILES; do
  case "$f" in
    /etc/naukar/naukar-server.env) [ -f "$f" ] || fail "dpkg -r removed the server's settings (a conffile stays until purge)";;
    *) [ ! -e "$f" ] || fail "dpkg -r left $f";;
  esac
done
dpkg -P naukar-server
[ ! -e /etc/naukar/naukar-server.env ] || fail "purge left /etc/naukar/naukar-server.env"
grep -q '^ii' <<<"$(dpkg -l naukar naukar-server 2>/dev/null || true)" && fail "packages still installed"
[ -n "$(ls -A /var/lib/naukar 2>/dev/null)" ] || fail "uninstalling deleted the server's data"
# Leave the machine as it was.
rm -rf /var/lib/naukar /var/backups/naukar
deluser --system naukar >/dev/null 2>&1 || true
delgroup --system naukar >/dev/null 2>&1 || true
echo "   ok"
echo "dist-check: all good ($(( $(date +%s) - T0 )) s)"
