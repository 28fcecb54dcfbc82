#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Installs everything updk needs to build, test and benchmark on Debian 12 (or
# a Debian-based system). Safe to run again: packages already present are
# left alone. Uses sudo when not run as root.

set -euo pipefail

packages=(
	build-essential cmake pkg-config git python3
	libcmocka-dev liburing-dev libaio-dev libjansson-dev
	libfuse3-dev fuse3
	clang clang-format libclang-rt-14-dev
	fio gnuplot-nox procps util-linux qemu-utils
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "pkgdep: all dependencies are installed"
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi

echo "pkgdep: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
