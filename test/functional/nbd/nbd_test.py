#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Functional tests of NBD exports served by updk_tgt, a real process, to real
# clients on loopback: the project's own protocol client (nbd_client.py) and,
# when installed, qemu-io and qemu-img from QEMU. Usage:
#   nbd_test.py <updk_tgt> <rpc.py> <test>
# Tests: protocol, errors, hotremove, multi_client, durability, shutdown.
# Exit status: 0 pass, 1 fail, 77 skip. Every wait is bounded.

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbd_client as nbd  # noqa: E402

TGT, RPC, TEST = sys.argv[1:4]
MiB = 1024 * 1024
failures = []
procs = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL: ' + what, file=sys.stderr, flush=True)
    return cond


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Tgt:
    def __init__(self, tmp, config=None, cores='0x1', name='tgt'):
        self.tmp = tmp
        self.sock = os.path.join(tmp, name + '.sock')
        self.logpath = os.path.join(tmp, name + '.log')
        args = [TGT, '-r', self.sock, '-m', cores]
        if config:
            args += ['-c', config]
        self.proc = subprocess.Popen(args, stdout=open(self.logpath, 'a'),
                                     stderr=subprocess.STDOUT)
        procs.append(self.proc)
        end = time.time() + 20
        while time.time() < end and self.proc.poll() is None:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.sock)
                s.close()
                break
            except OSError:
                time.sleep(0.05)
        if not check(self.proc.poll() is None, 'updk_tgt started'):
            print(self.log(), file=sys.stderr)
            return
        # The RPC server answers before the configuration has been loaded.
        self.rpc('framework_wait_init')

    def log(self):
        with open(self.logpath) as f:
            return f.read()

    def rpc(self, *args, ok=True):
        r = subprocess.run([sys.executable, RPC, '-s', self.sock, '-t', '20'] + list(args),
                           capture_output=True, text=True, timeout=60)
        if ok:
            check(r.returncode == 0, 'rpc.py %s: %s' % (' '.join(args), r.stderr.strip()))
        return r

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            check(False, 'updk_tgt did not exit %d s after signal %d' % (timeout, sig))
            self.proc.kill()
            return self.proc.wait(10)


def write_config(tmp, bdevs, exports, name='config.json'):
    cfg = {'subsystems': [
        {'subsystem': 'bdev', 'config': bdevs},
        {'subsystem': 'nbd', 'config': [
            {'method': 'nbd_start_disk', 'params': {'bdev_name': b, 'nbd_device': d}}
            for b, d in exports]}]}
    path = os.path.join(tmp, name)
    with open(path, 'w') as f:
        json.dump(cfg, f)
    return path


def malloc(name, mib, bs=4096):
    return {'method': 'bdev_malloc_create',
            'params': {'name': name, 'num_blocks': mib * MiB // bs, 'block_size': bs}}


def pipelined_verify(client, size, count, rng, region=(0, None), qd=32, bs=4096):
    """Random writes then reads at queue depth qd, every block checked against
    what was written last; returns the number of I/O. Writes in flight never
    overlap, so what each block holds is known."""
    lo, hi = region[0], region[1] if region[1] is not None else size
    model = {}
    busy = set()
    pending = {}
    done = 0
    for i in range(count):
        while True:
            nblocks = rng.choice((1, 1, 1, 2, 8, 16, 64))
            first = rng.randrange(lo // bs, hi // bs - nblocks)
            blocks = range(first, first + nblocks)
            if not busy.intersection(blocks):
                break
        busy.update(blocks)
        data = rng.randbytes(nblocks * bs)
        pending[client.submit(nbd.CMD_WRITE, first * bs, data=data)] = (first, data)
        while len(pending) >= qd or (i == count - 1 and pending):
            cookie, error, _ = client.reply()
            first_w, data_w = pending.pop(cookie)
            if not check(error == 0, 'write at block %d failed with %d' % (first_w, error)):
                return done
            for b in range(len(data_w) // bs):
                model[first_w + b] = data_w[b * bs:(b + 1) * bs]
                busy.discard(first_w + b)
            done += 1
    blocks = sorted(model)
    rng.shuffle(blocks)
    bad = []
    for i, blk in enumerate(blocks):
        pending[client.submit(nbd.CMD_READ, blk * bs, bs)] = blk
        while len(pending) >= qd or (i == len(blocks) - 1 and pending):
            cookie, error, data = client.reply()
            blk_r = pending.pop(cookie)
            check(error == 0, 'read of block %d failed with %d' % (blk_r, error))
            if data != model[blk_r]:
                bad.append(blk_r)
            done += 1
    check(not bad, '%d of %d blocks read back wrong, first %s' % (len(bad), len(blocks),
                                                                  bad[:3]))
    return done


def verify_stable(client, rng, size, bs=4096, n=200):
    """Write distinct blocks one at a time (no overlap), read all back."""
    written = {}
    for _ in range(n):
        off = rng.randrange(size // bs) * bs
        data = rng.randbytes(bs)
        client.write(off, data)
        written[off] = data
    bad = [off for off, data in written.items() if client.read(off, bs) != data]
    check(not bad, '%d blocks read back wrong, first at %s' % (len(bad), bad[:1]))
    return written


# ---- tests ----

def test_protocol(tmp):
    port = free_port()
    tcp = 'nbd://127.0.0.1:%d' % port
    usock = 'nbd+unix://' + os.path.join(tmp, 'm.nbd')
    cfg = write_config(tmp, [malloc('Malloc0', 64), malloc('Malloc1', 8, 512)],
                       [('Malloc0', tcp), ('Malloc1', usock)])
    t = Tgt(tmp, cfg)
    rng = random.Random(1)

    disks = json.loads(t.rpc('nbd_get_disks').stdout or '[]')
    check(sorted((d['bdev_name'], d['nbd_device']) for d in disks) ==
          [('Malloc0', tcp), ('Malloc1', usock)], 'nbd_get_disks: %r' % disks)
    one = json.loads(t.rpc('nbd_get_disks', '-n', usock).stdout or '[]')
    check(one == [{'nbd_device': usock, 'bdev_name': 'Malloc1'}], 'nbd_get_disks -n: %r' % one)

    # Option haggling.
    c = nbd.Client(tcp)
    check(c.hflags == 3, 'handshake flags %d' % c.hflags)
    check(c.list_exports() == ['Malloc0'], 'LIST')
    check(c.info('nope') == nbd.REP_ERR_UNKNOWN, 'INFO of an unknown export')
    c.option(nbd.OPT_STRUCTURED_REPLY)
    check(c.option_reply()[1] == nbd.REP_ERR_UNSUP, 'structured replies refused')
    c.option(nbd.OPT_STARTTLS)
    check(c.option_reply()[1] == nbd.REP_ERR_UNSUP, 'STARTTLS refused')
    check(c.info('Malloc0') == 0, 'INFO Malloc0')
    check(c.size == 64 * MiB, 'size %r' % c.size)
    check(c.block_sizes == (4096, 4096, 32 * MiB), 'block sizes %r' % (c.block_sizes,))
    want = nbd.TF_HAS_FLAGS | nbd.TF_SEND_FLUSH | nbd.TF_SEND_TRIM | nbd.TF_SEND_WRITE_ZEROES
    check(c.tflags & want == want, 'transmission flags %x' % c.tflags)
    c.go('Malloc0')
    check(c.info_name == 'Malloc0', 'INFO_NAME %r' % c.info_name)

    # Data, at queue depth, then the other commands.
    n = pipelined_verify(c, c.size, 3000, rng)
    check(n > 3000, 'pipelined I/O: %d' % n)
    c.write(8192, b'\xab' * 8192, flags=nbd.CMD_FLAG_FUA)
    check(c.read(8192, 8192) == b'\xab' * 8192, 'FUA write read back')
    c.flush()
    check(c.call(nbd.CMD_TRIM, 8192, 4096)[0] == 0, 'trim')
    check(c.read(8192, 4096) == bytes(4096), 'trimmed block reads zeroes')
    check(c.call(nbd.CMD_WRITE_ZEROES, 12288, 4096)[0] == 0, 'write zeroes')
    check(c.read(8192, 8192) == bytes(8192), 'zeroed blocks read zeroes')
    # Requests the bdev refuses: an error reply each, and the connection goes on.
    check(c.call(nbd.CMD_READ, 100, 4096)[0] == nbd.EINVAL, 'misaligned read: EINVAL')
    check(c.call(nbd.CMD_WRITE, 512, data=bytes(4096))[0] == nbd.EINVAL,
          'misaligned write: EINVAL')
    check(c.call(nbd.CMD_READ, 64 * MiB, 4096)[0] != 0, 'read past the end fails')
    check(c.call(nbd.CMD_READ, 0, 33 * MiB)[0] == nbd.EINVAL, 'oversized read: EINVAL')
    check(c.call(nbd.CMD_CACHE, 0, 4096)[0] == nbd.EINVAL, 'unsupported command: EINVAL')
    check(c.call(99, 0, 0)[0] == nbd.EINVAL, 'unknown command: EINVAL')
    big = rng.randbytes(4 * MiB)
    c.write(16 * MiB, big)
    check(c.read(16 * MiB, 4 * MiB) == big, '4 MiB write read back')

    # A reader slower than the server: 100 MiB of replies back up in the
    # socket and must still all arrive once the client starts reading.
    for i in range(100):
        c.submit(nbd.CMD_READ, 16 * MiB, MiB)
    time.sleep(0.5)
    got = [c.reply() for _ in range(100)]
    check(all(e == 0 and d == big[:MiB] for _, e, d in got), 'backed-up replies intact')

    # A disconnect with requests in flight: their replies still come, then EOF.
    dc = nbd.Client(tcp).go()
    for i in range(16):
        dc.submit(nbd.CMD_READ, 16 * MiB + i * 4096, 4096)
    dc.sock.sendall(nbd.struct.pack('>IHHQQI', nbd.REQ_MAGIC, 0, nbd.CMD_DISC, 0, 0, 0))
    replies = [dc.reply() for _ in range(16)]
    check(all(e == 0 and d == big[i * 4096:(i + 1) * 4096] for i, (_, e, d) in
              enumerate(sorted(replies))), 'replies to the requests before a disconnect')
    check(dc.sock.recv(1) == b'', 'the connection closes after the disconnect')
    dc.close()

    # A hostile client is dropped; the good one goes on.
    bad = nbd.Client(tcp).go()
    bad.sock.sendall(b'\x00' * 28)
    try:
        check(bad.sock.recv(1) == b'', 'bad magic: connection closed')
    except OSError:
        pass
    junk = socket.create_connection(('127.0.0.1', port))
    junk.sendall(os.urandom(4096))
    junk.close()
    # A client that leaves with reads in flight.
    gone = nbd.Client(tcp).go()
    for i in range(64):
        gone.submit(nbd.CMD_READ, i * 65536, 65536)
    gone.close()
    check(c.read(16 * MiB, 4 * MiB) == big, 'the good client still reads after hostile ones')

    # The old EXPORT_NAME way in, over the Unix socket, 512-byte blocks.
    u = nbd.Client(usock).export_name('Malloc1')
    check(u.size == 8 * MiB, 'unix export size %r' % u.size)
    verify_stable(u, rng, u.size, bs=512)
    u.disconnect()
    # The empty name is the default export.
    d = nbd.Client(usock).export_name('')
    check(d.size == 8 * MiB, 'default export')
    d.close()

    # QEMU as a peer: it writes, we read; we wrote, it verifies.
    if shutil.which('qemu-io'):
        r = subprocess.run(['qemu-io', '-f', 'raw', tcp + '/Malloc0', '-c',
                            'write -P 0x5a 1M 256k'], capture_output=True, text=True,
                           timeout=60)
        check(r.returncode == 0, 'qemu-io write: %s %s' % (r.stdout, r.stderr))
        r = subprocess.run(['qemu-io', '-f', 'raw', tcp + '/Malloc0', '-c',
                            'read -P 0xab 28M 4k'], capture_output=True, text=True, timeout=60)
        check('verification failed' in r.stdout, 'qemu-io sees zeroes, not 0xab: %s' % r.stdout)
        check(c.read(MiB, 256 * 1024) == b'\x5a' * 256 * 1024, 'qemu-io write read back')
        c.write(20 * MiB, b'\x3c' * MiB)
        c.flush()
        r = subprocess.run(['qemu-io', '-f', 'raw', tcp + '/Malloc0', '-c',
                            'read -P 0x3c 20M 1M'], capture_output=True, text=True, timeout=60)
        check(r.returncode == 0 and 'verification failed' not in r.stdout,
              'qemu-io verifies our write: %s %s' % (r.stdout, r.stderr))
        r = subprocess.run(['qemu-img', 'info', '--output=json',
                            'nbd+unix:///Malloc1?socket=' + usock[len('nbd+unix://'):]],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0 and json.loads(r.stdout).get('virtual-size') == 8 * MiB,
              'qemu-img info over the Unix socket: %s' % r.stderr)
    else:
        print('qemu-io not installed: QEMU interoperability not checked')
    c.disconnect()

    # Stop one export; the other keeps going; the address is free again.
    t.rpc('nbd_stop_disk', usock)
    end = time.time() + 10
    while time.time() < end and os.path.exists(usock[len('nbd+unix://'):]):
        time.sleep(0.05)
    check(not os.path.exists(usock[len('nbd+unix://'):]), 'the Unix socket is removed')
    r = t.rpc('nbd_start_disk', 'Malloc1', usock)
    check(r.stdout.strip() == usock, 'restart on the same address: %r' % r.stdout)
    saved = json.loads(t.rpc('save_config').stdout or '{}')
    nbd_cfg = [s for s in saved.get('subsystems', []) if s['subsystem'] == 'nbd']
    check(len(nbd_cfg) == 1 and len(nbd_cfg[0]['config']) == 2, 'save_config: %r' % nbd_cfg)
    check(t.stop() == 0, 'updk_tgt exits 0 on SIGTERM')


def test_errors(tmp):
    t = Tgt(tmp, write_config(tmp, [malloc('Malloc0', 4)], []))
    port = free_port()
    tcp = 'nbd://127.0.0.1:%d' % port

    def expect(args, code, words):
        r = t.rpc(*args, ok=False)
        check(r.returncode != 0, 'rpc.py %s must fail' % ' '.join(args))
        check(str(code) in r.stderr, 'rpc.py %s: code %d in %r' % (' '.join(args), code,
                                                                     r.stderr))
        check(words in t.log(), 'log line %r for %s' % (words, ' '.join(args)))

    expect(['nbd_start_disk', 'NoSuch', tcp], -19, 'bdev NoSuch not found')
    expect(['nbd_start_disk', 'Malloc0', 'tcp:127.0.0.1'], -22, 'is none of /dev/nbdN')
    expect(['nbd_start_disk', 'Malloc0', 'nbd://256.1.1.1:1'], -22, 'not a valid address')
    expect(['nbd_start_disk', 'Malloc0', 'nbd+unix://relative.sock'], -22,
           'must be absolute')
    if not os.path.exists('/dev/nbd0'):
        expect(['nbd_start_disk', 'Malloc0', '/dev/nbd0'], -19, 'nbd module is not loaded')
        expect(['nbd_start_disk', 'Malloc0'], -19, 'no free /dev/nbdN')
    holder = socket.socket()
    holder.bind(('127.0.0.1', 0))
    holder.listen(1)
    busy = 'nbd://127.0.0.1:%d' % holder.getsockname()[1]
    expect(['nbd_start_disk', 'Malloc0', busy], -98, 'cannot listen on ' + busy)
    holder.close()
    r = t.rpc('nbd_start_disk', 'Malloc0', tcp)
    check(r.stdout.strip() == tcp, 'start prints the address: %r' % r.stdout)
    expect(['nbd_start_disk', 'Malloc0', tcp], -16, 'is already exported')
    expect(['nbd_stop_disk', 'nbd://127.0.0.1:1'], -19, 'no export at nbd://127.0.0.1:1')
    r = t.rpc('call', 'nbd_start_disk', '{"nbd_device": "x"}', ok=False)
    check(r.returncode != 0 and '-32602' in r.stderr, 'missing bdev_name: %s' % r.stderr)
    # After all that the export works and nothing else is listed.
    c = nbd.Client(tcp).go('Malloc0')
    verify_stable(c, random.Random(2), c.size, n=50)
    c.disconnect()
    disks = json.loads(t.rpc('nbd_get_disks').stdout or '[]')
    check(disks == [{'nbd_device': tcp, 'bdev_name': 'Malloc0'}], 'exports: %r' % disks)
    check(t.stop() == 0, 'updk_tgt exits 0')


def test_hotremove(tmp):
    """Delete exported bdevs while clients drive them at queue depth 32."""
    ports = [free_port(), free_port()]
    exports = ['nbd://127.0.0.1:%d' % p for p in ports]
    cfg = write_config(tmp, [malloc('Malloc0', 32), malloc('Malloc1', 32)],
                       [('Malloc0', exports[0]), ('Malloc1', exports[1])])
    t = Tgt(tmp, cfg, cores='0x3')
    results = {}

    def drive(addr, key, seconds):
        c = nbd.Client(addr).go()
        rng = random.Random(key)
        ok = 0
        end = time.time() + seconds
        try:
            inflight = 0
            while time.time() < end:
                while inflight < 32:
                    c.submit(nbd.CMD_READ, rng.randrange(c.size // 4096) * 4096, 4096)
                    inflight += 1
                _, error, _ = c.reply()
                inflight -= 1
                if error:
                    results[key] = ('error', ok, error)
                    return
                ok += 1
            results[key] = ('ran', ok, 0)
        except (nbd.NbdError, OSError) as e:
            results[key] = ('closed', ok, str(e))

    victim = threading.Thread(target=drive, args=(exports[0], 'victim', 20))
    other = threading.Thread(target=drive, args=(exports[1], 'other', 3))
    victim.start()
    other.start()
    time.sleep(1)
    t.rpc('bdev_malloc_delete', 'Malloc0')
    victim.join(30)
    other.join(30)
    check(not victim.is_alive(), 'the victim client was released')
    v = results.get('victim')
    check(v is not None and v[0] in ('closed', 'error') and v[1] > 0,
          'victim: I/O, then the connection ended: %r' % (v,))
    o = results.get('other')
    check(o is not None and o[0] == 'ran' and o[1] > 0, 'other export kept serving: %r' % (o,))
    disks = json.loads(t.rpc('nbd_get_disks').stdout or '[]')
    check([d['bdev_name'] for d in disks] == ['Malloc1'], 'exports after removal: %r' % disks)
    check('bdev Malloc0 is being removed' in t.log(), 'removal logged')
    try:
        nbd.Client(exports[0], timeout=5)
        check(False, 'the removed export no longer accepts clients')
    except (OSError, nbd.NbdError):
        pass
    # Re-create and export again on the same address.
    t.rpc('bdev_malloc_create', '-b', 'Malloc0', '32', '4096')
    t.rpc('nbd_start_disk', 'Malloc0', exports[0])
    c = nbd.Client(exports[0]).go()
    verify_stable(c, random.Random(3), c.size, n=50)
    c.disconnect()
    check(t.stop() == 0, 'updk_tgt exits 0')


def test_multi_client(tmp):
    """Four clients on two exports, on two cores, each in its own region."""
    ports = [free_port(), free_port()]
    exports = ['nbd://127.0.0.1:%d' % p for p in ports]
    cfg = write_config(tmp, [malloc('Malloc0', 64), malloc('Malloc1', 64)],
                       [('Malloc0', exports[0]), ('Malloc1', exports[1])])
    t = Tgt(tmp, cfg, cores='0x3')
    counts = {}

    def worker(i):
        c = nbd.Client(exports[i % 2]).go()
        region = ((i // 2) * 32 * MiB, (i // 2 + 1) * 32 * MiB)
        counts[i] = pipelined_verify(c, c.size, 1500, random.Random(i), region)
        c.disconnect()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    check(len(counts) == 4 and all(v > 1500 for v in counts.values()),
          'every client finished its verify: %r' % counts)
    stats = json.loads(t.rpc('thread_get_stats').stdout or '{}')
    names = [th['name'] for th in stats.get('threads', [])]
    check(sum(n.startswith('nbd_') for n in names) == 2, 'one thread per export: %r' % names)
    check(t.stop() == 0, 'updk_tgt exits 0')


def test_durability(tmp):
    """Write through updk_tgt on uring and aio bdevs, flush, kill -9, read back."""
    for f in ('u.img', 'a.img'):
        with open(os.path.join(tmp, f), 'wb') as fh:
            fh.truncate(32 * MiB)
    ports = [free_port(), free_port()]
    exports = ['nbd://127.0.0.1:%d' % ports[0], 'nbd+unix://' + os.path.join(tmp, 'a.nbd')]
    bdevs = [
        {'method': 'bdev_uring_create',
         'params': {'name': 'U0', 'filename': os.path.join(tmp, 'u.img')}},
        {'method': 'bdev_aio_create',
         'params': {'name': 'A0', 'filename': os.path.join(tmp, 'a.img')}},
    ]
    cfg = write_config(tmp, bdevs, [('U0', exports[0]), ('A0', exports[1])])
    t = Tgt(tmp, cfg)
    if t.proc.poll() is not None:
        return
    if 'io_uring' in t.log() and 'not allowed' in t.log():
        print('io_uring not allowed here')
        return 77
    written = {}
    for addr in exports:
        c = nbd.Client(addr).go()
        rng = random.Random(addr)
        # Distinct blocks, at queue depth, then one flush.
        offs = rng.sample(range(c.size // 4096), 2000)
        data = {}
        for i in range(0, len(offs), 32):
            cookies = {}
            for off in offs[i:i + 32]:
                data[off] = rng.randbytes(4096)
                cookies[c.submit(nbd.CMD_WRITE, off * 4096, data=data[off])] = off
            for _ in cookies:
                _, error, _ = c.reply()
                check(error == 0, 'write failed: %d' % error)
        c.flush()
        written[addr] = data
        c.close()
    t.proc.kill()
    t.proc.wait(10)
    # A stale Unix socket is left behind; the restart must take it over.
    check(os.path.exists(exports[1][len('nbd+unix://'):]), 'kill -9 leaves the socket file')
    t2 = Tgt(tmp, cfg, name='tgt2')
    for addr, data in written.items():
        c = nbd.Client(addr).go()
        bad = [off for off, d in data.items() if c.read(off * 4096, 4096) != d]
        check(not bad, '%s: %d of %d blocks lost after kill -9' % (addr, len(bad), len(data)))
        c.disconnect()
    check(t2.stop() == 0, 'updk_tgt exits 0')


def test_shutdown(tmp):
    """SIGTERM while clients are busy: exits 0 promptly; the clients see EOF."""
    port = free_port()
    tcp = 'nbd://127.0.0.1:%d' % port
    t = Tgt(tmp, write_config(tmp, [malloc('Malloc0', 16)], [('Malloc0', tcp)]), cores='0x3')
    clients = [nbd.Client(tcp).go() for _ in range(3)]
    for c in clients:
        for i in range(64):
            c.submit(nbd.CMD_WRITE, i * 4096, data=bytes(4096))
    start = time.time()
    rc = t.stop(timeout=20)
    check(rc == 0, 'exit status %r' % rc)
    check(time.time() - start < 10, 'exit took %.1f s' % (time.time() - start))
    for c in clients:
        try:
            while c.pending:
                c.reply()
            check(c.sock.recv(1) == b'', 'the client sees the connection closed')
        except (nbd.NbdError, OSError):
            pass
    check('export %s of bdev Malloc0 stopped' % tcp in t.log(), 'the export stopped cleanly')


def main():
    tests = {'protocol': test_protocol, 'errors': test_errors, 'hotremove': test_hotremove,
             'multi_client': test_multi_client, 'durability': test_durability,
             'shutdown': test_shutdown}
    if TEST not in tests:
        print('unknown test ' + TEST, file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix='updk_nbd_')
    rc = None
    try:
        rc = tests[TEST](tmp)
    except Exception as e:  # a crash of the test is a failure, with the target's log
        check(False, 'exception: %r' % e)
        import traceback
        traceback.print_exc()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
        for name in sorted(os.listdir(tmp)):
            if name.endswith('.log') and failures:
                print('---- %s ----' % name, file=sys.stderr)
                with open(os.path.join(tmp, name)) as f:
                    sys.stderr.write(f.read()[-6000:])
        shutil.rmtree(tmp, ignore_errors=True)
    for p in procs:
        check(p.returncode in (0, -signal.SIGKILL), 'updk_tgt exit status %r' % p.returncode)
    if failures:
        print('%d failure(s)' % len(failures))
        return 1
    if rc == 77:
        return 77
    print('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
