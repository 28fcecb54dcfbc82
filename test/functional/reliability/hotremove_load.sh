#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Hot-remove under load. bdevperf drives, at queue depth 128 on two cores
# (-C: one job per core on every bdev; -f: failed I/O do not end the run), a
# passthru, a delay and an error bdev (each over its own malloc base), a plain
# malloc bdev, and a malloc bdev that stays. During the run, over RPC: the base under the passthru bdev is
# deleted (the removal must travel up), the delay bdev is deleted, pending
# I/O is injected into the error bdev and the error bdev is deleted (the
# pending I/O must complete), then the delay's now-free base and the plain
# malloc bdev are deleted. Every delete must answer true (the bdev layer
# answers only after the bdev is destroyed, so after its last close), every
# job on a removed bdev must end with an error on both cores, the job that
# stays must not, bdevperf must end by itself within its bound, and with
# sanitizers nothing may be reported (leaks included).
#
# Usage: hotremove_load.sh BDEVPERF SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip.

set -uo pipefail

bp=${1:?usage: $0 BDEVPERF SOURCE_DIR}
src=${2:?usage: $0 BDEVPERF SOURCE_DIR}
[ -x "$bp" ] || exit 77
command -v python3 > /dev/null || exit 77

work=$(mktemp -d /tmp/updk_hotremove.XXXXXX)
sock=$work/rpc.sock
rpc=(python3 "$src/scripts/rpc.py" -s "$sock" -t 20)
pid=
fails=0

cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

cat > "$work/config.json" << 'JSON'
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_malloc_create","params":{"name":"M0","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M1","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M2","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M3","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"Keep","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_passthru_create","params":{"base_bdev_name":"M0","name":"P0"}},
 {"method":"bdev_delay_create","params":{"base_bdev_name":"M1","name":"D1",
  "avg_read_latency":50,"p99_read_latency":500,"avg_write_latency":80,"p99_write_latency":800}},
 {"method":"bdev_error_create","params":{"base_name":"M2"}}
]}]}
JSON

"$bp" --json "$work/config.json" -m 0x3 -C -f -q 128 -o 4096 -w randrw -M 50 -t 20 -r "$sock" \
	> "$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "Running I/O" "$work/out" && break
	sleep 0.1
done
grep -q "Running I/O" "$work/out" || fail "bdevperf did not start"
sleep 1

step() {
	local what=$1
	shift
	if ! "${rpc[@]}" "$@" > "$work/rpc.out" 2>&1; then
		fail "$what: $(cat "$work/rpc.out")"
	else
		echo "ok   $what"
	fi
}

step "inject pending I/O into EE_M2" bdev_error_inject_error EE_M2 all pending -n 64
sleep 0.3
step "delete the base M0 under passthru P0" bdev_malloc_delete M0
step "delete the delay bdev D1" bdev_delay_delete D1
step "delete the error bdev EE_M2 holding pending I/O" bdev_error_delete EE_M2
step "delete M1, released by D1" bdev_malloc_delete M1
step "delete the plain malloc bdev M3" bdev_malloc_delete M3
if "${rpc[@]}" bdev_get_bdevs > "$work/bdevs.json" 2> "$work/rpc.out"; then
	names=$(python3 -c 'import json,sys; print(" ".join(sorted(b["name"] for b in json.load(open(sys.argv[1])))))' "$work/bdevs.json")
	[ "$names" = "Keep M2" ] && echo "ok   only Keep and M2 are left" ||
		fail "bdevs left: '$names', expected 'Keep M2'"
else
	fail "bdev_get_bdevs: $(cat "$work/rpc.out")"
fi

# bdevperf ends by itself after -t 20 (long enough for the removals above even
# on a loaded machine); give it a generous bound.
for _ in $(seq 450); do
	kill -0 "$pid" 2> /dev/null || break
	sleep 0.1
done
if kill -0 "$pid" 2> /dev/null; then
	fail "bdevperf still running 45 s after the removals"
	kill -ABRT "$pid"
	sleep 1
fi
wait "$pid"
rc=$?
pid=
if [ "$rc" -gt 128 ] && [ "$rc" -ne 251 ]; then
	fail "bdevperf died with status $rc"
fi
for b in P0 D1 EE_M2 M3; do
	n=$(grep -c "^Job: $b ended in about [0-9.]* seconds with error$" "$work/out")
	[ "$n" -eq 2 ] && echo "ok   both jobs on $b saw the removal" ||
		fail "$n of 2 jobs on $b ended with an error"
done
grep -q "^Job: Keep ended" "$work/out" && fail "a job on Keep ended early"
if grep -Eq "Sanitizer|runtime error|leaked|Unexpected completion" "$work/out"; then
	fail "problems reported:"
	grep -E -A5 "Sanitizer|runtime error|leaked|Unexpected completion" "$work/out" | head -60
fi
if [ "$fails" -ne 0 ]; then
	echo "--- bdevperf output ---"
	tail -60 "$work/out"
	exit 1
fi
echo PASS
