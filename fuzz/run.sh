#!/bin/sh
# fuzz/run.sh SECONDS [JOBS] — build the libFuzzer targets with clang and run
# fuzz_content_decode for SECONDS, starting from the draft examples. The
# working corpus is kept in build-fuzz/corpus/content; crashes land in
# build-fuzz/artifacts/ and make the script exit non-zero.
set -eu
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
CC=clang cmake -S "$root" -B "$build" -DMIMI_FUZZ=ON -DMIMI_BUILD_TESTS=OFF \
  -DMIMI_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j2 --target fuzz_content_decode > /dev/null
corpus=$build/corpus/content
mkdir -p "$corpus" "$build/artifacts"
cp "$root"/tests/vectors/mimi-content/*.cbor "$corpus"/
exec "$build/fuzz/fuzz_content_decode" "$corpus" \
  -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
  -artifact_prefix="$build/artifacts/" -print_final_stats=1
