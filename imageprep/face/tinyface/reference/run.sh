#!/usr/bin/env bash
# Regenerates testdata/reference.json: the boxes face-api.js 0.22.2 (the
# original library, tfjs-core's plain CPU backend under node) finds with
# the embedded weights on the committed face test photos, decoded by Go.
# Needs node and npm; run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund face-api.js@0.22.2 >/dev/null)
mkdir "$work/ppm"
(cd "$repo" && go run ./imageprep/face/tinyface/reference/toppm "$work/ppm" imageprep/testdata/faces/*.jpg)
cp "$here/reference.js" "$work/"
out="$here/../testdata/reference.json"
{
  echo '{'
  first=1
  for size in 416 224; do
    [ $first = 1 ] || echo ','
    first=0
    printf '"%s": ' "$size"
    (cd "$work" && MODEL_DIR="$here/.." INPUT_SIZE=$size SCORE=0.3 node reference.js ppm/*.ppm 2>/dev/null | sed -n '/^{/,$p')
  done
  echo '}'
} > "$out"
echo "wrote $out"
