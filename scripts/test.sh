#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Builds updk and runs its unit and functional tests: installs the build
# dependencies, builds a Release tree in build/, and runs every CTest test
# except those labelled "stress" or "perf" (those run nightly). Exits
# non-zero if the build or any test fails.
#
# Usage: scripts/test.sh [extra ctest arguments, e.g. -R thread or -L unit]

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/pkgdep.sh"

echo "test: building (Release) in build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"

echo "test: running unit and functional tests"
ctest --test-dir build --output-on-failure --no-tests=error -j2 -LE 'soak|perf' "$@"
