#!/usr/bin/env bash
# Benchmarks gazette against the floor (read + Markdown + write, examples/floor.rs) and Hugo
# on generated corpora, in one run so the ratios compare like with like on a noisy machine.
# Beside them, the write floor (examples/write_floor.rs): the time to write, from memory, the
# files gazette's build wrote, which no build of that output can beat; and, up to 10,000
# entries, gazette on the same site with every template one character long ("bare"):
# the cost of everything a build does besides its templates.
#
#   bench/run.sh [SIZES...]        default: 1000 10000   (100000 works too; Hugo stops at 10000)
#
# Then `serve`'s save-to-reload times on 10,000 entries (examples/serve_bench.rs; SERVE=0 skips
# them). BENCH_DIR (default /tmp/gazette-bench) holds the corpora and outputs: put it on tmpfs
# (/dev/shm/...) to measure the programs rather than the disk.
#
# Needs: hugo (Debian: apt-get install -y hugo) and /usr/bin/time.
# Runs each build RUNS times (default 3) and prints the median run's wall time, CPU time and
# peak memory of each tool, clean and over an existing output, the spread of the wall times,
# and the ratios to the floor and to Hugo of the medians (clean builds). The write floor's
# wall time is its own clock around the writing alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
work="${BENCH_DIR:-/tmp/gazette-bench}"
mkdir -p "$work"

cargo build --release --locked --bin gazette --example floor --example gen_corpus \
    --example serve_bench --example write_floor
gazette=target/release/gazette
floor=target/release/examples/floor
gen=target/release/examples/gen_corpus

runs="${RUNS:-3}"

# measure NAME PREPARE COMMAND... writes "wall_s cpu_s peak_mb min_s max_s" of the median run
# to $work/measured.txt (in this shell, so that a failed run ends the script). PREPARE (a shell
# command, or "") runs before each run, untimed.
measure() {
    local name=$1 prepare=$2; shift 2
    local results=()
    for _ in $(seq "$runs"); do
        [ -z "$prepare" ] || eval "$prepare"
        /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/$name.err" || {
            echo "$name failed:"; cat "$work/$name.err"; exit 1; }
        results+=("$(awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time.txt")")
    done
    printf "%s\n" "${results[@]}" | sort -n | awk -v n="$runs" '
        { wall[NR] = $1; line[NR] = $0 }
        END { print line[int((n + 1) / 2)], wall[1], wall[n] }' >"$work/measured.txt"
}

printf "%-8s %-20s %8s %8s %8s  %s\n" entries run wall_s cpu_s peak_MB "wall min-max ($runs runs)"
row() { printf "%-8s %-20s %8s %8s %8s  %s-%s\n" "$@"; }
for n in "${sizes[@]}"; do
    site="$work/site-$n"
    [ -d "$site" ] || "$gen" "$site" "$n" >/dev/null
    out="$work/out-$n"
    measure floor "rm -rf '$work/floor-$n'" "$floor" "$site" "$work/floor-$n"
    read -r fw fc fm f1 f2 <"$work/measured.txt"
    measure gazette "rm -rf '$out'" \
        "$gazette" build --site "$site" --output "$out" --now 2026-01-01T00:00:00Z
    read -r gw gc gm g1 g2 <"$work/measured.txt"
    measure gazette-again "" \
        "$gazette" build --site "$site" --output "$out" --now 2026-01-01T00:00:00Z
    read -r rw rc rm_ r1 r2 <"$work/measured.txt"
    row "$n" floor "$fw" "$fc" "$fm" "$f1" "$f2"
    row "$n" "gazette (clean)" "$gw" "$gc" "$gm" "$g1" "$g2"
    row "$n" "gazette (existing)" "$rw" "$rc" "$rm_" "$r1" "$r2"
    written="$work/write-$n"
    for _ in $(seq "$runs"); do
        rm -rf "$written"
        target/release/examples/write_floor "$out" "$written" | awk '{ print $2 }'
    done | sort -n | awk -v n="$runs" '{ s[NR] = $1 } END {
        printf "%.2f %.2f %.2f\n", s[int((n + 1) / 2)], s[1], s[n] }' >"$work/measured.txt"
    rm -rf "$written"
    read -r ww w1 w2 <"$work/measured.txt"
    row "$n" "write floor" "$ww" - - "$w1" "$w2"
    if [ "$n" -le 10000 ]; then
        # The same site with every template of the theme replaced by one character: what a
        # build costs besides its templates and the pages' bytes.
        bare="$work/bare-$n"
        if [ ! -d "$bare" ]; then
            mkdir -p "$bare"
            cp -r "$site/content" "$site/site.yaml" "$bare/"
            (cd themes/default/templates && find . -name '*.html') | while read -r t; do
                mkdir -p "$(dirname "$bare/templates/$t")"
                printf x >"$bare/templates/$t"
            done
        fi
        measure bare "rm -rf '$work/out-bare-$n'" "$gazette" build --site "$bare" \
            --output "$work/out-bare-$n" --now 2026-01-01T00:00:00Z
        read -r bw bc bm b1 b2 <"$work/measured.txt"
        row "$n" "gazette (bare)" "$bw" "$bc" "$bm" "$b1" "$b2"
    fi
    ratio_floor=$(awk -v a="$gw" -v b="$fw" 'BEGIN { printf "%.2f", a / b }')
    line="$n gazette/floor=$ratio_floor"
    line="$line write-floor/floor=$(awk -v a="$ww" -v b="$fw" 'BEGIN { printf "%.2f", a / b }')"
    [ "$n" -gt 10000 ] ||
        line="$line bare/floor=$(awk -v a="$bw" -v b="$fw" 'BEGIN { printf "%.2f", a / b }')"
    if [ "$n" -le 10000 ] && command -v hugo >/dev/null; then
        hsite="$work/hugo-$n"
        [ -d "$hsite" ] || python3 bench/hugo_site.py "$site" "$hsite"
        measure hugo "rm -rf '$hsite/public' '$hsite/resources'" hugo --source "$hsite" --quiet
        read -r hw hc hm h1 h2 <"$work/measured.txt"
        row "$n" "hugo (clean)" "$hw" "$hc" "$hm" "$h1" "$h2"
        line="$line gazette/hugo=$(awk -v a="$gw" -v b="$hw" 'BEGIN { printf "%.2f", a / b }')"
    fi
    echo "ratios: $line"
done

if [ "${SERVE:-1}" != 0 ]; then
    echo "serve, 10000 entries (save to reload):"
    TMPDIR="$work" target/release/examples/serve_bench --entries 10000 --saves 20
fi

# The photo engine (docs/photos.md, examples/photo_bench.rs) on PHOTOS (default 2000) generated
# photos of 3 to 12 megapixels: the first preparation into an empty cache, the second from the
# cache, one photo changed, and reading and hashing every source. PHOTOS=0 skips it.
photos="${PHOTOS:-2000}"
if [ "$photos" != 0 ]; then
    cargo build --release --locked --example photo_bench
    echo "photos, $photos of 3-12 megapixels:"
    target/release/examples/photo_bench --photos "$photos" --dir "$work/photos"
fi

# A site of ENTRIES entries with PHOTOS photos against the same site without (bench/photo_site.sh):
# long (minutes of encoding on a small machine), so only with PHOTO_SITE=1.
if [ "${PHOTO_SITE:-0}" != 0 ]; then
    bench/photo_site.sh
fi
