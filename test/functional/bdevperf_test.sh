#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Functional test of app/bdevperf: option errors (one line plus the usage,
# non-zero exit), the exact layout of the results table on a 1-second malloc
# run, verify passing on malloc and failing on a null bdev (which stores
# nothing), a job file, -C on two cores, -z with perform_tests through
# bdevperf.py and its JSON result, and a bdev deleted over RPC during a -z run
# (its job ends with an error, the other finishes, the process exits 0).
# Exits 0 on pass, 1 on failure, 77 when python3 is missing.
#
# Usage: bdevperf_test.sh <bdevperf binary> <source dir>

set -uo pipefail

BDEVPERF=${1:?usage: $0 <bdevperf binary> <source dir>}
SRC=${2:?usage: $0 <bdevperf binary> <source dir>}
BDEVPERF_PY=$SRC/app/bdevperf/bdevperf.py

command -v python3 >/dev/null || exit 77

TMP=$(mktemp -d /tmp/bdevperf_test.XXXXXX)
SOCK=$TMP/rpc.sock
BP_PID=
fails=0

cleanup() {
	if [[ -n $BP_PID ]] && kill -0 "$BP_PID" 2>/dev/null; then
		kill -KILL "$BP_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

pass() {
	echo "ok: $*"
}

cat > "$TMP/malloc.json" <<'EOF'
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_malloc_create","params":{"name":"Malloc0","num_blocks":8192,"block_size":4096}}
]}]}
EOF
cat > "$TMP/malloc2.json" <<'EOF'
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_malloc_create","params":{"name":"Malloc0","num_blocks":8192,"block_size":4096}},
 {"method":"bdev_malloc_create","params":{"name":"Malloc1","num_blocks":8192,"block_size":4096}}
]}]}
EOF
cat > "$TMP/null.json" <<'EOF'
{"subsystems":[{"subsystem":"bdev","config":[
 {"method":"bdev_null_create","params":{"name":"Null0","num_blocks":8192,"block_size":4096}}
]}]}
EOF

# ---- 1. option errors: one line on stderr, the usage on stdout, exit != 0 ----
check_bad_option() {
	local what=$1
	shift
	"$BDEVPERF" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local rc=$?
	local nerr
	nerr=$(grep -c . "$TMP/err")
	if [[ $rc -eq 0 ]]; then
		fail "$what: exit status 0"
	elif [[ $nerr -ne 1 ]]; then
		fail "$what: expected one line on stderr, got $nerr:"
		cat "$TMP/err" >&2
	elif ! grep -q -- '-q <depth>' "$TMP/out"; then
		fail "$what: no usage printed"
	else
		pass "$what: $(cat "$TMP/err")"
	fi
}
check_bad_option "bad -q" -q abc -o 4096 -w randread -t 1
check_bad_option "zero -q" -q 0 -o 4096 -w randread -t 1
check_bad_option "bad -o" -q 1 -o 4x -w randread -t 1
check_bad_option "bad -w" -q 1 -o 4096 -w sideways -t 1
check_bad_option "missing -t" -q 1 -o 4096 -w randread
check_bad_option "missing -q" -o 4096 -w randread -t 1
check_bad_option "rw without -M" -q 1 -o 4096 -w rw -t 1
check_bad_option "-M over 100" -q 1 -o 4096 -w rw -M 101 -t 1
check_bad_option "bad zipf" -q 1 -o 4096 -w randread -F abc -t 1
check_bad_option "-P without -S" -q 1 -o 4096 -w randread -P 3 -t 1

# ---- the table checker: every column at its width ----
cat > "$TMP/check_table.py" <<'EOF'
import re, sys

text = open(sys.argv[1], newline="").read()
jobs = sys.argv[2].split(",")
lines = text.split("\n")
errors = []

def expect(cond, msg):
    if not cond:
        errors.append(msg)

num = r" *-?[0-9]+\.[0-9]{2}"
def fields(s, widths):
    out = []
    for w in widths:
        f = s[:w]
        expect(len(f) == w and re.fullmatch(num, f), f"field {f!r} is not a %{w}.2f number")
        out.append(float(f) if re.fullmatch(num, f) else 0.0)
        s = s[w + 1:]
    expect(s == "", f"trailing text {s!r}")
    return out

expect(any(l == "Running I/O for %s seconds..." % sys.argv[3] for l in lines), "no Running line")
expect(" " * 96 + "Latency(us)" in lines, "no right-aligned Latency(us) line")
hdr = "\r Device Information          : runtime(s)       IOPS      MiB/s     Fail/s     TO/s    Average        min        max"
expect(hdr in lines, "header row differs")
sep = "\r " + "=" * 115
expect(sep in lines, "no separator of 115 '='")
total = [l for l in lines if l.startswith("\r Total")]
expect(len(total) == 1, "no Total row")
if total:
    t = total[0]
    expect(t[:32] == "\r Total" + " " * 23 + ": ", "Total label misaligned")
    expect(t[32:43] == " " * 11, "runtime field of Total not blank")
    tv = fields(t[43:], [10, 10, 10, 8, 10, 10, 10])
    expect(tv[0] > 0, "Total IOPS is 0")
for job in jobs:
    data = [l for l in lines if l.startswith("\t " + job.ljust(20) + ": ")]
    expect(len(data) == 1, f"no data row for {job}")
    if data:
        v = fields(data[0][2 + 20 + 2:], [10, 10, 10, 10, 8, 10, 10, 10])
        expect(v[1] > 0, f"{job}: IOPS is 0")
        expect(v[5] > 0 and v[6] <= v[5] <= v[7], f"{job}: latency avg/min/max inconsistent")
    hdrs = [l for l in lines if re.fullmatch(r"Job: %s \(Core Mask 0x[0-9a-f]+, workload: [a-z_]+, "
                                               r"(percentage: [0-9]+, )?depth: [0-9]+, IO size: [0-9]+\)" % job, l)]
    expect(len(hdrs) >= 1, f"no Job header line for {job}")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
EOF

run_table_test() {
	local what=$1 jobs=$2 t=$3
	shift 3
	if ! timeout 60 "$BDEVPERF" "$@" >"$TMP/out" 2>"$TMP/err"; then
		fail "$what: exit status $?"
		cat "$TMP/out" "$TMP/err" >&2
		return 1
	fi
	if ! python3 "$TMP/check_table.py" "$TMP/out" "$jobs" "$t" >"$TMP/check" 2>&1; then
		fail "$what: table format: $(tr '\n' ';' <"$TMP/check")"
		cat -A "$TMP/out" | head -40 >&2
		return 1
	fi
	pass "$what"
	return 0
}

# ---- 2. a 1-second malloc randread run prints the exact table ----
run_table_test "malloc randread table" Malloc0 1 \
	--json "$TMP/malloc.json" -q 32 -o 4096 -w randread -t 1 -l &&
	grep -q '^ Latency summary$' "$TMP/out" || fail "-l printed no latency summary"

# ---- 3. verify: passes on malloc, detects the missing data of a null bdev ----
if run_table_test "malloc verify" Malloc0 2 --json "$TMP/malloc.json" -q 16 -o 8k -w verify -t 2; then
	grep -q $'^\t Verification LBA range: start 0x0 length 0x1000$' "$TMP/out" ||
		fail "verify: no Verification LBA range line"
	grep -q 'mismatch' "$TMP/out" && fail "verify on malloc reported a mismatch"
fi
timeout 60 "$BDEVPERF" --json "$TMP/null.json" -q 4 -o 4096 -w verify -t 1 >"$TMP/out" 2>&1
rc=$?
if [[ $rc -ne 0 ]] && grep -q '^Buffer mismatch! Target: Null0' "$TMP/out" &&
	grep -q '^First mismatch in data at LBA' "$TMP/out"; then
	pass "verify on null reports the mismatch and fails"
else
	fail "verify on null bdev: rc $rc, no precise mismatch report"
	cat "$TMP/out" >&2
fi

# ---- 4. job file ----
cat > "$TMP/jobs.ini" <<'EOF'
; two jobs on one bdev, defaults from [global]
[global]
filename=Malloc0
bs=4k
iodepth=8
rw=randrw
rwmixread=70

[job0]
offset=0
length=4096

[job1]
rw=randwrite
EOF
if timeout 60 "$BDEVPERF" --json "$TMP/malloc.json" -j "$TMP/jobs.ini" -t 1 >"$TMP/out" 2>"$TMP/err" &&
	grep -q '^Using job config with 2 jobs$' "$TMP/out" &&
	grep -q '^Job: Malloc0 (Core Mask 0x[0-9a-f]*, workload: randrw, percentage: 70, depth: 8, IO size: 4096)$' "$TMP/out" &&
	grep -q '^Job: Malloc0 (Core Mask 0x[0-9a-f]*, workload: randwrite, depth: 8, IO size: 4096)$' "$TMP/out"; then
	pass "job file"
else
	fail "job file"
	cat "$TMP/out" "$TMP/err" >&2
fi

# ---- 5. -C on two cores: one job per core ----
if [[ $(nproc) -ge 2 ]]; then
	if timeout 60 "$BDEVPERF" --json "$TMP/malloc.json" -m 0x3 -C -q 8 -o 4096 -w randread -t 1 \
		>"$TMP/out" 2>"$TMP/err" &&
		grep -q '^Job: Malloc0 (Core Mask 0x1,' "$TMP/out" &&
		grep -q '^Job: Malloc0 (Core Mask 0x2,' "$TMP/out"; then
		pass "-C -m 0x3 spreads the jobs over both cores"
	else
		fail "-C -m 0x3"
		cat "$TMP/out" "$TMP/err" >&2
	fi
fi

# ---- 6. -z and perform_tests ----
start_server() {
	"$BDEVPERF" --json "$1" -z -r "$SOCK" >"$TMP/server.out" 2>"$TMP/server.err" &
	BP_PID=$!
	for _ in $(seq 100); do
		[[ -S $SOCK ]] && return 0
		kill -0 "$BP_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "bdevperf -z did not open $SOCK"
	cat "$TMP/server.out" "$TMP/server.err" >&2
	return 1
}

stop_server() {
	local what=$1 rc
	kill -INT "$BP_PID"
	for _ in $(seq 100); do
		kill -0 "$BP_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$BP_PID" 2>/dev/null; then
		fail "$what: bdevperf did not exit after SIGINT"
		return 1
	fi
	wait "$BP_PID"
	rc=$?
	BP_PID=
	if [[ $rc -ne 0 ]]; then
		fail "$what: bdevperf exited with $rc"
		cat "$TMP/server.out" "$TMP/server.err" >&2
		return 1
	fi
	return 0
}

cat > "$TMP/check_json.py" <<'EOF'
import json, sys

res = json.load(open(sys.argv[1]))
want = dict(a.split("=") for a in sys.argv[2:])
keys = ["job", "core_mask", "workload", "status", "queue_depth", "io_size", "runtime", "iops",
        "mibps", "io_failed", "io_timeout", "avg_latency_us", "min_latency_us", "max_latency_us"]
assert set(res) == {"results", "core_count"}, f"top-level keys {sorted(res)}"
assert isinstance(res["core_count"], int) and res["core_count"] >= 1
jobs = {r["job"]: r for r in res["results"]}
assert set(jobs) == set(want), f"jobs {sorted(jobs)} != {sorted(want)}"
for name, status in want.items():
    r = jobs[name]
    missing = [k for k in keys if k not in r]
    assert not missing, f"{name}: missing keys {missing}"
    assert r["status"] == status, f"{name}: status {r['status']} != {status}"
    assert r["core_mask"].startswith("0x")
    if status == "finished":
        assert r["iops"] > 0 and r["io_failed"] == 0, f"{name}: {r}"
EOF

if start_server "$TMP/malloc.json"; then
	if timeout 60 python3 "$BDEVPERF_PY" -s "$SOCK" perform_tests -q 16 -o 4096 -t 1 -w randread \
		>"$TMP/result.json" 2>"$TMP/client.err" &&
		python3 "$TMP/check_json.py" "$TMP/result.json" Malloc0=finished 2>"$TMP/check"; then
		pass "perform_tests returns the JSON result"
	else
		fail "perform_tests: $(cat "$TMP/client.err" "$TMP/check")"
		cat "$TMP/result.json" >&2
	fi
	# A second run with other parameters reuses the same process.
	if timeout 60 python3 "$BDEVPERF_PY" -s "$SOCK" perform_tests -q 4 -o 8k -t 1 -w randwrite \
		>"$TMP/result.json" 2>"$TMP/client.err" &&
		grep -q '"io_size": 8192' "$TMP/result.json"; then
		pass "second perform_tests with new parameters"
	else
		fail "second perform_tests: $(cat "$TMP/client.err")"
	fi
	if python3 "$BDEVPERF_PY" -s "$SOCK" perform_tests -w rw -t 1 >/dev/null 2>"$TMP/client.err"; then
		fail "perform_tests accepted rw without a read percentage"
	else
		pass "perform_tests refuses bad parameters: $(cat "$TMP/client.err")"
	fi
	stop_server "perform_tests" && pass "bdevperf -z exits cleanly on SIGINT"
fi

# ---- 7. a bdev deleted during a run ----
rpc_delete() {
	if [[ -x $SRC/scripts/rpc.py ]]; then
		python3 "$SRC/scripts/rpc.py" -s "$SOCK" bdev_malloc_delete "$1"
	else
		python3 - "$SOCK" "$1" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "bdev_malloc_delete",
                      "params": {"name": sys.argv[2]}}).encode())
r = json.JSONDecoder().raw_decode(s.recv(65536).decode())[0]
sys.exit(0 if r.get("result") is True else 1)
EOF
	fi
}

if start_server "$TMP/malloc2.json"; then
	timeout 60 python3 "$BDEVPERF_PY" -s "$SOCK" perform_tests -q 32 -o 4096 -t 4 -w randread \
		>"$TMP/result.json" 2>"$TMP/client.err" &
	client=$!
	sleep 1.5
	if ! rpc_delete Malloc0 >"$TMP/rpc.out" 2>&1; then
		fail "bdev_malloc_delete Malloc0 failed: $(cat "$TMP/rpc.out")"
	fi
	if wait "$client" && python3 "$TMP/check_json.py" "$TMP/result.json" \
		Malloc0=failed Malloc1=finished 2>"$TMP/check"; then
		pass "removed bdev: its job failed, the other finished"
	else
		fail "removed bdev: $(cat "$TMP/client.err" "$TMP/check")"
		cat "$TMP/result.json" >&2
	fi
	grep -q '^Job: Malloc0 ended in about [0-9.]* seconds with error$' "$TMP/server.out" ||
		fail "removed bdev: no 'ended ... with error' line"
	stop_server "removed bdev" && pass "bdevperf exits cleanly after the removal"
fi

if [[ $fails -ne 0 ]]; then
	echo "$fails check(s) failed" >&2
	exit 1
fi
echo "all bdevperf checks passed"
exit 0
