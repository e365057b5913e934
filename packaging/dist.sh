#!/usr/bin/env bash
# make dist: every release file of one version into dist/ —
#   AI-Naukar-Setup-VERSION.exe      Windows installer (per user, no admin rights)
#   naukar-VERSION-windows-amd64.exe the Windows app itself (what the app updates itself to)
#   naukar-VERSION-linux-amd64       the Linux app itself
#   naukar_VERSION_amd64.deb         the Linux app as a package
#   naukar-server_VERSION_amd64.deb  the server as a package (systemd unit, user, data folder)
#   naukar.json, SHA256SUMS          the signed update manifest and the checksums
#
# VERSION defaults to FyneApp.toml's. The manifest is signed with
# NAUKAR_SIGNING_KEY (default ~/.config/naukar/release-signing.key, kept out
# of the repository). Without that file a throw-away key is made in
# dist/throwaway-signing.key and the builds trust it instead of the release
# key: fine for CI and trials, never for shipping. DIST_WINDOWS=0 skips the
# Windows build (about 8 minutes cold on 2 cores; the Go build cache keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
GO=${GO:-go}
VERSION=${VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
VERSION=${VERSION#v}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
DATE=${DATE:-$(date -u +%Y-%m-%d)}
DIST=$ROOT/dist # the nfpm files name dist/build/… relative to the repository
KEY=${NAUKAR_SIGNING_KEY:-$HOME/.config/naukar/release-signing.key}
# The server's systemd unit (one file for the docs and the package).
SERVER_UNIT=server/deploy/naukar-server.service
export VERSION

step() { STEP_T0=$(date +%s); echo "== $*"; }
done_step() { echo "   ($(( $(date +%s) - STEP_T0 )) s)"; }

rm -rf "$DIST"
mkdir -p "$DIST/build/linux" "$DIST/build/windows"

step "tools (pinned in packaging/tools/go.mod)"
"$GO" -C "$ROOT/packaging/tools" build -o "$DIST/build/tools/" fyne.io/tools/cmd/fyne github.com/goreleaser/nfpm/v2/cmd/nfpm
done_step

step "signing key"
if [ -f "$KEY" ]; then
  PUB=$("$GO" run ./packaging/naukar-release pubkey --key "$KEY")
else
  KEY="$DIST/throwaway-signing.key"
  "$GO" run ./packaging/naukar-release keygen --out "$KEY" >/dev/null
  PUB=$("$GO" run ./packaging/naukar-release pubkey --key "$KEY")
  echo "   no release key: signed with a THROW-AWAY key ($KEY); these builds trust it. Not for shipping."
fi
PKG=github.com/ainaukar/naukar
LDX=(-X "$PKG/app/version.version=$VERSION" -X "$PKG/app/version.commit=$COMMIT" -X "$PKG/app/version.date=$DATE"
     -X "$PKG/app/update.releaseKey=$PUB")
if [ -n "${NAUKAR_UPDATE_URL_DEFAULT:-}" ]; then
  LDX+=(-X "$PKG/app/update.defaultURL=$NAUKAR_UPDATE_URL_DEFAULT")
fi
done_step

step "linux builds"
"$GO" build -trimpath -tags release,migrated_fynedo -ldflags "-s -w ${LDX[*]}" -o "$DIST/build/linux/naukar" .
CGO_ENABLED=0 "$GO" build -trimpath -ldflags "-s -w ${LDX[*]}" -o "$DIST/build/linux/naukar-server" ./server/cmd/naukar-server
cp "$DIST/build/linux/naukar" "$DIST/naukar-$VERSION-linux-amd64"
cp "$DIST/build/linux/naukar-server" "$DIST/naukar-server-$VERSION-linux-amd64"
"$DIST/build/linux/naukar" --version
done_step

step "debian packages (nfpm)"
# The package puts the binary in /usr/bin (never /usr/local): the unit says so.
sed 's|/usr/local/bin/naukar-server|/usr/bin/naukar-server|' "$SERVER_UNIT" > "$DIST/build/linux/naukar-server.service"
grep -q '^ExecStart=/usr/bin/naukar-server' "$DIST/build/linux/naukar-server.service"
"$DIST/build/tools/nfpm" pkg --config packaging/nfpm/naukar.yaml --packager deb --target "$DIST/" >/dev/null
"$DIST/build/tools/nfpm" pkg --config packaging/nfpm/naukar-server.yaml --packager deb --target "$DIST/" >/dev/null
ls "$DIST"/*.deb
done_step

if [ "${DIST_WINDOWS:-1}" != 0 ]; then
  step "windows app (mingw-w64 cross-build, packaged by fyne with icon and metadata)"
  # fyne package takes -ldflags from GOFLAGS (one -ldflags=… per flag, no spaces).
  GOFLAGS_LD=""
  for ((i = 0; i < ${#LDX[@]}; i += 2)); do GOFLAGS_LD+=" -ldflags=-X=${LDX[i+1]}"; done
  WINTMP=$(mktemp -d)
  # fyne package bumps the build number in FyneApp.toml: keep the file as committed.
  cp FyneApp.toml "$DIST/build/FyneApp.toml.orig"
  trap 'cp "$DIST/build/FyneApp.toml.orig" "$ROOT/FyneApp.toml"; rm -f "$ROOT/fyne_metadata_init.go" "$ROOT/fyne.syso"' EXIT
  (cd "$WINTMP" && GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
     GOFLAGS="$GOFLAGS_LD" "$DIST/build/tools/fyne" package --os windows --src "$ROOT" --icon "$ROOT/assets/logo.png" \
     --name naukar --app-id in.ainaukar.naukar --app-version "$VERSION" --release)
  mv "$WINTMP/naukar.exe" "$DIST/build/windows/naukar.exe" 2>/dev/null || mv "$ROOT/naukar.exe" "$DIST/build/windows/naukar.exe"
  rm -rf "$WINTMP"
  cp "$DIST/build/FyneApp.toml.orig" FyneApp.toml
  cp "$DIST/build/windows/naukar.exe" "$DIST/naukar-$VERSION-windows-amd64.exe"
  file "$DIST/build/windows/naukar.exe"
  done_step

  step "windows installer (NSIS)"
  convert "$ROOT/assets/logo.png" -define icon:auto-resize=128,64,48,32,16 "$DIST/build/windows/naukar.ico"
  SIZE_KB=$(( $(stat -c %s "$DIST/build/windows/naukar.exe") / 1024 ))
  # -V4 logs every instruction: dist-check reads the log to check what the installer does.
  makensis -V4 -DVERSION="$VERSION" -DAPP_EXE="$DIST/build/windows/naukar.exe" -DAPP_ICON="$DIST/build/windows/naukar.ico" \
    -DAPP_SIZE_KB="$SIZE_KB" -DOUT_FILE="$DIST/AI-Naukar-Setup-$VERSION.exe" "$ROOT/packaging/windows/installer.nsi" \
    > "$DIST/build/windows/makensis.log"
  ls -la "$DIST/AI-Naukar-Setup-$VERSION.exe"
  done_step
fi

step "checksums and signed update manifest"
"$GO" run ./packaging/naukar-release manifest --key "$KEY" --version "$VERSION" --dir "$DIST"
(cd "$DIST" && sha256sum --quiet -c SHA256SUMS)
done_step
ls -la "$DIST"
