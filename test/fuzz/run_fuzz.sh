#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Build the libFuzzer targets with clang (ASan + UBSan, library instrumented
# for coverage) in build-fuzz, and run each for N seconds (default 20) on its
# corpus in test/fuzz/corpus/<target>/. New inputs the fuzzer finds are
# written to a scratch directory, not to the committed corpus; a crash
# leaves its reproducer in build-fuzz/artifacts/ and fails the script.
#
# Usage: test/fuzz/run_fuzz.sh [seconds] [target...]. Exit 0 pass, 1 fail,
# 77 when clang or libFuzzer is missing.

set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_json_config fuzz_jsonrpc_request fuzz_nbd fuzz_rpc_params)
build=$src/build-fuzz

command -v clang > /dev/null || { echo "clang not found"; exit 77; }
echo 'int LLVMFuzzerTestOneInput(const char *d, long s) { return 0; }' |
	clang -x c -fsanitize=fuzzer -o /dev/null - 2> /dev/null ||
	{ echo "libFuzzer not available (libclang-rt-dev)"; exit 77; }

mkdir -p "$build"
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	-DCMAKE_BUILD_TYPE=Debug -DUPDK_SANITIZE=address,undefined -DUPDK_FUZZ=ON \
	-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link > "$build/cmake.log" 2>&1 ||
	{ cat "$build/cmake.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" > "$build/build.log" 2>&1 ||
	{ tail -50 "$build/build.log"; exit 1; }

mkdir -p "$build/artifacts"
fails=0
for t in "${targets[@]}"; do
	scratch=$(mktemp -d /tmp/updk_fuzz_$t.XXXXXX)
	# The targets' own scratch files (TMPDIR), gone even after a crash.
	work=$(mktemp -d /tmp/updk_fuzz_work_$t.XXXXXX)
	corpus=$src/test/fuzz/corpus/$t
	echo "== $t for $secs s (corpus $corpus)"
	if ! TMPDIR=$work ASAN_OPTIONS=detect_leaks=1 "$build/test/fuzz/$t" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/artifacts/$t-" \
		-print_final_stats=1 "$scratch" "$corpus" > "$build/$t.log" 2>&1; then
		echo "FAIL $t: see $build/$t.log and $build/artifacts/"
		tail -40 "$build/$t.log"
		fails=$((fails + 1))
	else
		grep -E "stat::number_of_executed_units|cov:" "$build/$t.log" | tail -2
	fi
	rm -rf "$scratch" "$work"
done
[ "$fails" -eq 0 ] && echo PASS || exit 1
