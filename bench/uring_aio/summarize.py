#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Summarise the output of bench/uring_aio/run.sh: for every set (disk, page
# cache), workload and queue depth, the median IOPS and CPU time per I/O of
# each engine over the repetitions, and IOPS per core (1 / CPU per I/O).
#
# usage: bench/uring_aio/summarize.py RESULTS_FILE

import collections
import statistics
import sys


def main():
    rows = collections.defaultdict(lambda: {'iops': [], 'cpu': []})
    for line in open(sys.argv[1]):
        if line.startswith('#') or 'engine=' not in line:
            continue
        kv = dict(f.split('=', 1) for f in line.split() if '=' in f)
        key = (kv['set'], kv['rw'], int(kv['qd']), kv['engine'])
        rows[key]['iops'].append(float(kv['iops']))
        rows[key]['cpu'].append(float(kv['cpu_us_per_io']))
    print('| set | workload | QD | engine | IOPS (median) | CPU us/IO (median) | IOPS per core |')
    print('|---|---|---|---|---|---|---|')
    for key in sorted(rows):
        r = rows[key]
        cpu = statistics.median(r['cpu'])
        print('| %s | %s | %d | %s | %.0f | %.2f | %.0f |' %
              (key[0], key[1], key[2], key[3], statistics.median(r['iops']), cpu,
               1e6 / cpu if cpu else 0))


if __name__ == '__main__':
    main()
