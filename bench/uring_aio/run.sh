#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# The uring and aio bdev modules against fio's io_uring and libaio engines:
# same file, same core (taskset), same queue depth, 4 KiB random reads and
# writes, in the same run, interleaved and repeated so that a noisy disk
# hurts every engine alike. CPU per I/O is user + system time of the whole
# process (io_uring's kernel workers included) divided by the I/O done; for
# fio it comes from getrusage(RUSAGE_CHILDREN) around the fio process (fio's
# own figure uses RUSAGE_THREAD and misses those workers; it is printed too).
#
# Two files: a 1 GiB file on the machine's disk (O_DIRECT), and the same file
# on ramfs, which has no O_DIRECT, so that both tools go through the page
# cache and the software path is the limit (needs root for the mount).
#
# usage: bench/uring_aio/run.sh BUILD_DIR [OUT_FILE]
#   env: RUNTIME (s, default 10), REPS (default 3), CORE (default 1),
#        DISK_FILE (default /var/tmp/updk_bench.img), QDS ("32 128")

set -euo pipefail

build=${1:?usage: $0 BUILD_DIR [OUT_FILE]}
out=${2:-/dev/stdout}
runtime=${RUNTIME:-10}
reps=${REPS:-3}
core=${CORE:-1}
disk_file=${DISK_FILE:-/var/tmp/updk_bench.img}
qds=${QDS:-32 128}
bench="$build/bench/uring_aio/file_bench"
ramfs=/mnt/updk_bench_ramfs

[ -x "$bench" ] || { echo "no $bench; build the file_bench target" >&2; exit 1; }
command -v fio > /dev/null || { echo "fio is not installed" >&2; exit 1; }

if [ ! -f "$disk_file" ] || [ "$(stat -c %s "$disk_file")" -ne $((1024 * 1024 * 1024)) ]; then
	# Real data everywhere: reads of never-written blocks would not reach the disk.
	dd if=/dev/urandom of="$disk_file" bs=1M count=1024 oflag=direct status=none
fi

fio_run() {
	# engine rw file qd direct runtime
	python3 - "$@" <<'EOF'
import json, resource, subprocess, sys
eng, rw, path, qd, direct, rt, core = sys.argv[1:8]
cmd = ['taskset', '-c', core, 'fio', '--name=t', '--filename=' + path, '--ioengine=' + eng,
       '--direct=' + direct, '--rw=' + rw, '--bs=4k', '--iodepth=' + qd, '--time_based',
       '--runtime=' + rt, '--output-format=json']
p = subprocess.run(cmd, capture_output=True, text=True, check=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
j = json.loads(p.stdout)['jobs'][0]
r = j['read'] if rw == 'randread' else j['write']
t = j['job_runtime'] / 1000.0
ios = r['total_ios']
cpu = ru.ru_utime + ru.ru_stime
print('engine=fio-%s rw=%s qd=%s bs=4096 iops=%.0f cpu_usr_s=%.3f cpu_sys_s=%.3f '
      'cpu_us_per_io=%.3f fio_thread_cpu_us_per_io=%.3f' %
      (eng, rw, qd, r['iops'], ru.ru_utime, ru.ru_stime, cpu * 1e6 / ios,
       (j['usr_cpu'] + j['sys_cpu']) / 100 * t * 1e6 / ios))
EOF
}

run_set() {
	# label file direct runtime
	local label=$1 file=$2 direct=$3 rt=$4 rep qd rw
	for rep in $(seq "$reps"); do
		for qd in $qds; do
			for rw in randread randwrite; do
				echo "set=$label rep=$rep $(taskset -c "$core" "$bench" -m uring -f "$file" -q "$qd" -w "$rw" -t "$rt" 2>/dev/null | tail -1)"
				echo "set=$label rep=$rep $(fio_run io_uring "$rw" "$file" "$qd" "$direct" "$rt" "$core")"
				echo "set=$label rep=$rep $(taskset -c "$core" "$bench" -m aio -f "$file" -q "$qd" -w "$rw" -t "$rt" 2>/dev/null | tail -1)"
				echo "set=$label rep=$rep $(fio_run libaio "$rw" "$file" "$qd" "$direct" "$rt" "$core")"
			done
		done
	done
}

{
	echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs; runtime ${runtime}s, $reps reps, core $core"
	run_set disk "$disk_file" 1 "$runtime"
	if mkdir -p "$ramfs" && { mountpoint -q "$ramfs" || mount -t ramfs ramfs "$ramfs"; } 2>/dev/null; then
		cp "$disk_file" "$ramfs/bench.img"
		run_set pagecache "$ramfs/bench.img" 0 "$runtime"
		rm -f "$ramfs/bench.img"
		umount "$ramfs" || true
	else
		echo "# page cache set skipped: cannot mount ramfs (not root?)"
	fi
} | tee "$out"
