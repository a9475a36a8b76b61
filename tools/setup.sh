#!/usr/bin/env bash
# Prepare a fresh clone: the system libraries Qt needs, then .venv with XOR Lab installed.
# Safe to run again: it only installs what is missing or what pyproject.toml changed, and
# prints nothing when there is nothing to do. Sourced (by the tests), it defines its
# functions and stops.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Qt's offscreen and xcb platforms on a bare Debian/Ubuntu (see README, "System packages").
QT_PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0
  libxcb-image0 libxcb-xkb1 libxkbcommon-x11-0"
PYTHON=${PYTHON:-python3}

# Debian 13 and Ubuntu 24.04 renamed the libraries whose ABI changed with 64-bit time_t
# (libglib2.0-0 is libglib2.0-0t64 there), so a package counts under either name.
installed() {
  local name
  for name in "$1" "$1t64"; do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "ok installed" && return 0
  done
  return 1
}

missing_packages() {
  command -v dpkg-query >/dev/null || return 0
  for package in $QT_PACKAGES; do
    installed "$package" || echo "$package"
  done
}

# The name apt installs a package under here: the old name only survives the t64 rename as
# a virtual package (no candidate), which apt-get install may refuse.
apt_name() {
  local name
  for name in "$1" "$1t64"; do
    if LC_ALL=C apt-cache policy "$name" 2>/dev/null | grep -q "Candidate: [^(]"; then
      echo "$name"
      return
    fi
  done
  echo "$1"
}

apt_names() {  # "PACKAGE …"
  local names=""
  for package in $1; do names="$names $(apt_name "$package")"; done
  echo "${names# }"
}

# Debian's Python keeps ensurepip, without which `python3 -m venv` makes a .venv with no
# pip, in a package of its own.
has_ensurepip() {
  "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null
}

venv_package() {
  "$PYTHON" -c 'import sys; print(f"python3.{sys.version_info[1]}-venv")'
}

if (return 0 2>/dev/null); then return 0; fi  # sourced: the functions only

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "XOR Lab needs Python 3.10 or newer (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

# The install is redone when the dependencies or the version (which the package's metadata
# records) changed since the last one.
stamp=.venv/.xor-lab-installed
wanted=$(cat pyproject.toml <(grep '^__version__' engine/__init__.py) | sha256sum | cut -d' ' -f1)
[ -f "$stamp" ] || echo "Setting up XOR Lab (first run): system libraries, Python packages" \
  "and the compiled training loop; later runs skip what is done."
make_venv=false
[ -x .venv/bin/python ] && [ -x .venv/bin/pip ] || make_venv=true

qt_missing=$(missing_packages | tr '\n' ' ')
venv_missing=""
if $make_venv && ! has_ensurepip && command -v dpkg-query >/dev/null; then
  venv_missing=$(venv_package)
fi
if [ -n "${qt_missing// /}$venv_missing" ]; then
  echo "XOR Lab needs system packages that are not installed:"
  if [ -n "${qt_missing// /}" ]; then
    echo "  $(apt_names "$qt_missing") (libraries Qt needs to draw the window)"
  fi
  if [ -n "$venv_missing" ]; then
    echo "  $venv_missing (Python's ensurepip, to create .venv with pip in it)"
  fi
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "Ask an administrator to install them:" >&2
    echo "  apt-get install $(apt_names "$qt_missing $venv_missing")" >&2
  else
    echo "Installing them with ${sudo:+sudo }apt-get${sudo:+ (sudo may ask for your password)}…"
    $sudo apt-get update -qq
    # Named again after the update: a fresh system's apt knows no package before it.
    names=$(apt_names "$qt_missing $venv_missing")
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $names >/dev/null
  fi
fi

if $make_venv; then
  if ! has_ensurepip; then
    echo "$PYTHON cannot create .venv: its ensurepip module is missing (on Debian or Ubuntu" \
      "it is in the package $(venv_package))." >&2
    exit 1
  fi
  "$PYTHON" -m venv .venv
fi

installing=false
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  installing=true
  echo "Installing Python packages into .venv (a minute or two)…"
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$wanted" > "$stamp"
fi

# Compile the numba kernels once here (several seconds, then cached on disk) so that neither
# the window's first Play nor the first test pays for it.
if $installing; then echo "Compiling the training loop (about a minute, once)…"; fi
.venv/bin/python -c "
from engine import PRESETS, Trainer
from engine.batched import LANES, BatchedTrainer
for config in (PRESETS['tutorial'], PRESETS['tutorial'].replace(hidden=(2, 2))):
    Trainer(config).step(1)  # the one-hidden-layer loop, then the any-depth loop
    for seeds in ([0, 1], range(LANES)):  # a few networks one at a time, many in lanes
        BatchedTrainer(config.replace(max_iterations=2), seeds).run()
"
if $installing; then echo "XOR Lab is set up."; fi
