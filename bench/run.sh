#!/usr/bin/env bash
# Benchmarks gazette against the floor (read + Markdown + write, examples/floor.rs) and Hugo
# on generated corpora, in one run so the ratios compare like with like on a noisy machine.
#
#   bench/run.sh [SIZES...]        default: 1000 10000   (100000 works too; Hugo stops at 10000)
#
# Then `serve`'s save-to-reload times on 10,000 entries (examples/serve_bench.rs; SERVE=0 skips
# them). BENCH_DIR (default /tmp/gazette-bench) holds the corpora and outputs: put it on tmpfs
# (/dev/shm/...) to measure the programs rather than the disk.
#
# Needs: hyperfine and hugo (Debian: apt-get install -y hyperfine hugo), /usr/bin/time.
# Prints wall time, CPU time and peak memory of each tool, clean and over an existing output,
# and the ratios gazette/floor and gazette/Hugo (clean builds).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
work="${BENCH_DIR:-/tmp/gazette-bench}"
mkdir -p "$work"

cargo build --release --locked --bin gazette --example floor --example gen_corpus \
    --example serve_bench
gazette=target/release/gazette
floor=target/release/examples/floor
gen=target/release/examples/gen_corpus

measure() { # name, command... -> "wall_s cpu_s peak_mb"
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/$name.err" || {
        echo "$name failed:"; cat "$work/$name.err"; exit 1; }
    awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/time.txt"
}

printf "%-8s %-22s %8s %8s %8s\n" entries run wall_s cpu_s peak_MB
for n in "${sizes[@]}"; do
    site="$work/site-$n"
    [ -d "$site" ] || "$gen" "$site" "$n" >/dev/null
    out="$work/out-$n"
    rm -rf "$out" "$work/floor-$n"
    read -r fw fc fm < <(measure floor "$floor" "$site" "$work/floor-$n")
    read -r gw gc gm < <(measure gazette "$gazette" build --site "$site" --output "$out" --now 2026-01-01T00:00:00Z)
    read -r rw rc rm_ < <(measure gazette-again "$gazette" build --site "$site" --output "$out" --now 2026-01-01T00:00:00Z)
    printf "%-8s %-22s %8s %8s %8s\n" "$n" floor "$fw" "$fc" "$fm"
    printf "%-8s %-22s %8s %8s %8s\n" "$n" "gazette (clean)" "$gw" "$gc" "$gm"
    printf "%-8s %-22s %8s %8s %8s\n" "$n" "gazette (existing)" "$rw" "$rc" "$rm_"
    ratio_floor=$(awk -v a="$gw" -v b="$fw" 'BEGIN { printf "%.2f", a / b }')
    line="$n gazette/floor=$ratio_floor"
    if [ "$n" -le 10000 ] && command -v hugo >/dev/null; then
        hsite="$work/hugo-$n"
        [ -d "$hsite" ] || python3 bench/hugo_site.py "$site" "$hsite"
        rm -rf "$hsite/public" "$hsite/resources"
        read -r hw hc hm < <(measure hugo hugo --source "$hsite" --quiet)
        printf "%-8s %-22s %8s %8s %8s\n" "$n" "hugo (clean)" "$hw" "$hc" "$hm"
        line="$line gazette/hugo=$(awk -v a="$gw" -v b="$hw" 'BEGIN { printf "%.2f", a / b }')"
    fi
    echo "ratios: $line"
done

if [ "${SERVE:-1}" != 0 ]; then
    echo "serve, 10000 entries (save to reload):"
    TMPDIR="$work" target/release/examples/serve_bench --entries 10000 --saves 20
fi
