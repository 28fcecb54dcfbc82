#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# The uring and aio bdevs over JSON-RPC and in JSON configs: updk_tgt driven
# by scripts/rpc.py creates, rescans and deletes them, gets SPDK's errno
# replies for a missing file, a directory and an unknown name, reports them
# in bdev_get_bdevs, writes them into save_config, and a second updk_tgt
# started from that saved config has the same bdevs (name, size, block size,
# UUID), whose saved config is the same again.
#
# Usage: bdev_file_rpc.sh UPDK_TGT SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip.

set -uo pipefail

tgt=${1:?usage: $0 UPDK_TGT SOURCE_DIR}
src=${2:?usage: $0 UPDK_TGT SOURCE_DIR}
work=$(mktemp -d /var/tmp/updk_file_rpc.XXXXXX)
sock="$work/rpc.sock"
rpc=(python3 "$src/scripts/rpc.py" -s "$sock")
pid=
fails=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$tgt" ] || exit 77
command -v python3 > /dev/null || exit 77

check() {
	# description, then a command that must succeed
	local what=$1
	shift
	if "$@" > "$work/out" 2>&1; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		sed 's/^/     /' "$work/out"
		fails=$((fails + 1))
	fi
}

expect_error() {
	# description, expected code, rpc arguments...
	local what=$1 code=$2
	shift 2
	if "${rpc[@]}" "$@" > "$work/out" 2>&1; then
		echo "FAIL $what: succeeded"
		fails=$((fails + 1))
	elif grep -q "\"code\": $code" "$work/out"; then
		echo "ok   $what"
	else
		echo "FAIL $what: wrong error"
		sed 's/^/     /' "$work/out"
		fails=$((fails + 1))
	fi
}

start_tgt() {
	rm -f "$sock"
	"$tgt" -r "$sock" "$@" > "$work/tgt.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -S "$sock" ] && "${rpc[@]}" spdk_get_version > /dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "FAIL updk_tgt did not start"
	cat "$work/tgt.log"
	exit 1
}

stop_tgt() {
	kill "$pid"
	wait "$pid"
	pid=
}

bdev_field() {
	# name field
	"${rpc[@]}" bdev_get_bdevs -b "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$2'])"
}

truncate -s 16M "$work/u.img" "$work/a.img" "$work/r.img"
mkdir "$work/dir"

start_tgt
check "bdev_uring_create" "${rpc[@]}" bdev_uring_create "$work/u.img" U0
check "bdev_aio_create with block size and fallocate" \
	"${rpc[@]}" bdev_aio_create "$work/a.img" A0 512 --fallocate
check "bdev_aio_create read-only" "${rpc[@]}" bdev_aio_create "$work/r.img" R0 -r
expect_error "missing file gives -ENOENT" -2 bdev_uring_create "$work/none.img" U1
expect_error "directory gives -EISDIR" -21 bdev_aio_create "$work/dir" A1
expect_error "name in use gives -EEXIST" -17 bdev_aio_create "$work/r.img" U0
expect_error "bad block size gives -EINVAL" -22 bdev_uring_create "$work/r.img" U2 1000
check "missing filename gives invalid params" python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "bdev_uring_create",
                      "params": {"name": "U3"}}).encode())
buf = b""
while True:
    buf += s.recv(4096)
    try:
        r = json.loads(buf)
        break
    except ValueError:
        pass
sys.exit(0 if r.get("error", {}).get("code") == -32602 else 1)
' "$sock"

check "block size detected" test "$(bdev_field U0 block_size)" = 4096
check "aio block size as asked" test "$(bdev_field A0 block_size)" = 512
check "product names" test "$(bdev_field U0 product_name)/$(bdev_field A0 product_name)" = \
	"URING bdev/AIO disk"
truncate -s 32M "$work/u.img" "$work/a.img"
check "bdev_uring_rescan" "${rpc[@]}" bdev_uring_rescan U0
check "bdev_aio_rescan" "${rpc[@]}" bdev_aio_rescan A0
check "uring size after rescan" test "$(bdev_field U0 num_blocks)" = 8192
check "aio size after rescan" test "$(bdev_field A0 num_blocks)" = 65536
expect_error "rescan of an unknown bdev gives -ENODEV" -19 bdev_uring_rescan nope

"${rpc[@]}" save_config > "$work/saved.json"
check "save_config has bdev_uring_create" grep -q '"bdev_uring_create"' "$work/saved.json"
check "save_config has bdev_aio_create" grep -q '"bdev_aio_create"' "$work/saved.json"
for b in U0 A0 R0; do
	echo "$b $(bdev_field "$b" num_blocks) $(bdev_field "$b" block_size) $(bdev_field "$b" uuid)"
done > "$work/before.txt"
stop_tgt

start_tgt -c "$work/saved.json"
for b in U0 A0 R0; do
	echo "$b $(bdev_field "$b" num_blocks) $(bdev_field "$b" block_size) $(bdev_field "$b" uuid)"
done > "$work/after.txt"
check "the saved config recreates the same bdevs" diff "$work/before.txt" "$work/after.txt"
"${rpc[@]}" save_config > "$work/saved2.json"
check "save_config round trip" diff "$work/saved.json" "$work/saved2.json"
check "bdev_uring_delete" "${rpc[@]}" bdev_uring_delete U0
check "bdev_aio_delete" "${rpc[@]}" bdev_aio_delete A0
expect_error "delete of a deleted bdev gives -ENODEV" -19 bdev_aio_delete A0
stop_tgt

if [ "$fails" -ne 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
exit 0
