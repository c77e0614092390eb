#!/usr/bin/env bash
# A site with photos (issue 25): ENTRIES entries (default 1000) of the generated corpus, the
# first PHOTOS/2 of them with two photos each in their bodies (PHOTOS default 2000, 3 to 12
# megapixels, made by examples/photo_bench.rs), against the same site without photos:
#
#   - the site without photos, built twice (the second over the first's output);
#   - the site with photos, a first build into an empty photo cache and a second from it.
#
# The target: the second build with photos costs at most 20 % more than the second without.
# bench/run.sh calls it when PHOTO_SITE=1; BENCH_DIR as there. The photos stay in
# $BENCH_DIR/photo-site/sources between runs (delete the folder when done).
set -euo pipefail
cd "$(dirname "$0")/.."
entries="${ENTRIES:-1000}"
photos="${PHOTOS:-2000}"
work="${BENCH_DIR:-/tmp/gazette-bench}/photo-site"
now=2026-01-01T00:00:00Z
cargo build --release --locked --bin gazette --example gen_corpus --example photo_bench
gazette="$PWD/target/release/gazette"
rm -rf "$work/plain" "$work/photos" "$work/cache" "$work"/out-*
mkdir -p "$work"
target/release/examples/gen_corpus "$work/plain" "$entries" >/dev/null
target/release/examples/photo_bench --photos "$photos" --dir "$work/sources" --generate-only
cp -r "$work/plain" "$work/photos"
printf 'photo_cache: %s\n' "$work/cache" >>"$work/photos/site.yaml"
i=0
while IFS= read -r md && [ "$i" -lt "$photos" ]; do
    for k in 0 1; do
        n=$((i + k))
        [ "$n" -lt "$photos" ] || break
        name=$(printf 'photo-%05d.jpg' "$n")
        cp "$work/sources/photos/$name" "$(dirname "$md")/$name"
        printf '\n![Photo %d of the visit](%s)\n' "$n" "$name" >>"$md"
    done
    i=$((i + 2))
done < <(find "$work/photos/content" -name '*.md' | sort)

# timed LABEL COMMAND...: prints the wall and CPU seconds and peak memory of one run.
timed() {
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || {
        echo "$label failed:"; cat "$work/err.txt"; exit 1; }
    awk -v l="$label" '{ printf "%-34s %7.2f s wall %7.2f s CPU %6.0f MB\n", l, $1, $2 + $3, $4 / 1024 }' \
        "$work/time.txt"
    cut -d' ' -f1 "$work/time.txt" >"$work/wall.txt"
}
echo "$entries entries, $photos photos of 3-12 megapixels:"
timed "without photos, first build" "$gazette" build --site "$work/plain" --output "$work/out-plain" --now "$now"
timed "without photos, second build" "$gazette" build --site "$work/plain" --output "$work/out-plain" --now "$now"
plain=$(cat "$work/wall.txt")
timed "with photos, first (empty cache)" "$gazette" build --site "$work/photos" --output "$work/out-photos" --now "$now"
timed "with photos, second (from cache)" "$gazette" build --site "$work/photos" --output "$work/out-photos" --now "$now"
cached=$(cat "$work/wall.txt")
awk -v a="$cached" -v b="$plain" 'BEGIN { printf "second build with photos / without: %.2f (target: at most 1.20)\n", a / b }'
