#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Shutdown never hangs and never hides a leak. Three cases, each a real
# process that gets SIGTERM and must be gone within a bound:
#  1. bdevperf at queue depth 128 on two cores over malloc, passthru, delay
#     and error bdevs, signalled mid-run: it must finish its I/O and exit;
#     then again with I/O held pending in the error bdev, so that bdevperf's
#     own shutdown can never finish: the framework's shutdown deadline (20 s,
#     counted from the signal) must end the process and name the threads and
#     channels that were left;
#  2. updk_tgt signalled while it creates bdevs: first while its JSON config
#     is being applied, then while an RPC client creates and deletes virtual
#     bdevs in a loop;
#  3. leak_channel, a module whose thread keeps a channel and never exits:
#     the process must still exit, and name the thread and the device.
# With sanitizers, no report (leaks included) may appear in any output.
#
# Usage: shutdown.sh BDEVPERF UPDK_TGT LEAK_CHANNEL SOURCE_DIR.
# Exit 0 pass, 1 fail, 77 skip.

set -uo pipefail

bp=${1:?usage}
tgt=${2:?usage}
leak=${3:?usage}
src=${4:?usage}
for x in "$bp" "$tgt" "$leak"; do
	[ -x "$x" ] || exit 77
done
command -v python3 > /dev/null || exit 77

work=$(mktemp -d /tmp/updk_shutdown.XXXXXX)
sock=$work/rpc.sock
pid=
fails=0
bound=30

cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

# wait_gone WHAT LOG: wait up to $bound s for $pid, then check status and log.
wait_gone() {
	local what=$1 log=$2 rc i
	for ((i = 0; i < bound * 10; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2> /dev/null; then
		fail "$what: still running $bound s after SIGTERM"
		kill -ABRT "$pid"
		sleep 1
	fi
	wait "$pid"
	rc=$?
	pid=
	case $rc in
	132 | 134 | 135 | 136 | 137 | 139) fail "$what: died with status $rc" ;;
	esac
	if grep -Eq "Sanitizer|runtime error" "$log"; then
		fail "$what: sanitizer report"
		grep -E -A10 "Sanitizer|runtime error" "$log" | head -40
	fi
	echo "ok   $what: exited with $rc"
}

# ---- 1. heavy I/O ----
cat > "$work/io.json" << 'JSON'
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_malloc_create","params":{"name":"M0","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M1","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M2","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"M3","num_blocks":16384,"block_size":4096}},
 {"method":"bdev_passthru_create","params":{"base_bdev_name":"M0","name":"P0"}},
 {"method":"bdev_delay_create","params":{"base_bdev_name":"M1","name":"D1",
  "avg_read_latency":100,"p99_read_latency":1000,"avg_write_latency":100,"p99_write_latency":1000}},
 {"method":"bdev_error_create","params":{"base_name":"M2"}}
]}]}
JSON
run_bdevperf() {
	rm -f "$sock"
	"$bp" --json "$work/io.json" -m 0x3 -C -f -q 128 -o 4096 -w randrw -M 50 -t 60 \
		-r "$sock" > "$work/bp.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		grep -q "Running I/O" "$work/bp.log" && break
		sleep 0.1
	done
}

run_bdevperf
sleep 1
kill -TERM "$pid"
start=$SECONDS
wait_gone "bdevperf under load" "$work/bp.log"
[ $((SECONDS - start)) -le 10 ] || fail "bdevperf took $((SECONDS - start)) s to stop"
grep -q "did not exit during shutdown" "$work/bp.log" && fail "bdevperf left threads behind"

run_bdevperf
python3 "$src/scripts/rpc.py" -s "$sock" -t 10 bdev_error_inject_error EE_M2 all pending -n 32 ||
	fail "inject pending"
sleep 1
kill -TERM "$pid"
wait_gone "bdevperf with I/O stuck in the error bdev" "$work/bp.log"
grep -q "thread EE_M2 still has a channel for io_device EE_M2" "$work/bp.log" &&
	echo "ok   the stuck thread and its channels are named" ||
	fail "the stuck thread and its channels are not named"

# ---- 2a. while the JSON config creates bdevs ----
python3 - "$work/many.json" << 'PY'
import json, sys
cfg = []
for i in range(60):
    cfg.append({"method": "bdev_malloc_create",
                "params": {"name": "M%d" % i, "num_blocks": 2048, "block_size": 4096}})
    kind = i % 3
    if kind == 0:
        cfg.append({"method": "bdev_passthru_create",
                    "params": {"base_bdev_name": "M%d" % i, "name": "P%d" % i}})
    elif kind == 1:
        cfg.append({"method": "bdev_delay_create",
                    "params": {"base_bdev_name": "M%d" % i, "name": "D%d" % i,
                               "avg_read_latency": 1, "p99_read_latency": 1,
                               "avg_write_latency": 1, "p99_write_latency": 1}})
    else:
        cfg.append({"method": "bdev_error_create", "params": {"base_name": "M%d" % i}})
json.dump({"subsystems": [{"subsystem": "bdev", "config": cfg}]}, open(sys.argv[1], "w"))
PY
for delay in 0.01 0.05 0.2; do
	rm -f "$sock"
	"$tgt" -m 0x3 -r "$sock" -c "$work/many.json" > "$work/tgt.log" 2>&1 &
	pid=$!
	sleep "$delay"
	kill -TERM "$pid"
	wait_gone "updk_tgt during config load (SIGTERM after $delay s)" "$work/tgt.log"
done

# ---- 2b. while RPCs create and delete bdevs ----
rm -f "$sock"
"$tgt" -m 0x3 -r "$sock" > "$work/tgt2.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -S "$sock" ] && break
	sleep 0.1
done
python3 - "$sock" > "$work/client.log" 2>&1 << 'PY' &
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
dec = json.JSONDecoder()
buf = ""
n = 0
def call(method, params):
    global buf, n
    n += 1
    s.sendall(json.dumps({"jsonrpc": "2.0", "id": n, "method": method,
                          "params": params}).encode())
    while True:
        try:
            r, end = dec.raw_decode(buf.lstrip())
            buf = buf.lstrip()[end:]
            return r
        except ValueError:
            data = s.recv(65536)
            if not data:
                sys.exit(0)
            buf += data.decode()
try:
    for i in range(100000):
        call("bdev_malloc_create", {"name": "B%d" % i, "num_blocks": 1024, "block_size": 4096})
        call("bdev_passthru_create", {"base_bdev_name": "B%d" % i, "name": "PB%d" % i})
        if i % 2:
            call("bdev_passthru_delete", {"name": "PB%d" % i})
            call("bdev_malloc_delete", {"name": "B%d" % i})
except (OSError, ConnectionError):
    pass
PY
client=$!
sleep 1
kill -TERM "$pid"
wait_gone "updk_tgt during RPC bdev creation" "$work/tgt2.log"
kill "$client" 2> /dev/null
wait "$client" 2> /dev/null

# ---- 3. a leaked channel ----
"$leak" > "$work/leak.log" 2>&1 &
pid=$!
wait_gone "leak_channel" "$work/leak.log"
grep -q "returned rc=" "$work/leak.log" || fail "leak_channel: spdk_app_start did not return"
grep -q "returned rc=0" "$work/leak.log" && fail "leak_channel: the leak did not change the rc"
grep -q "thread leaky_thread still has a channel for io_device leaky_device" "$work/leak.log" &&
	echo "ok   the leaked channel is named (thread and device)" ||
	fail "leak_channel: the leaked channel is not named"

if [ "$fails" -ne 0 ]; then
	for f in "$work"/*.log; do
		echo "--- $f ---"
		tail -30 "$f"
	done
	exit 1
fi
echo PASS
