#!/bin/sh
# run.sh — the project's entry points (README: the two commands).
#   ./run.sh demo        install Debian packages if missing, build, run the demo
#   ./run.sh test        install if missing, build, run every test (ctest)
#   ./run.sh test-asan   the same tests in an ASan+UBSan build (clang)
#   ./run.sh bench       build Release and print the benchmark tables
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev libssl-dev libcbor-dev libjansson-dev openssl libmicrohttpd-dev libgnutls28-dev libcurl4-openssl-dev libsqlite3-dev"
JOBS=$(nproc 2>/dev/null || echo 2)

deps() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "installing:$missing"
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
  # test-only npm packages (ts-mls interop, pinned by package-lock.json)
  if [ ! -d tests/interop/node_modules ] && command -v node >/dev/null 2>&1 &&
     command -v npm >/dev/null 2>&1; then
    npm ci --prefix tests/interop --no-audit --no-fund >/dev/null
  fi
}

build() { # build <dir> [cmake args...]
  dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  demo)
    deps
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    ./build/tools/mimi-demo
    ./build/tools/mimi-demo-providers
    ;;
  test)
    deps
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    ctest --test-dir build -j "$JOBS" --output-on-failure
    ;;
  test-asan)
    deps
    CC=clang build build-asan -DCMAKE_BUILD_TYPE=Debug -DMIMI_SANITIZE=ON -DMIMI_BUILD_BENCH=OFF >/dev/null
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-asan -j "$JOBS" --output-on-failure
    ;;
  bench)
    deps
    build build-release -DCMAKE_BUILD_TYPE=Release -DMIMI_BUILD_TESTS=OFF >/dev/null
    for b in build-release/bench/bench_*; do
      [ -x "$b" ] || continue
      printf "\n### %s\n\n" "$(basename "$b")"
      "$b"
    done
    ;;
  *)
    echo "usage: $0 demo|test|test-asan|bench" >&2
    exit 2
    ;;
esac
