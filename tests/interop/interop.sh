#!/bin/sh
# interop.sh <script.mjs> [args...] — runs one ts-mls interop script (CTest's
# entry point). Exit 77, which CTest reports as skipped, only when node is not
# installed; a missing node_modules is installed from package-lock.json.
set -eu
if ! command -v node >/dev/null 2>&1; then
  echo "node not found: ts-mls interop skipped"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/ts-mls" ]; then
  npm ci --prefix "$here" --no-audit --no-fund >&2
fi
script=$1
shift
exec node "$here/$script" "$@"
