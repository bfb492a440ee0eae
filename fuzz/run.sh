#!/bin/sh
# fuzz/run.sh SECONDS [TARGET...] — build the libFuzzer targets with clang and
# run each named target (default: all) for SECONDS, starting from its seed
# corpus. Working corpora are kept in build-fuzz/corpus/<target>; a crash
# lands in build-fuzz/artifacts/ and makes the script exit non-zero.
set -eu
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_content_decode fuzz_mls_decode fuzz_protocol_decode fuzz_group_state fuzz_room_policy}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
CC=clang cmake -S "$root" -B "$build" -DMIMI_FUZZ=ON -DMIMI_BUILD_TESTS=OFF \
  -DMIMI_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
mkdir -p "$build/artifacts"
for t in $targets; do
  cmake --build "$build" -j2 --target "$t" > /dev/null
  corpus=$build/corpus/$t
  mkdir -p "$corpus"
  case $t in
    fuzz_content_decode) cp "$root"/tests/vectors/mimi-content/*.cbor "$corpus"/ ;;
    fuzz_mls_decode) cp "$root"/fuzz/seeds/mls/*.bin "$corpus"/ ;;
    fuzz_protocol_decode) cp "$root"/fuzz/seeds/protocol/*.bin "$corpus"/ ;;
    fuzz_group_state) cp "$root"/fuzz/seeds/group/*.bin "$corpus"/ ;;
    fuzz_room_policy) cp "$root"/fuzz/seeds/policy/*.bin "$corpus"/ ;;
  esac
  echo "== $t for ${secs}s"
  "$build/fuzz/$t" "$corpus" -max_total_time="$secs" -max_len=65536 -timeout=10 \
    -rss_limit_mb=1024 -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|Done)" || true
  if ls "$build/artifacts/$t-"* > /dev/null 2>&1; then
    echo "fuzz: $t found a crash: $(ls "$build/artifacts/$t-"*)" >&2
    exit 1
  fi
done
