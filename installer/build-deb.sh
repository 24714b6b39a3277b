#!/usr/bin/env bash
# Build dist/sealdesk_<version>_amd64.deb from the bundle in dist/sealdesk/
# (made by installer/build-bundle.sh).
#
# Layout: the bundle under /opt/sealdesk, /usr/bin/sealdesk and
# /usr/bin/sealdesk-gui as symlinks into it (the bundle finds its _internal/
# folder through the link's target), the desktop entry and the icon.
#
# The version is pyproject.toml's `version`, the one the program reports with
# `sealdesk --version`. The system libraries the bundle uses (it carries none
# of them, see installer/sealdesk.spec) are found by dpkg-shlibdeps from the
# bundle's ELF files; installer/debian/control.in adds what no ELF file names.
#
# No maintainer scripts: Debian's triggers (hicolor-icon-theme,
# desktop-file-utils) refresh the icon cache and the menu, and the package
# keeps nothing outside the files it lists. Workspaces stay with their users.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
python="${PYTHON:-$repo/.venv/bin/python}"
bundle="$repo/dist/sealdesk"
arch=amd64

die() {
  echo "build-deb: $*" >&2
  exit 1
}

[[ -x "$bundle/sealdesk" && -x "$bundle/sealdesk-gui" ]] ||
  die "no bundle at $bundle; run installer/build-bundle.sh first"

# PEP 440 -> Debian: pre-releases sort before the release with "~".
pep440="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
version="$(sed -E 's/\.?(a|b|rc|dev)([0-9]+)/~\1\2/g' <<<"$pep440")"
bundled="$("$bundle/sealdesk" --version)"
[[ "$bundled" == "sealdesk, version $pep440" ]] ||
  die "the bundle reports '$bundled', pyproject.toml says $pep440; rebuild the bundle"

stage="$repo/build/deb/sealdesk_${version}_${arch}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" \
  "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/256x256/apps" \
  "$stage/usr/share/icons/hicolor/scalable/apps" \
  "$stage/usr/share/doc/sealdesk"
cp -a "$bundle" "$stage/opt/sealdesk"
ln -s /opt/sealdesk/sealdesk "$stage/usr/bin/sealdesk"
ln -s /opt/sealdesk/sealdesk-gui "$stage/usr/bin/sealdesk-gui"
install -m 644 resources/sealdesk.desktop "$stage/usr/share/applications/sealdesk.desktop"
install -m 644 resources/icons/sealdesk.png "$stage/usr/share/icons/hicolor/256x256/apps/sealdesk.png"
install -m 644 resources/icons/sealdesk.svg "$stage/usr/share/icons/hicolor/scalable/apps/sealdesk.svg"
install -m 644 installer/debian/copyright "$stage/usr/share/doc/sealdesk/copyright"
chmod -R u+rwX,go+rX,go-w "$stage"

# System libraries the bundle's programs, modules and Qt plugins link to.
mapfile -d '' -t elves < <("$python" - "$stage/opt/sealdesk" <<'PY'
import os, sys
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            with open(path, "rb") as file:
                if file.read(4) == b"\x7fELF":
                    sys.stdout.write(path + "\0")
PY
)
private_dirs=()
while IFS= read -r dir; do private_dirs+=("-l$dir"); done < <(
  printf '%s\n' "${elves[@]%/*}" | sort -u)
shlibs_dir="$repo/build/deb/shlibdeps"
rm -rf "$shlibs_dir" && mkdir -p "$shlibs_dir/debian"
printf 'Source: sealdesk\n\nPackage: sealdesk\nArchitecture: %s\n' "$arch" \
  >"$shlibs_dir/debian/control"
shlibs="$(cd "$shlibs_dir" && dpkg-shlibdeps -O --ignore-missing-info \
  "${private_dirs[@]}" "${elves[@]}" 2>"$shlibs_dir/warnings.log")" ||
  die "dpkg-shlibdeps failed: $(tail -n 5 "$shlibs_dir/warnings.log")"
shlib_depends="${shlibs#shlibs:Depends=}"
for essential in libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 \
  libdbus-1-3 libssl3; do
  [[ ", $shlib_depends" == *", $essential"[\ ,]* || ", $shlib_depends" == *", $essential" ]] ||
    die "dpkg-shlibdeps did not list $essential; is the Qt xcb plugin in the bundle?"
done

installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
  -e "s/@INSTALLED_SIZE@/$installed_kb/" -e "s/@SHLIBS_DEPENDS@/$shlib_depends/" \
  installer/debian/control.in | grep -v '^#' >"$stage/DEBIAN/control"

mkdir -p "$repo/dist"
deb="$repo/dist/sealdesk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb.part" >/dev/null
mv "$deb.part" "$deb"
rm -rf "$stage"
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
