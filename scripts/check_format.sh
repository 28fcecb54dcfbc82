#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# The style gate: checks every C source and header against .clang-format
# (clang-format 14, dry run), looks for banned functions and for // comments,
# and compiles each public header on its own as C and as C++. Prints every
# offender and exits 1 if any check failed, 0 otherwise.
#
# Usage: scripts/check_format.sh [--fix]
#   --fix    rewrite the files in place with clang-format, then run the other
#            checks (which cannot be fixed automatically).
# Environment: CLANG_FORMAT (default: clang-format-14, or a clang-format that
# reports version 14), CC (default cc), CXX (default c++).

set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

fix=0
for arg in "$@"; do
	case "$arg" in
	--fix) fix=1 ;;
	-h | --help)
		sed -n '/^# Usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "check_format: unknown argument '$arg' (try --help)" >&2
		exit 2
		;;
	esac
done

failed=()

# Source directories covered by the checks; build trees are skipped wherever
# they are.
src_dirs=()
for d in include lib module app examples bench test; do
	[ -d "$d" ] && src_dirs+=("$d")
done

list_sources() {
	# $@: directories. Prints *.c and *.h files, one per line, sorted.
	[ $# -eq 0 ] && return 0
	find "$@" \( -type d \( -name 'build' -o -name 'build-*' -o -name 'CMakeFiles' \) -prune \) \
		-o \( -type f \( -name '*.c' -o -name '*.h' \) -print \) | LC_ALL=C sort
}

mapfile -t all_files < <(list_sources "${src_dirs[@]}")
code_dirs=()
for d in lib module app include; do
	[ -d "$d" ] && code_dirs+=("$d")
done
mapfile -t code_files < <(list_sources "${code_dirs[@]}")

# ---------------------------------------------------------------------------
# 1. clang-format
# ---------------------------------------------------------------------------

find_clang_format() {
	local c
	if [ -n "${CLANG_FORMAT:-}" ]; then
		echo "$CLANG_FORMAT"
		return 0
	fi
	for c in clang-format-14 clang-format; do
		if command -v "$c" >/dev/null 2>&1 &&
			"$c" --version 2>/dev/null | grep -q 'version 14\.'; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

echo "check_format: clang-format"
if ! cf="$(find_clang_format)"; then
	echo "  clang-format 14 not found (install clang-format-14, or set CLANG_FORMAT)"
	failed+=("clang-format")
elif [ ${#all_files[@]} -eq 0 ]; then
	echo "  no C files"
elif [ $fix -eq 1 ]; then
	"$cf" -i --style=file "${all_files[@]}" || failed+=("clang-format")
	echo "  reformatted ${#all_files[@]} files in place"
else
	bad=0
	for f in "${all_files[@]}"; do
		if ! out="$("$cf" --style=file "$f")"; then
			echo "  $f: clang-format failed"
			bad=$((bad + 1))
			continue
		fi
		if ! d="$(diff -u --label "$f" --label "$f (formatted)" "$f" <(printf '%s\n' "$out"))"; then
			echo "  needs formatting: $f"
			printf '%s\n' "$d" | head -n 40 | sed 's/^/    /'
			n="$(printf '%s\n' "$d" | wc -l)"
			if [ "$n" -gt 40 ]; then
				echo "    ... ($((n - 40)) more diff lines)"
			fi
			bad=$((bad + 1))
		fi
	done
	if [ $bad -gt 0 ]; then
		echo "  $bad of ${#all_files[@]} files need formatting; run scripts/check_format.sh --fix"
		failed+=("clang-format")
	else
		echo "  ${#all_files[@]} files formatted correctly"
	fi
fi

# ---------------------------------------------------------------------------
# 2 and 3. Banned functions (library, module, app and public header code) and
# // comments (all C files). Comments, string literals and character literals
# are stripped first so that neither check trips over text.
# ---------------------------------------------------------------------------

scan_sources() {
	# $1: "banned" or "comments"; remaining arguments: files.
	python3 - "$@" <<'PY'
import re
import sys

mode = sys.argv[1]
files = sys.argv[2:]
banned = re.compile(r'(?<![A-Za-z0-9_.>])(atoi|atol|strcpy|strncpy|strcat|sprintf|vsprintf|strtok)\s*\(')


def strip(text):
    """Return (code, line_comments): the text with comments and literals
    blanked out (newlines kept), and the line numbers of // comments."""
    out = []
    comments = []
    i = 0
    n = len(text)
    line = 1
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ''
        if c == '/' and nxt == '*':
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            chunk = text[i:end]
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in chunk))
            line += chunk.count('\n')
            i = end
        elif c == '/' and nxt == '/':
            comments.append(line)
            end = text.find('\n', i)
            end = n if end < 0 else end
            out.append(' ' * (end - i))
            i = end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            chunk = text[i:j]
            out.append(c + ''.join('\n' if ch == '\n' else ' ' for ch in chunk[1:-1]) + c)
            line += chunk.count('\n')
            i = j
        else:
            if c == '\n':
                line += 1
            out.append(c)
            i += 1
    return ''.join(out), comments


found = 0
for path in files:
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError as e:
        print(f'  {path}: cannot read: {e}')
        found += 1
        continue
    code, comments = strip(text)
    lines = text.split('\n')
    if mode == 'banned':
        for no, src in enumerate(code.split('\n'), 1):
            for m in banned.finditer(src):
                print(f'  {path}:{no}: {m.group(1)}() is banned: {lines[no - 1].strip()}')
                found += 1
    else:
        for no in comments:
            print(f'  {path}:{no}: // comment, use /* */: {lines[no - 1].strip()}')
            found += 1
sys.exit(1 if found else 0)
PY
}

echo "check_format: banned functions (atoi atol strcpy strncpy strcat sprintf vsprintf strtok)"
if ! command -v python3 >/dev/null 2>&1; then
	echo "  python3 not found (run scripts/pkgdep.sh)"
	failed+=("banned functions" "comment style")
else
	if [ ${#code_files[@]} -gt 0 ] && ! scan_sources banned "${code_files[@]}"; then
		echo "  use checked strtol/strtoull, snprintf, or a bounded copy helper"
		failed+=("banned functions")
	else
		echo "  none in ${#code_files[@]} files"
	fi

	echo "check_format: comment style (no // comments)"
	if [ ${#all_files[@]} -gt 0 ] && ! scan_sources comments "${all_files[@]}"; then
		failed+=("comment style")
	else
		echo "  none in ${#all_files[@]} files"
	fi
fi

# ---------------------------------------------------------------------------
# 4. Header self-containment: each public header, included alone (twice, to
# test its include guard) by a one-line translation unit, must compile as C
# and as C++ without warnings.
# ---------------------------------------------------------------------------

echo "check_format: public headers compile on their own (C and C++)"
cc_bin="${CC:-cc}"
cxx_bin="${CXX:-c++}"
mapfile -t headers < <(find include/spdk include/updk -maxdepth 1 -name '*.h' 2>/dev/null | LC_ALL=C sort)
bad=0
for h in "${headers[@]}"; do
	name="${h#include/}"
	tu="$(printf '#include "%s"\n#include "%s"\n' "$name" "$name")"
	for lang in c c++; do
		if [ "$lang" = c ]; then
			compiler="$cc_bin"
		else
			compiler="$cxx_bin"
		fi
		if ! out="$(printf '%s\n' "$tu" |
			"$compiler" -fsyntax-only -Wall -Wextra -Werror -I include -x "$lang" - 2>&1)"; then
			echo "  $h does not compile alone as $lang:"
			printf '%s\n' "$out" | head -n 20 | sed 's/^/    /'
			bad=$((bad + 1))
		fi
	done
done
if [ $bad -gt 0 ]; then
	failed+=("header self-containment")
else
	echo "  ${#headers[@]} headers compile alone as C and C++"
fi

# ---------------------------------------------------------------------------

if [ ${#failed[@]} -gt 0 ]; then
	list="$(printf '%s, ' "${failed[@]}")"
	echo "check_format: FAILED: ${list%, }"
	exit 1
fi
echo "check_format: all checks passed"
exit 0
