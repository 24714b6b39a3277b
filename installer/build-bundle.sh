#!/usr/bin/env bash
# Build the SealDesk one-folder bundle with PyInstaller: dist/sealdesk/.
#
# Uses the project's virtual environment (.venv, made by `make venv`), which
# has PyInstaller from the dev extras. Intermediate files go to
# build/pyinstaller/, outside the source packages.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
python="${PYTHON:-$repo/.venv/bin/python}"
started=$(date +%s)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$repo/dist" --workpath "$repo/build/pyinstaller" \
  installer/sealdesk.spec
bundle="$repo/dist/sealdesk"
for program in sealdesk sealdesk-gui; do
  test -x "$bundle/$program" || { echo "build-bundle: $program is missing" >&2; exit 1; }
done
echo "build-bundle: $bundle ($(du -sh "$bundle" | cut -f1)) in $(( $(date +%s) - started )) s"
