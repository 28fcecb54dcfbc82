#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Verify traffic for the soak test: one process per NBD export, pipelined
# writes of random data and read-backs compared with what was written, for a
# given time. What each block holds is tracked; a block whose write failed,
# or was in flight when the connection dropped, becomes unknown until it is
# written again. When the export goes away (hot-remove) the client
# reconnects until it is back and goes on verifying the same data.
#
# Usage: nbd_verify.py ADDRESS SECONDS SEED [QD]. Prints one JSON line of
# counts at the end; exits 1 on a mismatch or when it could not reconnect.

import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'nbd'))
import nbd_client as nbd  # noqa: E402

BS = 4096


def main():
    address, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    qd = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    rng = random.Random(seed)
    stats = {'address': address, 'writes': 0, 'reads': 0, 'verified_bytes': 0,
             'write_errors': 0, 'read_errors': 0, 'mismatches': 0, 'reconnects': 0,
             'unknown_blocks': 0}
    model = {}
    end = time.time() + seconds
    client = None
    nblocks = None
    first_mismatch = []

    while time.time() < end:
        if client is None:
            deadline = time.time() + 60
            while True:
                try:
                    client = nbd.Client(address, timeout=30).go()
                    break
                except (OSError, nbd.NbdError):
                    if time.time() > deadline:
                        stats['error'] = 'could not reconnect for 60 s'
                        print(json.dumps(stats), flush=True)
                        return 1
                    time.sleep(0.2)
            nblocks = client.size // BS
        pending = {}
        busy = set()
        try:
            # A phase of writes, then a phase of reads of known blocks.
            for phase in ('write', 'read'):
                todo = 256
                known = list(model) if phase == 'read' else None
                while todo > 0 or pending:
                    while todo > 0 and len(pending) < qd:
                        todo -= 1
                        if phase == 'write':
                            n = rng.choice((1, 1, 2, 4, 16))
                            first = rng.randrange(nblocks - n)
                            blocks = range(first, first + n)
                            if busy.intersection(blocks):
                                continue
                            busy.update(blocks)
                            data = rng.randbytes(n * BS)
                            for b in blocks:
                                model.pop(b, None)
                            c = client.submit(nbd.CMD_WRITE, first * BS, data=data)
                            pending[c] = ('w', first, data)
                        elif known:
                            b = rng.choice(known)
                            c = client.submit(nbd.CMD_READ, b * BS, BS)
                            pending[c] = ('r', b, model[b])
                    if not pending:
                        break
                    cookie, error, data = client.reply()
                    kind, first, expect = pending.pop(cookie)
                    if kind == 'w':
                        nb = len(expect) // BS
                        busy.difference_update(range(first, first + nb))
                        if error:
                            stats['write_errors'] += 1
                        else:
                            stats['writes'] += 1
                            for i in range(nb):
                                model[first + i] = expect[i * BS:(i + 1) * BS]
                    elif error:
                        stats['read_errors'] += 1
                    else:
                        stats['reads'] += 1
                        # Only blocks not rewritten since the read was sent.
                        if data != expect and model.get(first) == expect:
                            stats['mismatches'] += 1
                            if len(first_mismatch) < 5:
                                first_mismatch.append(first)
                        else:
                            stats['verified_bytes'] += BS
        except (OSError, nbd.NbdError):
            # The export went away: what was in flight is unknown.
            for kind, first, expect in pending.values():
                if kind == 'w':
                    for i in range(len(expect) // BS):
                        model.pop(first + i, None)
            stats['reconnects'] += 1
            try:
                client.close()
            except OSError:
                pass
            client = None
    if client is not None:
        try:
            client.disconnect()
        except OSError:
            pass
    stats['known_blocks'] = len(model)
    if first_mismatch:
        stats['first_mismatches'] = first_mismatch
    print(json.dumps(stats), flush=True)
    return 1 if stats['mismatches'] else 0


if __name__ == '__main__':
    sys.exit(main())
