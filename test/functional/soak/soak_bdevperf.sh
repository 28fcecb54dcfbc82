#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Soak test of bdevperf (label "soak", not in the default test command). bdevperf
# runs as a long-lived target on two cores (-z: it waits for perform_tests
# over RPC) with a malloc, a uring and an aio bdev. Cycle after cycle until
# the duration is over: a verify run (odd cycles: verify with periodic
# resets) over every bdev, while a second process sends RPC traffic
# (bdev_get_bdevs, bdev_get_iostat) and, every other cycle, the aio bdev is
# hot-removed during the run and re-created after it. At the end: zero
# verify failures on the bdevs that were not removed, every removed job
# ended with an error, bdevperf exits cleanly on SIGINT, and its resident
# memory in the second half of the run stays within 10 % (+ 8 MiB) of the
# first half. The summary lines are meant for bench/RESULTS.md.
#
# Usage: soak_bdevperf.sh BDEVPERF SOURCE_DIR [seconds (default 600)].
# Exit 0 pass, 1 fail, 77 skip.

set -uo pipefail

bp=${1:?usage: $0 BDEVPERF SOURCE_DIR [seconds]}
src=${2:?usage: $0 BDEVPERF SOURCE_DIR [seconds]}
duration=${3:-600}
bppy=$src/app/bdevperf/bdevperf.py
[ -x "$bp" ] && [ -f "$bppy" ] || exit 77
command -v python3 > /dev/null || exit 77

work=$(mktemp -d /var/tmp/updk_soak.XXXXXX)
sock=$work/rpc.sock
rpc=(python3 "$src/scripts/rpc.py" -s "$sock" -t 30)
pid=
rpcpid=
fails=0

cleanup() {
	[ -n "$rpcpid" ] && kill "$rpcpid" 2> /dev/null
	[ -n "$pid" ] && kill -KILL "$pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

truncate -s 64M "$work/u.img" "$work/a.img"
cat > "$work/config.json" << JSON
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_malloc_create","params":{"name":"Malloc0","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_uring_create","params":{"name":"U0","filename":"$work/u.img","block_size":4096}},
 {"method":"bdev_aio_create","params":{"name":"A0","filename":"$work/a.img","block_size":4096}}
]}]}
JSON

"$bp" --json "$work/config.json" -m 0x3 -z -r "$sock" > "$work/bp.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -S "$sock" ] && break
	sleep 0.1
done
[ -S "$sock" ] || { fail "bdevperf did not start"; cat "$work/bp.log"; exit 1; }

# The second process: RPC traffic for the whole run.
python3 - "$sock" > "$work/rpc_traffic.log" 2>&1 << 'PY' &
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
dec = json.JSONDecoder()
buf, n, errors = "", 0, 0
while True:
    for method in ("bdev_get_bdevs", "bdev_get_iostat"):
        n += 1
        s.sendall(json.dumps({"jsonrpc": "2.0", "id": n, "method": method}).encode())
        while True:
            try:
                r, end = dec.raw_decode(buf.lstrip())
                buf = buf.lstrip()[end:]
                break
            except ValueError:
                data = s.recv(1 << 20)
                if not data:
                    print("calls %d errors %d" % (n, errors))
                    sys.exit(0)
                buf += data.decode()
        if "error" in r:
            errors += 1
    if n % 200 == 0:
        print("calls %d errors %d" % (n, errors), flush=True)
    time.sleep(0.01)
PY
rpcpid=$!

rss() {
	awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2> /dev/null
}

start=$SECONDS
cycle=0
runs=0
verified_ios=0
removals=0
rss_list=()
while [ $((SECONDS - start)) -lt "$duration" ]; do
	cycle=$((cycle + 1))
	workload=verify
	[ $((cycle % 2)) -eq 1 ] && workload=reset
	remove=$((cycle % 2 == 0))
	timeout 120 python3 "$bppy" -s "$sock" perform_tests -q 32 -o 4096 -t 10 -w "$workload" \
		> "$work/result.json" 2> "$work/client.err" &
	client=$!
	if [ "$remove" -eq 1 ]; then
		sleep 4
		"${rpc[@]}" bdev_aio_delete A0 > "$work/rpc.out" 2>&1 ||
			fail "cycle $cycle: bdev_aio_delete: $(cat "$work/rpc.out")"
		removals=$((removals + 1))
	fi
	if ! wait "$client"; then
		fail "cycle $cycle: perform_tests: $(cat "$work/client.err")"
		break
	fi
	runs=$((runs + 1))
	if ! python3 - "$work/result.json" "$remove" > "$work/check.out" 2>&1 << 'PY'; then
import json, sys
res = json.load(open(sys.argv[1]))
removed = sys.argv[2] == "1"
total = 0
bad = []
for r in res["results"]:
    if r["job"] == "A0" and removed:
        if r["status"] != "failed":
            bad.append("A0 removed but status %s" % r["status"])
        continue
    if r["status"] != "finished" or r["io_failed"] != 0:
        bad.append("%s: status %s, %d failed I/O" % (r["job"], r["status"], r["io_failed"]))
    total += int(r["iops"] * r["runtime"])
print(total)
if bad:
    print("; ".join(bad))
    sys.exit(1)
PY
		fail "cycle $cycle ($workload): $(cat "$work/check.out")"
	else
		verified_ios=$((verified_ios + $(head -n 1 "$work/check.out")))
	fi
	if [ "$remove" -eq 1 ]; then
		"${rpc[@]}" bdev_aio_create "$work/a.img" A0 4096 > "$work/rpc.out" 2>&1 ||
			fail "cycle $cycle: bdev_aio_create: $(cat "$work/rpc.out")"
	fi
	rss_list+=("$(rss)")
done

kill "$rpcpid" 2> /dev/null
wait "$rpcpid" 2> /dev/null
rpcpid=
kill -INT "$pid"
for _ in $(seq 300); do
	kill -0 "$pid" 2> /dev/null || break
	sleep 0.1
done
if kill -0 "$pid" 2> /dev/null; then
	fail "bdevperf did not exit 30 s after SIGINT"
	kill -ABRT "$pid"
	sleep 1
fi
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "bdevperf exited with $rc"
if grep -Eq "Sanitizer|runtime error|leaked|still has a channel|Unexpected completion" \
	"$work/bp.log"; then
	fail "problems reported by bdevperf:"
	grep -E -A5 "Sanitizer|runtime error|leaked|still has a channel|Unexpected completion" \
		"$work/bp.log" | head -40
fi

n=${#rss_list[@]}
half=$((n / 2))
first_max=0
second_max=0
for ((i = 0; i < n; i++)); do
	v=${rss_list[$i]:-0}
	if [ "$i" -lt "$half" ]; then
		[ "$v" -gt "$first_max" ] && first_max=$v
	else
		[ "$v" -gt "$second_max" ] && second_max=$v
	fi
done
# A sanitizer's quarantine holds freed memory back by design: no RSS check.
if [ -n "${UPDK_SANITIZED:-}" ]; then
	echo "soak: sanitized build, RSS not checked"
elif [ "$n" -ge 4 ] && [ "$second_max" -gt $((first_max * 110 / 100 + 8192)) ]; then
	fail "memory grew: first half max ${first_max} KiB, second half max ${second_max} KiB"
fi
echo "soak: ${duration} s, $runs runs ($((runs - removals)) verify/reset-only, $removals with" \
	"a hot-remove and re-create of A0), $verified_ios I/O verified, failures $fails"
echo "soak: RSS first half max ${first_max} KiB, second half max ${second_max} KiB;" \
	"RPC traffic: $(tail -n 1 "$work/rpc_traffic.log")"
[ "$fails" -eq 0 ] && echo PASS || exit 1
