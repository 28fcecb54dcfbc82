#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# bdevperf vs fio: runs updk's bdevperf on a null and a 256 MiB malloc bdev
# (4 KiB randread and randwrite, queue depths 1, 32 and 128, one core and two
# cores) and fio's null engine with the same workloads pinned to the same
# core, several times each, interleaved so that every round measures every
# configuration under the same machine conditions. It then writes:
#
#   bench/bdevperf_fio.tsv    every measurement (round, target, cores, rw, qd, IOPS)
#   bench/bdevperf_fio.png    IOPS against queue depth per target (gnuplot)
#   bench/RESULTS.md          the section "bdevperf vs fio" (medians, ratios
#                             computed round by round, targets, the machine,
#                             the date and the exact commands), replacing
#                             only that section; bench/bdevperf_profile.md, the
#                             profiling notes, is included in it verbatim.
#
# Usage: bench/run_bench.sh [build dir]   (default build-perf, a Release build)
# Environment: RUNS (rounds, default 5), TIME (seconds per run, default 3),
#              QDS (default "1 32 128"), CORE0/CORE1 (CPUs, default 0 and 1).

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-perf}
BDEVPERF=$BUILD/app/bdevperf/bdevperf
RUNS=${RUNS:-5}
TIME=${TIME:-3}
QDS=${QDS:-1 32 128}
CORE0=${CORE0:-0}
CORE1=${CORE1:-1}
OUT=$ROOT/bench
TSV=$OUT/bdevperf_fio.tsv
PNG=$OUT/bdevperf_fio.png
RESULTS=$OUT/RESULTS.md
NOTES=$OUT/bdevperf_profile.md

die() {
	echo "run_bench: $*" >&2
	exit 1
}

[[ -x $BDEVPERF ]] || die "no bdevperf at $BDEVPERF (build with: cmake -S . -B build-perf -DCMAKE_BUILD_TYPE=Release && cmake --build build-perf)"
command -v fio >/dev/null || die "fio is missing (scripts/pkgdep.sh installs it)"
command -v gnuplot >/dev/null || die "gnuplot is missing (scripts/pkgdep.sh installs gnuplot-nox)"
command -v python3 >/dev/null || die "python3 is missing"

TMP=$(mktemp -d /tmp/run_bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# 256 MiB disks of 4 KiB blocks.
for kind in null malloc; do
	if [[ $kind == null ]]; then
		method=bdev_null_create
		name=Null0
	else
		method=bdev_malloc_create
		name=Malloc0
	fi
	cat >"$TMP/$kind.json" <<-EOF
	{"subsystems":[{"subsystem":"bdev","config":[
	 {"method":"$method","params":{"name":"$name","num_blocks":65536,"block_size":4096}}
	]}]}
	EOF
done

mask_of() {
	if [[ $1 == 1 ]]; then
		printf '0x%x' $((1 << CORE0))
	else
		printf '0x%x' $(((1 << CORE0) | (1 << CORE1)))
	fi
}

# The command of one configuration, as the results list it.
bdevperf_cmd() {
	local kind=$1 cores=$2 rw=$3 qd=$4 extra=""
	[[ $cores == 2 ]] && extra=" -C"
	echo "bdevperf --json $kind.json -m $(mask_of "$cores")$extra -q $qd -o 4096 -w $rw -t $TIME"
}

fio_cmd() {
	local cores=$1 rw=$2 qd=$3 cpus=$CORE0
	[[ $cores == 2 ]] && cpus="$CORE0,$CORE1"
	echo "fio --name=null --ioengine=null --rw=$rw --bs=4k --size=256m --iodepth=$qd" \
		"--numjobs=$cores --cpus_allowed=$cpus --cpus_allowed_policy=split --norandommap" \
		"--randrepeat=0 --time_based --runtime=$TIME --group_reporting --output-format=json"
}

run_bdevperf() {
	local kind=$1 cores=$2 rw=$3 qd=$4 cmd
	cmd=$(bdevperf_cmd "$kind" "$cores" "$rw" "$qd")
	cmd=${cmd/#bdevperf /$BDEVPERF }
	cmd=${cmd/ $kind.json / $TMP/$kind.json }
	# shellcheck disable=SC2086
	if ! /usr/bin/time -f "%U %S" -o "$TMP/cpu" $cmd >"$TMP/out" 2>"$TMP/err"; then
		echo "run_bench: failed: $cmd" >&2
		cat "$TMP/err" >&2
		echo -e "nan\tnan"
		return
	fi
	echo -e "$(awk -F: '/^\r Total/ { split($2, f, " "); print f[1] }' "$TMP/out")\t$(cpu_s)"
}

# The machine's own ceiling for two cores: two independent one-core bdevperf
# processes on CORE0 and CORE1 at the same time, nothing shared between them
# but the machine. Prints the sum of their IOPS and of their CPU seconds.
run_bdevperf_pair() {
	local kind=$1 rw=$2 qd=$3 c cmd pids=() rc=0
	for c in 0 1; do
		cmd=$(bdevperf_cmd "$kind" 1 "$rw" "$qd")
		cmd=${cmd/#bdevperf /$BDEVPERF }
		cmd=${cmd/ $kind.json / $TMP/$kind.json }
		[[ $c == 1 ]] && cmd=${cmd/-m $(mask_of 1)/-m $(printf '0x%x' $((1 << CORE1)))}
		# shellcheck disable=SC2086
		/usr/bin/time -f "%U %S" -o "$TMP/cpu.$c" $cmd -r "$TMP/pair$c.sock" \
			>"$TMP/out.$c" 2>"$TMP/err.$c" &
		pids+=($!)
	done
	for c in 0 1; do
		wait "${pids[$c]}" || rc=1
	done
	if [[ $rc != 0 ]]; then
		echo "run_bench: failed: a pair of one-core bdevperf runs ($kind $rw qd $qd)" >&2
		cat "$TMP/err.0" "$TMP/err.1" >&2
		echo -e "nan\tnan"
		return
	fi
	echo -e "$(awk -F: '/^\r Total/ { split($2, f, " "); s += f[1] } END { printf "%.2f", s }' \
		"$TMP/out.0" "$TMP/out.1")\t$(awk '{ s += $1 + $2 } END { printf "%.3f", s }' \
		"$TMP/cpu.0" "$TMP/cpu.1")"
}

# CPU seconds (user + system) of the last run.
cpu_s() {
	awk '{ printf "%.3f", $1 + $2 }' "$TMP/cpu"
}

run_fio() {
	local cores=$1 rw=$2 qd=$3 cmd
	cmd=$(fio_cmd "$cores" "$rw" "$qd")
	# shellcheck disable=SC2086
	if ! /usr/bin/time -f "%U %S" -o "$TMP/cpu" $cmd >"$TMP/fio.json" 2>"$TMP/err"; then
		echo "run_bench: failed: $cmd" >&2
		echo -e "nan\tnan"
		return
	fi
	echo -e "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"][0]; print(j[sys.argv[2]]["iops"])' \
		"$TMP/fio.json" "${rw#rand}")\t$(cpu_s)"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
export LOAD_BEFORE
echo -e "round\ttarget\tcores\trw\tqd\tiops\tcpu_s" >"$TSV"
for round in $(seq "$RUNS"); do
	for qd in $QDS; do
		for rw in randread randwrite; do
			for cores in 1 2; do
				for kind in null malloc; do
					iops=$(run_bdevperf "$kind" "$cores" "$rw" "$qd")
					echo -e "$round\tupdk-$kind\t$cores\t$rw\t$qd\t$iops" >>"$TSV"
					echo "round $round: updk $kind ${cores}c $rw qd $qd: ${iops%%$'\t'*} IOPS"
				done
				if [[ $cores == 2 && $qd == "${QDS##* }" ]]; then
					iops=$(run_bdevperf_pair null "$rw" "$qd")
					echo -e "$round\tupdk-null-pair\t2\t$rw\t$qd\t$iops" >>"$TSV"
					echo "round $round: two one-core updk null processes $rw qd $qd: ${iops%%$'\t'*} IOPS"
				fi
				iops=$(run_fio "$cores" "$rw" "$qd")
				echo -e "$round\tfio-null\t$cores\t$rw\t$qd\t$iops" >>"$TSV"
				echo "round $round: fio null ${cores}c $rw qd $qd: ${iops%%$'\t'*} IOPS"
			done
		done
	done
done

# Medians, round-by-round ratios, the plot data and the Markdown section.
BDEVPERF_CMD_1=$(bdevperf_cmd '<kind>' 1 '<randread|randwrite>' '<qd>')
BDEVPERF_CMD_2=$(bdevperf_cmd '<kind>' 2 '<randread|randwrite>' '<qd>')
FIO_CMD_1=$(fio_cmd 1 '<randread|randwrite>' '<qd>')
FIO_CMD_2=$(fio_cmd 2 '<randread|randwrite>' '<qd>')
export BDEVPERF_CMD_1 BDEVPERF_CMD_2 FIO_CMD_1 FIO_CMD_2
python3 - "$TSV" "$TMP" "$RESULTS" "$NOTES" "$TIME" "$RUNS" <<'EOF'
import collections, datetime, math, os, platform, statistics, subprocess, sys

tsv, tmp, results, notes, run_time, runs = sys.argv[1:7]
rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
data = collections.defaultdict(dict)  # (target, cores, rw, qd) -> {round: iops}
percpu = collections.defaultdict(dict)  # the same, per CPU second the process used
for rnd, target, cores, rw, qd, iops, cpu in rows:
    key = (target, int(cores), rw, int(qd))
    data[key][int(rnd)] = float(iops)
    # I/O done over the CPU time used: robust against other load on the machine.
    percpu[key][int(rnd)] = float(iops) * float(run_time) / float(cpu) if float(cpu) > 0 else float("nan")

def med(key, src=None):
    v = [x for x in (src or data).get(key, {}).values() if not math.isnan(x)]
    return statistics.median(v) if v else float("nan")

def ratio(a, b):
    """Median of the per-round ratios a/b (rounds ran back to back)."""
    da, db = data.get(a, {}), data.get(b, {})
    r = [da[k] / db[k] for k in da if k in db and db[k] > 0 and not math.isnan(da[k])]
    return statistics.median(r) if r else float("nan")

def m(x):
    return "n/a" if math.isnan(x) else f"{x / 1e6:.2f} M"

qds = sorted({k[3] for k in data})
targets = ["updk-null", "updk-malloc", "fio-null"]

# Plot data: one file per (rw), columns qd then each target/cores median.
cols = [(t, c) for t in targets for c in (1, 2)]
for rw in ("randread", "randwrite"):
    with open(os.path.join(tmp, f"{rw}.dat"), "w") as f:
        f.write("# qd " + " ".join(f"{t}-{c}c" for t, c in cols) + "\n")
        for qd in qds:
            f.write(f"{qd} " + " ".join(f"{med((t, c, rw, qd)) / 1e6:.4f}" for t, c in cols) + "\n")

cpu = "unknown"
try:
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
except OSError:
    pass
mem = "unknown"
try:
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) // 1024} MiB"
except OSError:
    pass
fio_ver = subprocess.run(["fio", "--version"], capture_output=True, text=True).stdout.strip()

out = []
out.append("## bdevperf vs fio\n")
out.append(f"Generated by `bench/run_bench.sh` on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M %Z').strip()}.")
out.append(f"Machine: {cpu}, {os.cpu_count()} CPUs, {mem} RAM, Linux {platform.release()}; {fio_ver}.")
load_after = open("/proc/loadavg").read().split()[:3]
out.append(f"Load average before the runs: {os.environ.get('LOAD_BEFORE', '?')}; after: {' '.join(load_after)}")
out.append("(anything above 0 means other work shared the CPUs, see the per-CPU-second table).")
out.append(f"Each configuration ran {runs} times for {run_time} s, in interleaved rounds; the table shows")
out.append("medians. Ratios are computed round by round (each pair of runs ran back to back) and")
out.append("the median of those ratios is shown. 4 KiB I/O, 256 MiB disks.\n")
out.append("![IOPS against queue depth](bdevperf_fio.png)\n")
out.append("| workload | QD | updk null 1c | updk null 2c | 2c/1c | updk malloc 1c | updk malloc 2c | 2c/1c | fio null 1c | fio null 2c | updk null / fio (1c) |")
out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for rw in ("randread", "randwrite"):
    for qd in qds:
        n1, n2 = ("updk-null", 1, rw, qd), ("updk-null", 2, rw, qd)
        m1, m2 = ("updk-malloc", 1, rw, qd), ("updk-malloc", 2, rw, qd)
        f1, f2 = ("fio-null", 1, rw, qd), ("fio-null", 2, rw, qd)
        out.append(f"| {rw} | {qd} | {m(med(n1))} | {m(med(n2))} | {ratio(n2, n1):.2f} | "
                   f"{m(med(m1))} | {m(med(m2))} | {ratio(m2, m1):.2f} | {m(med(f1))} | "
                   f"{m(med(f2))} | {ratio(n1, f1):.2f} |")
out.append("")
out.append("Per CPU second: I/O completed divided by the CPU time (user + system) the process used,")
out.append("the figure that other load on the machine does not distort (startup included):\n")
out.append("| workload | QD | updk null 1c | updk malloc 1c | fio null 1c | updk null / fio |")
out.append("|---|---:|---:|---:|---:|---:|")
for rw in ("randread", "randwrite"):
    for qd in qds:
        n1, m1, f1 = ("updk-null", 1, rw, qd), ("updk-malloc", 1, rw, qd), ("fio-null", 1, rw, qd)
        da, db = percpu.get(n1, {}), percpu.get(f1, {})
        r = [da[k] / db[k] for k in da if k in db and db[k] > 0 and not math.isnan(da[k])]
        rr = statistics.median(r) if r else float("nan")
        out.append(f"| {rw} | {qd} | {m(med(n1, percpu))} | {m(med(m1, percpu))} | "
                   f"{m(med(f1, percpu))} | {rr:.2f} |")
out.append("")

checks = [
    ("null bdev, 1 core, randread QD 128", med(("updk-null", 1, "randread", 128)), 30e6, "SPDK v23.01: 25-28 M"),
    ("null bdev, 1 core, randwrite QD 128", med(("updk-null", 1, "randwrite", 128)), 30e6, "SPDK v23.01: 25-28 M"),
    ("malloc, 1 core, randread (best QD)", max(med(("updk-malloc", 1, "randread", q)) for q in qds), 2.7e6, "SPDK: 2.5-2.7 M"),
    ("malloc, 1 core, randwrite (best QD)", max(med(("updk-malloc", 1, "randwrite", q)) for q in qds), 4.5e6, "SPDK: 4.2-4.5 M"),
]
out.append("| target | measured | goal | reference | met |")
out.append("|---|---:|---:|---|---|")
for name, val, goal, ref in checks:
    ok = "yes" if not math.isnan(val) and val >= goal else "**no**"
    out.append(f"| {name} | {m(val)} | {m(goal)} | {ref} | {ok} |")
for kind in ("null", "malloc"):
    for rw in ("randread", "randwrite"):
        r = ratio((f"updk-{kind}", 2, rw, max(qds)), (f"updk-{kind}", 1, rw, max(qds)))
        ok = "yes" if not math.isnan(r) and r >= 1.9 else "**no**"
        out.append(f"| {kind} {rw} QD {max(qds)}: 2 cores / 1 core | {r:.2f}x | 1.90x | linear scaling | {ok} |")
out.append("")
out.append("What this machine allows two cores: two independent one-core bdevperf processes (null,")
out.append(f"QD {max(qds)}), one on each core, run at the same time in each round; nothing is shared")
out.append("between them but the machine. When their sum is short of twice one core, the shortfall")
out.append("is the machine's (another guest or the host on the second CPU), not updk's:\n")
out.append("| workload | 1 core | 2 cores, one process | two processes | one process / two processes | two processes / 1 core |")
out.append("|---|---:|---:|---:|---:|---:|")
for rw in ("randread", "randwrite"):
    q = max(qds)
    n1, n2, p2 = ("updk-null", 1, rw, q), ("updk-null", 2, rw, q), ("updk-null-pair", 2, rw, q)
    out.append(f"| {rw} QD {q} | {m(med(n1))} | {m(med(n2))} | {m(med(p2))} | "
               f"{ratio(n2, p2):.2f} | {ratio(p2, n1):.2f}x |")
out.append("")
out.append("Commands (`<kind>.json` creates one 256 MiB bdev: `bdev_null_create` Null0 or")
out.append("`bdev_malloc_create` Malloc0, 65536 blocks of 4096 bytes; `2c` runs add `-C` with `-m 0x3`):\n")
out.append("```")
out.append(os.environ["BDEVPERF_CMD_1"])
out.append(os.environ["BDEVPERF_CMD_2"])
out.append(os.environ["FIO_CMD_1"])
out.append(os.environ["FIO_CMD_2"])
out.append("```\n")
out.append("Raw measurements: `bench/bdevperf_fio.tsv`.\n")
if os.path.exists(notes):
    out.append(open(notes).read().rstrip("\n") + "\n")
section = "\n".join(out)

# Replace only our section (up to the next "## " heading), or append it.
text = open(results).read() if os.path.exists(results) else "# Benchmark results\n"
lines = text.split("\n")
start = next((i for i, l in enumerate(lines) if l.strip() == "## bdevperf vs fio"), None)
if start is None:
    text = text.rstrip("\n") + "\n\n" + section
else:
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    before = "\n".join(lines[:start]).rstrip("\n")
    after = "\n".join(lines[end:])
    text = (before + "\n\n" if before else "") + section + ("\n" + after if after else "")
open(results, "w").write(text.rstrip("\n") + "\n")
print(section)
EOF

gnuplot <<EOF
set terminal pngcairo size 1200,500 noenhanced font ",10"
set output "$PNG"
set multiplot layout 1,2 title "4 KiB random I/O, IOPS by queue depth (medians of $RUNS runs of $TIME s)"
set logscale x 2
set xrange [$(echo "$QDS" | awk '{ print $1 / 1.5 ":" $NF * 1.5 }')]
set xlabel "queue depth"
set ylabel "million IOPS"
set key top left
set grid
set xtics ($(echo "$QDS" | sed 's/\([0-9][0-9]*\)/"\1" \1/g; s/ "/, "/g'))
do for [rw in "randread randwrite"] {
	set title rw
	file = "$TMP/".rw.".dat"
	plot file using 1:2 with linespoints title "updk null 1 core", \
	     file using 1:3 with linespoints title "updk null 2 cores", \
	     file using 1:4 with linespoints title "updk malloc 1 core", \
	     file using 1:5 with linespoints title "updk malloc 2 cores", \
	     file using 1:6 with linespoints title "fio null 1 core", \
	     file using 1:7 with linespoints title "fio null 2 cores"
}
unset multiplot
EOF
echo "run_bench: wrote $RESULTS, $PNG and $TSV"
