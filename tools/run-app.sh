#!/usr/bin/env bash
# Set up a fresh clone if needed, then open the XOR Lab window.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec .venv/bin/python main.py "$@"
