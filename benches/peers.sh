#!/usr/bin/env bash
# hallway against calcurse and khal, whole processes, with hyperfine: the table of README's
# Performance section.
#
#   benches/peers.sh                 bundled, 10k and 100k sessions
#   SIZES="bundled 10k" benches/peers.sh
#   RUNS=10 benches/peers.sh         hallway's runs per command (default 7; at least 5)
#   PEER_RUNS=7 benches/peers.sh     calcurse's and khal's (default 5: they take seconds)
#   HALLWAY=path/to/hallway          that binary instead of building target/release/hallway
#   PEERS=calcurse benches/peers.sh  only these peers (default "calcurse khal"; PEERS= none)
#
# Generates the 10k / 100k calendars with ../shared/tools/gen-conference (--rooms 60/300,
# --days 3/5), imports them into calcurse (calcurse -i) and khal (khal import for the bundled
# calendar; for the generated ones, one .ics an event written straight into khal's store,
# as khal import takes ~40 ms an event), skipping a peer that is not installed or whose
# import takes longer than IMPORT_TIMEOUT seconds (default 600), with a note. Then times
# each command with hyperfine (median after warm-up runs) and prints the table, then a paired
# run on the bundled calendar: hallway print --all against calcurse -Q over its own store.
# Everything happens in a temporary directory, HOME included: no command sees the real
# home, data, cache or configuration directories.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
gen="$root/../shared/tools/gen-conference"
runs=${RUNS:-7}
peer_runs=${PEER_RUNS:-5}
sizes=${SIZES:-bundled 10k 100k}
import_timeout=${IMPORT_TIMEOUT:-600}
hallway=${HALLWAY:-$root/target/release/hallway}
peers=${PEERS-calcurse khal}

command -v hyperfine >/dev/null || { echo "peers.sh: hyperfine is not installed" >&2; exit 2; }
if [[ -z ${HALLWAY:-} ]]; then
    (cd "$root" && cargo build --release --quiet)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hallway-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_CACHE_HOME="$work/home/.cache" HALLWAY_NOW= TZ=UTC
mkdir -p "$HOME"
unset HALLWAY_NOW HALLWAY_DATA_DIR HALLWAY_CACHE_DIR

# Whether the peer $1 is wanted and installed.
have() { [[ " $peers " == *" $1 "* ]] && command -v "$1" >/dev/null; }
note() { printf 'note: %s\n' "$*" >&2; }

# The median of a hyperfine JSON export, in ms.
median_ms() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"]*1000))' "$1"
}

# time NAME COMMAND [hyperfine options]: the median in ms, in $last. The peers take seconds a
# run on the large calendars: they get PEER_RUNS runs (default 5) after one warm-up.
last=
warmup=2
time_it() {
    local name=$1 cmd=$2
    shift 2
    local json="$work/$name.json"
    if hyperfine --shell=none --warmup "$warmup" --runs "$runs" --export-json "$json" "$@" "$cmd" \
        >"$work/$name.log" 2>&1; then
        last=$(median_ms "$json")
    else
        note "$name failed: $(tail -n 3 "$work/$name.log" | tr '\n' ' ')"
        last="failed"
    fi
}

# One table row: the command, then hallway, calcurse and khal per size.
declare -A cell
row_names=()
put() { # put ROW SIZE TOOL VALUE
    local key="$1|$2|$3"
    cell[$key]=$4
    if [[ ! " ${row_names[*]:-} " == *" $1 "* ]]; then row_names+=("$1"); fi
}

printf 'load average at the start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
for size in $sizes; do
    case $size in
        bundled) ics="$root/assets/pytorch-conference-eu-2026.ics"; days=3; cal=() ;;
        10k) ics="$work/10k.ics"; days=3; cal=("$ics")
            python3 "$gen" --events 10000 --rooms 60 --days 3 >"$ics" ;;
        100k) ics="$work/100k.ics"; days=5; cal=("$ics")
            python3 "$gen" --events 100000 --rooms 300 --days 5 >"$ics" ;;
        *) note "unknown size $size"; continue ;;
    esac
    echo "== $size: $(grep -c '^BEGIN:VEVENT' "$ics") events, $(du -h "$ics" | cut -f1)" >&2
    data="$work/data-$size" cache="$work/cache-$size"
    mkdir -p "$data" "$cache"
    h="$hallway --data-dir $data --cache-dir $cache ${cal[*]:-}"
    now=2026-04-07T09:20:00Z
    # Two sessions to star: the first two found for "kernels".
    mapfile -t ids < <($h search kernels --limit 2 | awk '{print $1}')
    $h star "${ids[@]}" >/dev/null
    time_it "$size-star" "$h star ${ids[0]}"; put '`star ID`' "$size" hallway "$last"
    time_it "$size-clashes" "$h clashes"; put '`clashes`' "$size" hallway "$last"
    time_it "$size-now" "$h --now $now now"; put '`now` (peers: one day listed)' "$size" hallway "$last"
    time_it "$size-print" "$h print"; put '`print` (agenda, 2 stars)' "$size" hallway "$last"
    time_it "$size-all" "$h print --all"; put '`print --all`' "$size" hallway "$last"
    time_it "$size-search" "$h search kernels serving"; put '`search kernels serving`' "$size" hallway "$last"
    if [[ $size != bundled ]]; then
        time_it "$size-cold" "$h print" --prepare "rm -rf $cache/snapshots"
        put 'first load, cold (empty cache: parse + write the snapshot; `print`)' "$size" hallway "$last"
        time_it "$size-nocache" "$h --no-cache print"
        put 'first load, `--no-cache print`' "$size" hallway "$last"
    fi
    from=2026-04-07 cfrom=04/07/2026
    if have calcurse; then
        cdir="$work/calcurse-$size"
        mkdir -p "$cdir"
        started=$(date +%s%N)
        # calcurse exits 1 when it skips an item it cannot import (6 of the bundled 129).
        timeout "$import_timeout" calcurse -D "$cdir" -i "$ics" >"$work/calcurse-import-$size.log" 2>&1 || true
        if grep -q ' apps / ' "$work/calcurse-import-$size.log"; then
            put 'first load: import (calcurse -i, khal import; one run)' "$size" calcurse \
                "$(( ($(date +%s%N) - started) / 1000000 )).0"
            c="calcurse -D $cdir"
            local_runs=$runs runs=$peer_runs warmup=1
            time_it "$size-c-all" "$c -Q --from $cfrom --days $days"; put '`print --all`' "$size" calcurse "$last"
            time_it "$size-c-now" "$c -Q --from $cfrom --days 1"; put '`now` (peers: one day listed)' "$size" calcurse "$last"
            time_it "$size-c-search" "$c -Q --from $cfrom --days $days --filter-pattern [Kk]ernels.*[Ss]erving|[Ss]erving.*[Kk]ernels"
            put '`search kernels serving`' "$size" calcurse "$last"
            runs=$local_runs warmup=2
        else
            note "calcurse: importing $size took over ${import_timeout}s or failed: skipped"
        fi
    else
        note "calcurse is not installed (or not in PEERS): skipped"
    fi
    if have khal; then
        vdir="$work/khal-$size/cal" conf="$work/khal-$size/config"
        mkdir -p "$vdir"
        printf '[calendars]\n[[conf]]\npath = %s\ntype = calendar\n[locale]\ntimeformat = %%H:%%M\ndateformat = %%Y-%%m-%%d\nlongdateformat = %%Y-%%m-%%d\ndatetimeformat = %%Y-%%m-%%d %%H:%%M\nlongdatetimeformat = %%Y-%%m-%%d %%H:%%M\nlocal_timezone = UTC\ndefault_timezone = UTC\n' \
            "$vdir" >"$conf"
        started=$(date +%s%N)
        if [[ $size != bundled ]]; then
            # khal import takes about 40 ms an event here (5 s for the bundled 129): its
            # store is a directory of one .ics an event, so write that directly; khal
            # indexes it on its first run (a warm-up run).
            note "khal: $size written as khal's store directly, not with khal import"
            python3 - "$ics" "$vdir" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
head, _, rest = text.partition("BEGIN:VEVENT")
for i, event in enumerate(rest.split("BEGIN:VEVENT")):
    body = event.split("END:VEVENT")[0]
    with open(f"{sys.argv[2]}/{i}.ics", "w", encoding="utf-8") as out:
        out.write(f"{head}BEGIN:VEVENT{body}END:VEVENT\nEND:VCALENDAR\n")
PY
            khal -c "$conf" list "$from" 1d >/dev/null 2>&1 || true
            ok=1
        elif timeout "$import_timeout" khal -c "$conf" import --batch -a conf "$ics" >"$work/khal-import-$size.log" 2>&1; then
            ok=1
            put 'first load: import (calcurse -i, khal import; one run)' "$size" khal \
                "$(( ($(date +%s%N) - started) / 1000000 )).0"
        else
            ok=
        fi
        if [[ -n $ok ]]; then
            k="khal -c $conf"
            local_runs=$runs runs=$peer_runs warmup=1
            time_it "$size-k-all" "$k list $from ${days}d"; put '`print --all`' "$size" khal "$last"
            time_it "$size-k-now" "$k list $from 1d"; put '`now` (peers: one day listed)' "$size" khal "$last"
            time_it "$size-k-search" "$k search kernels"; put '`search kernels serving`' "$size" khal "$last"
            runs=$local_runs warmup=2
        else
            note "khal: importing $size took over ${import_timeout}s or failed: skipped"
        fi
    else
        note "khal is not installed (or not in PEERS): skipped"
    fi
done

# The table: median ms, hallway / calcurse / khal per size.
printf '\nload average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n| command (median ms; hallway %s runs after 2 warm-up, peers %s after 1) |' "$runs" "$peer_runs"
for size in $sizes; do printf ' hallway %s | calcurse %s | khal %s |' "$size" "$size" "$size"; done
printf '\n|---|'
for size in $sizes; do printf -- '---:|---:|---:|'; done
printf '\n'
for name in "${row_names[@]}"; do
    printf '| %s |' "$name"
    for size in $sizes; do
        for tool in hallway calcurse khal; do printf ' %s |' "${cell[$name|$size|$tool]:-—}"; done
    done
    printf '\n'
done

# The paired run on the bundled calendar: hallway print --all against calcurse -Q over its
# own imported store, alternating, 40 pairs.
if have calcurse && [[ -d $work/calcurse-bundled ]]; then
    python3 - "$hallway" "$work" <<'PY'
import statistics, subprocess, sys, time
hallway, work = sys.argv[1], sys.argv[2]
cmds = {
    "hallway print --all": [hallway, "--data-dir", f"{work}/data-bundled", "--cache-dir",
                            f"{work}/cache-bundled", "print", "--all"],
    "calcurse -Q": ["calcurse", "-D", f"{work}/calcurse-bundled", "-Q", "--from",
                    "04/07/2026", "--days", "3"],
}
times = {name: [] for name in cmds}
for i in range(45):
    for name, cmd in cmds.items():
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i >= 5:
            times[name].append(time.perf_counter() - started)
h, c = (statistics.median(times[n]) * 1000 for n in cmds)
print(f"\npaired, bundled calendar, 40 alternating runs: hallway print --all {h:.1f} ms, "
      f"calcurse -Q {c:.1f} ms median: ratio {h / c:.2f}")
PY
fi
