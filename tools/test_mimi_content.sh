#!/bin/sh
# test_mimi_content.sh TOOL VECTOR_DIR — the mimi-content command on the
# draft's examples: decode --json | encode reproduces every .cbor byte for
# byte, `id` prints the IDs the .edn files give, and bad input fails.
set -u
tool=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for f in "$dir"/*.cbor; do
  name=$(basename "$f" .cbor)
  [ "$name" = implied-original ] && continue
  n=$((n + 1))
  "$tool" decode --json "$f" > "$tmp/$name.json" || { echo "FAIL decode --json $name"; fail=1; continue; }
  "$tool" encode "$tmp/$name.json" -o "$tmp/$name.cbor" || { echo "FAIL encode $name"; fail=1; continue; }
  cmp -s "$f" "$tmp/$name.cbor" || { echo "FAIL round trip $name"; fail=1; }
  "$tool" decode "$f" > "$tmp/$name.diag" || { echo "FAIL decode $name"; fail=1; }
  # The .edn header gives the ID as two hex lines after "message ID = h'".
  want=$(sed -n "/message ID/{N;p;}" "$dir/$name.edn" | tr -dc '0-9a-f\n' | tr -d '\n' | sed 's/^.*\(01[0-9a-f]\{62\}\).*$/\1/')
  got=$("$tool" id "$f")
  [ "$got" = "$want" ] || { echo "FAIL id $name: $got != $want"; fail=1; }
done
# Invalid input: non-zero exit and an error name on stderr.
printf '\207\000' > "$tmp/bad.cbor"
if "$tool" decode "$tmp/bad.cbor" > /dev/null 2> "$tmp/err"; then echo "FAIL bad input accepted"; fail=1; fi
grep -q MIMI_ERR_TRUNCATED "$tmp/err" || { echo "FAIL error text"; fail=1; }
cat "$dir/original.cbor" > "$tmp/trail.cbor"; printf '\000' >> "$tmp/trail.cbor"
if "$tool" id "$tmp/trail.cbor" > /dev/null 2>&1; then echo "FAIL trailing data accepted"; fail=1; fi
echo '{"body": {"cardinality": "multi", "partSemantics": "chooseOne", "parts": []}}' > "$tmp/bad.json"
if "$tool" encode "$tmp/bad.json" > /dev/null 2> "$tmp/err"; then echo "FAIL bad JSON accepted"; fail=1; fi
grep -q MIMI_ERR_BAD_CONTENT "$tmp/err" || { echo "FAIL JSON error text"; fail=1; }
# A JSON message without salt gets a fresh random one; decode accepts it.
echo '{"extensions": [{"key": 1, "text": "mimi://a.example/u/x"}, {"key": 2, "text": "mimi://a.example/r/y"}], "body": {"disposition": "render", "cardinality": "single", "contentType": "text/plain;charset=utf-8", "contentText": "hi"}}' > "$tmp/new.json"
"$tool" encode "$tmp/new.json" -o "$tmp/new.cbor" && "$tool" id "$tmp/new.cbor" > /dev/null || { echo "FAIL fresh message"; fail=1; }
echo "test_mimi_content_tool: $n examples, $fail failures"
exit $fail
