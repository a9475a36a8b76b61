#!/usr/bin/env bash
# Build XOR Lab as a one-folder app: DIST/xor-lab/xor-lab and its _internal folder (copy the
# whole folder to install it). Needs PyInstaller, the `package` extra:
#   .venv/bin/pip install -e '.[package]'
# Usage: packaging/build.sh [DIST [WORK]]   (default: dist and build in the repository)
# PYTHON picks the Python that has XOR Lab and PyInstaller (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
dist=${1:-dist}
work=${2:-build}
if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
  echo "packaging/build.sh: PyInstaller is not installed for $python;" \
    "install it with: $python -m pip install -e '.[package]'" >&2
  exit 1
fi
echo "Building $dist/xor-lab with PyInstaller (a minute or two)…"
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" \
  packaging/xor-lab.spec
echo "Built $dist/xor-lab/xor-lab ($(du -sh "$dist/xor-lab" | cut -f1)B)"
