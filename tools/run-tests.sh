#!/usr/bin/env bash
# Set up a fresh clone if needed, then run the linter and the whole test suite (headless).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
