#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Soak test of updk_tgt (label "soak", not part of the default test command).
# updk_tgt runs on two cores with a malloc, a uring and an aio bdev, each
# exported over NBD on loopback. For the whole duration:
# - one verify client process per export (nbd_verify.py) writes random data
#   at queue depth 32 and reads it back, comparing every byte;
# - a second process sends RPCs (bdev_get_bdevs, bdev_get_iostat,
#   nbd_get_disks, thread_get_stats) in a loop;
# - every 5 s one bdev is reset (bdev_reset), in turn;
# - every 20 s the uring or the aio bdev (in turn) is hot-removed under its
#   client's traffic, then re-created on the same file and exported again;
#   the client reconnects and goes on verifying the data already on it.
# At the end: zero mismatches, every client finished, updk_tgt exits 0 on
# SIGTERM with nothing reported by the sanitizers (when built with them),
# and its resident memory in the second half stays within 10 % (+ 8 MiB) of
# the first half (not checked when UPDK_SANITIZED=1). The summary lines are
# meant for bench/RESULTS.md.
#
# Usage: soak.py UPDK_TGT SOURCE_DIR [seconds (default 600)].
# Exit 0 pass, 1 fail, 77 skip.

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

TGT, SRC = sys.argv[1], sys.argv[2]
DURATION = float(sys.argv[3]) if len(sys.argv) > 3 else 600
RPC = os.path.join(SRC, 'scripts', 'rpc.py')
HERE = os.path.dirname(os.path.abspath(__file__))
MiB = 1024 * 1024
failures = []


def fail(what):
    failures.append(what)
    print('FAIL ' + what, flush=True)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    if not os.access(TGT, os.X_OK):
        return 77
    work = tempfile.mkdtemp(prefix='updk_soak_', dir='/var/tmp')
    procs = []
    try:
        return run(work, procs)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def run(work, procs):
    sock = os.path.join(work, 'rpc.sock')

    def rpc(*args):
        r = subprocess.run([sys.executable, RPC, '-s', sock, '-t', '60'] + list(args),
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            fail('rpc.py %s: %s' % (' '.join(args), r.stderr.strip()[-300:]))
        return r

    files = {'U0': os.path.join(work, 'u.img'), 'A0': os.path.join(work, 'a.img')}
    for f in files.values():
        with open(f, 'wb') as fh:
            fh.truncate(64 * MiB)
    exports = {b: 'nbd://127.0.0.1:%d' % free_port() for b in ('Malloc0', 'U0', 'A0')}
    create = {
        'U0': ['bdev_uring_create', files['U0'], 'U0', '4096'],
        'A0': ['bdev_aio_create', files['A0'], 'A0', '4096'],
    }
    config = {'subsystems': [
        {'subsystem': 'bdev', 'config': [
            {'method': 'bdev_malloc_create',
             'params': {'name': 'Malloc0', 'num_blocks': 16384, 'block_size': 4096}},
            {'method': 'bdev_uring_create',
             'params': {'name': 'U0', 'filename': files['U0'], 'block_size': 4096}},
            {'method': 'bdev_aio_create',
             'params': {'name': 'A0', 'filename': files['A0'], 'block_size': 4096}}]},
        {'subsystem': 'nbd', 'config': [
            {'method': 'nbd_start_disk', 'params': {'bdev_name': b, 'nbd_device': a}}
            for b, a in exports.items()]}]}
    cfg = os.path.join(work, 'config.json')
    with open(cfg, 'w') as f:
        json.dump(config, f)

    log = os.path.join(work, 'tgt.log')
    tgt = subprocess.Popen([TGT, '-m', '0x3', '-r', sock, '-c', cfg],
                           stdout=open(log, 'w'), stderr=subprocess.STDOUT)
    procs.append(tgt)
    for _ in range(200):
        if os.path.exists(sock) or tgt.poll() is not None:
            break
        time.sleep(0.05)
    r = rpc('framework_wait_init')
    if r.returncode != 0:
        print(open(log).read())
        return 1

    clients = {}
    for i, (b, a) in enumerate(exports.items()):
        clients[b] = subprocess.Popen(
            [sys.executable, os.path.join(HERE, 'nbd_verify.py'), a, str(DURATION), str(i)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(clients[b])

    traffic = subprocess.Popen([sys.executable, '-c', RPC_TRAFFIC, sock],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    procs.append(traffic)

    start = time.time()
    resets = removals = 0
    rss = []
    next_reset = start + 5
    next_remove = start + 20
    order = ['Malloc0', 'U0', 'A0']
    while time.time() - start < DURATION:
        now = time.time()
        if tgt.poll() is not None:
            fail('updk_tgt died with %r' % tgt.returncode)
            break
        if now >= next_reset:
            rpc('bdev_reset', order[resets % 3])
            resets += 1
            next_reset += 5
        if now >= next_remove and now - start < DURATION - 10:
            victim = ('U0', 'A0')[removals % 2]
            rpc(create[victim][0].replace('create', 'delete'), victim)
            time.sleep(0.5)
            rpc(*create[victim])
            rpc('nbd_start_disk', victim, exports[victim])
            removals += 1
            next_remove += 20
        rss.append(rss_kib(tgt.pid))
        time.sleep(1)

    results = {}
    for b, p in clients.items():
        try:
            out, _ = p.communicate(timeout=DURATION + 120)
        except subprocess.TimeoutExpired:
            fail('the verify client of %s did not finish' % b)
            p.kill()
            out, _ = p.communicate()
        lines = [ln for ln in out.splitlines() if ln.startswith('{')]
        if not lines:
            fail('%s: no result from its client: %s' % (b, out[-500:]))
            continue
        results[b] = json.loads(lines[-1])
        if p.returncode != 0:
            fail('%s: client exit %d: %s' % (b, p.returncode, lines[-1]))
    traffic.send_signal(signal.SIGTERM)
    tout, _ = traffic.communicate(timeout=30)

    tgt.send_signal(signal.SIGTERM)
    try:
        rc = tgt.wait(30)
    except subprocess.TimeoutExpired:
        fail('updk_tgt did not exit 30 s after SIGTERM')
        tgt.kill()
        rc = tgt.wait(10)
    if rc != 0:
        fail('updk_tgt exited with %r' % rc)
    text = open(log).read()
    for bad in ('Sanitizer', 'runtime error', 'leaked', 'still has a channel',
                'Unexpected completion'):
        if bad in text:
            i = text.index(bad)
            fail('updk_tgt reported %r: %s' % (bad, text[max(0, i - 300):i + 1500]))

    half = len(rss) // 2
    first, second = max(rss[:half] or [0]), max(rss[half:] or [0])
    # A sanitizer's quarantine of freed memory makes the footprint grow.
    sanitized = os.environ.get('UPDK_SANITIZED') == '1'
    if len(rss) >= 4 and second > first * 1.10 + 8192 and not sanitized:
        fail('memory grew: first half max %d KiB, second half max %d KiB' % (first, second))

    verified = sum(r['verified_bytes'] for r in results.values())
    ios = sum(r['writes'] + r['reads'] for r in results.values())
    mism = sum(r['mismatches'] for r in results.values())
    errs = sum(r['write_errors'] + r['read_errors'] for r in results.values())
    if mism:
        fail('%d mismatches: %r' % (mism, results))
    print('soak: %.0f s, updk_tgt on 2 cores; %d resets, %d hot-removes and re-creates' %
          (DURATION, resets, removals))
    for b, r in results.items():
        print('soak: %s: %d writes, %d reads verified (%d MiB), %d I/O errors, %d mismatches, '
              '%d reconnects' % (b, r['writes'], r['reads'], r['verified_bytes'] // MiB,
                                 r['write_errors'] + r['read_errors'], r['mismatches'],
                                 r['reconnects']))
    print('soak: total %d I/O, %d mismatches, %d I/O errors; RSS first half max %d KiB, '
          'second half max %d KiB; RPC traffic: %s' %
          (ios, mism, errs, first, second, (tout.strip().splitlines() or ['none'])[-1]))
    if failures:
        return 1
    print('PASS')
    return 0


RPC_TRAFFIC = r'''
import json, signal, socket, sys, time
stop = []
signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
dec = json.JSONDecoder()
buf, n, errors = "", 0, 0
while not stop:
    for method in ("bdev_get_bdevs", "bdev_get_iostat", "nbd_get_disks", "thread_get_stats"):
        n += 1
        s.sendall(json.dumps({"jsonrpc": "2.0", "id": n, "method": method}).encode())
        while True:
            try:
                r, end = dec.raw_decode(buf.lstrip())
                buf = buf.lstrip()[end:]
                break
            except ValueError:
                data = s.recv(1 << 20)
                if not data:
                    stop.append(1)
                    r = {}
                    break
                buf += data.decode()
        if "error" in r:
            errors += 1
    time.sleep(0.01)
print("%d calls, %d errors" % (n, errors), flush=True)
'''

if __name__ == '__main__':
    sys.exit(main())
