#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Shows updk working on this machine: installs the build dependencies,
# builds a Release tree in build/, then runs the demonstration programs one
# after another. Exits non-zero if any step or any demo fails.
#
# Usage: scripts/demo.sh

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The programs to run, relative to build/, in order.
demos=(
	examples/thread/hello_thread
	examples/bdev/hello_bdev/hello_bdev
	examples/io_channel/io_channel
)

"$root/scripts/pkgdep.sh"

echo "demo: building (Release) in build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"

for demo in "${demos[@]}"; do
	echo
	echo "demo: running $demo"
	"build/$demo"
done
echo
echo "demo: every demo ran successfully"
