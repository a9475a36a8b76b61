#!/usr/bin/env bash
# Prepare a fresh clone: the system libraries Qt needs, then .venv with XOR Lab installed.
# Safe to run again: it only installs what is missing or what pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's offscreen and xcb platforms on a bare Debian/Ubuntu (see README, "System packages").
QT_PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0
  libxcb-image0 libxcb-xkb1 libxkbcommon-x11-0"

missing_packages() {
  command -v dpkg-query >/dev/null || return 0
  for package in $QT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || echo "$package"
  done
}

missing=$(missing_packages | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "XOR Lab needs these system packages; ask an administrator to install them:" >&2
    echo "  apt-get install $missing" >&2
  else
    echo "Installing system packages for Qt: $missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "XOR Lab needs Python 3.10 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# Reinstall only when the dependencies changed since the last install.
stamp=.venv/.xor-lab-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$wanted" > "$stamp"
fi

# Compile the numba kernels once here (several seconds, then cached beside the sources) so
# that neither the window's first Play nor the first test pays for it.
.venv/bin/python -c "
from engine import PRESETS, Trainer
from engine.batched import BatchedTrainer
for config in (PRESETS['tutorial'], PRESETS['tutorial'].replace(hidden=(2, 2))):
    Trainer(config).step(1)  # the one-hidden-layer loop, then the any-depth loop
    BatchedTrainer(config.replace(max_iterations=2), [0, 1]).run()
"
