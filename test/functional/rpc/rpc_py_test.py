#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Functional test of scripts/rpc.py. A stub JSON-RPC server (Unix or TCP
# socket, in a thread of this process) records each request and answers from
# a table, so every subcommand's parameters, output and exit status can be
# checked without an application: argument shapes, printing, error responses,
# bad command lines, unreachable servers, timeouts, responses that arrive in
# pieces, save_config and the two-phase load_config. With --server, the same
# client is also run against a real updk RPC server process (built-in methods,
# errors, load_config, ten clients at once).
#
# Usage: rpc_py_test.py --rpc-py PATH [--server PATH_TO_rpc_test_server]
# Exit status: 0 pass, 1 fail.

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

RPC_PY = None
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL: ' + what)
    return cond


class Stub:
    """A JSON-RPC server that records requests and answers from a table."""

    def __init__(self, path=None, chunked=False):
        self.requests = []
        self.handlers = {}
        self.chunked = chunked
        self.lock = threading.Lock()
        if path is None:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind(('127.0.0.1', 0))
            self.addr = '127.0.0.1'
            self.port = self.sock.getsockname()[1]
        else:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.bind(path)
            self.addr = path
            self.port = None
        self.sock.listen(16)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def on(self, method, fn):
        """fn(params) returns ('result', value), ('error', code, message) or None."""
        self.handlers[method] = fn

    def result(self, method, value):
        self.on(method, lambda p: ('result', value))

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _send(self, conn, data):
        try:
            if not self.chunked:
                conn.sendall(data)
                return
            for i in range(len(data)):
                conn.sendall(data[i:i + 1])
                if i % 7 == 0:
                    time.sleep(0.001)
        except OSError:
            # The client gave up (a timeout test); nothing to do.
            pass

    def _serve(self, conn):
        decoder = json.JSONDecoder()
        buf = ''
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                buf += chunk.decode('utf-8')
                while True:
                    text = buf.lstrip()
                    if not text:
                        buf = ''
                        break
                    try:
                        req, end = decoder.raw_decode(text)
                    except ValueError:
                        break
                    buf = text[end:]
                    with self.lock:
                        self.requests.append(req)
                    fn = self.handlers.get(req.get('method'))
                    answer = fn(req.get('params')) if fn else \
                        ('error', -32601, 'Method not found')
                    if answer is None:
                        continue
                    resp = {'jsonrpc': '2.0', 'id': req.get('id')}
                    if answer[0] == 'result':
                        resp['result'] = answer[1]
                    else:
                        resp['error'] = {'code': answer[1], 'message': answer[2]}
                    lead = '  \n' if self.chunked else ''
                    self._send(conn, (lead + json.dumps(resp) + '\n').encode('utf-8'))

    def methods(self):
        with self.lock:
            return [r['method'] for r in self.requests]

    def last(self):
        with self.lock:
            return self.requests[-1] if self.requests else None

    def clear(self):
        with self.lock:
            self.requests = []

    def close(self):
        self.sock.close()


def run(args, stdin=None, timeout=30):
    p = subprocess.run([sys.executable, RPC_PY] + args, input=stdin, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def expect_call(stub, args, method, params, out=None, rc=0):
    """Run rpc.py against stub and check the request it sent and what it printed."""
    stub.clear()
    code, stdout, stderr = run(['-s', stub.addr] + args)
    name = ' '.join(args)
    check(code == rc, '%s: exit %d, expected %d (stderr: %s)' % (name, code, rc, stderr))
    req = stub.last()
    if check(req is not None, name + ': no request arrived'):
        check(req.get('method') == method, '%s: method %r' % (name, req.get('method')))
        check(req.get('params') == params, '%s: params %r, expected %r' %
              (name, req.get('params'), params))
        check(req.get('jsonrpc') == '2.0', name + ': no jsonrpc 2.0')
    if out is not None:
        check(stdout == out, '%s: printed %r, expected %r' % (name, stdout, out))
    return stdout, stderr


def test_argument_shapes(stub):
    stub.result('rpc_get_methods', ['a', 'b'])
    expect_call(stub, ['rpc_get_methods'], 'rpc_get_methods', None,
                json.dumps(['a', 'b'], indent=2) + '\n')
    expect_call(stub, ['rpc_get_methods', '--current', '--include-aliases'], 'rpc_get_methods',
                {'current': True, 'include_aliases': True})
    stub.result('spdk_get_version', {'version': 'updk v0.1.0'})
    expect_call(stub, ['spdk_get_version'], 'spdk_get_version', None,
                '{\n  "version": "updk v0.1.0"\n}\n')
    for m in ('spdk_kill_instance', 'log_set_flag', 'log_clear_flag', 'log_set_print_level',
              'log_set_level', 'framework_start_init', 'framework_wait_init',
              'bdev_malloc_delete', 'bdev_null_delete', 'bdev_null_resize', 'bdev_aio_delete',
              'bdev_aio_rescan', 'bdev_uring_delete', 'bdev_uring_rescan', 'bdev_reset_iostat',
              'bdev_enable_histogram', 'bdev_set_options', 'bdev_wait_for_examine', 'bdev_reset',
              'nbd_stop_disk'):
        stub.result(m, True)
    expect_call(stub, ['spdk_kill_instance', 'SIGTERM'], 'spdk_kill_instance',
                {'sig_name': 'SIGTERM'}, '')
    expect_call(stub, ['framework_start_init'], 'framework_start_init', None, '')
    expect_call(stub, ['framework_wait_init'], 'framework_wait_init', None, '')
    for m in ('framework_get_reactors', 'thread_get_stats', 'thread_get_pollers',
              'thread_get_io_channels', 'log_get_flags'):
        stub.result(m, {'x': 1})
        expect_call(stub, [m], m, None, '{\n  "x": 1\n}\n')
    expect_call(stub, ['log_set_flag', 'bdev'], 'log_set_flag', {'flag': 'bdev'}, '')
    expect_call(stub, ['log_clear_flag', 'all'], 'log_clear_flag', {'flag': 'all'}, '')
    expect_call(stub, ['log_set_print_level', 'DEBUG'], 'log_set_print_level',
                {'level': 'DEBUG'}, '')
    expect_call(stub, ['log_set_level', 'NOTICE'], 'log_set_level', {'level': 'NOTICE'}, '')
    stub.result('log_get_print_level', 'DEBUG')
    expect_call(stub, ['log_get_print_level'], 'log_get_print_level', None, 'DEBUG\n')

    stub.result('bdev_get_bdevs', [{'name': 'Malloc0'}])
    expect_call(stub, ['bdev_get_bdevs'], 'bdev_get_bdevs', None)
    expect_call(stub, ['bdev_get_bdevs', '-b', 'Malloc0', '-t', '100'], 'bdev_get_bdevs',
                {'name': 'Malloc0', 'timeout': 100},
                json.dumps([{'name': 'Malloc0'}], indent=2) + '\n')
    stub.result('bdev_get_iostat', {'tick_rate': 1})
    expect_call(stub, ['bdev_get_iostat'], 'bdev_get_iostat', None)
    expect_call(stub, ['bdev_get_iostat', '-b', 'M', '-c', '--reset-mode', 'maxmin'],
                'bdev_get_iostat', {'name': 'M', 'per_channel': True, 'reset_mode': 'maxmin'})
    expect_call(stub, ['bdev_get_iostat', '--names', 'a,b', '--per-channel'], 'bdev_get_iostat',
                {'names': ['a', 'b'], 'per_channel': True})
    expect_call(stub, ['bdev_reset_iostat', '-b', 'M', '-m', 'all'], 'bdev_reset_iostat',
                {'name': 'M', 'mode': 'all'}, '')
    expect_call(stub, ['bdev_reset_iostat'], 'bdev_reset_iostat', None, '')
    expect_call(stub, ['bdev_enable_histogram', 'M', '-d'], 'bdev_enable_histogram',
                {'name': 'M', 'enable': False}, '')
    expect_call(stub, ['bdev_enable_histogram', 'M', '-e'], 'bdev_enable_histogram',
                {'name': 'M', 'enable': True}, '')
    expect_call(stub, ['bdev_enable_histogram', 'M'], 'bdev_enable_histogram',
                {'name': 'M', 'enable': True}, '')
    stub.result('bdev_get_histogram', {'histogram': 'AAA='})
    expect_call(stub, ['bdev_get_histogram', 'M'], 'bdev_get_histogram', {'name': 'M'})
    expect_call(stub, ['bdev_set_options', '-p', '1024', '-c', '64', '-s', '128', '-l', '16',
                       '-d'], 'bdev_set_options',
                {'bdev_io_pool_size': 1024, 'bdev_io_cache_size': 64,
                 'iobuf_small_cache_size': 128, 'iobuf_large_cache_size': 16,
                 'bdev_auto_examine': False}, '')
    expect_call(stub, ['bdev_set_options', '--enable-auto-examine'], 'bdev_set_options',
                {'bdev_auto_examine': True})
    expect_call(stub, ['bdev_wait_for_examine'], 'bdev_wait_for_examine', None, '')

    uuid = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'
    stub.result('bdev_malloc_create', 'M0')
    expect_call(stub, ['bdev_malloc_create', '-b', 'M0', '-u', uuid, '-o', '8', '64', '4096'],
                'bdev_malloc_create',
                {'num_blocks': 16384, 'block_size': 4096, 'name': 'M0', 'uuid': uuid,
                 'optimal_io_boundary': 8}, 'M0\n')
    expect_call(stub, ['bdev_malloc_create', '0.5', '512'], 'bdev_malloc_create',
                {'num_blocks': 1024, 'block_size': 512}, 'M0\n')
    expect_call(stub, ['bdev_malloc_delete', 'M0'], 'bdev_malloc_delete', {'name': 'M0'}, '')
    expect_call(stub, ['bdev_reset', 'M0'], 'bdev_reset', {'name': 'M0'}, '')
    stub.result('nbd_start_disk', 'nbd://127.0.0.1:10809')
    expect_call(stub, ['nbd_start_disk', 'M0', 'nbd://127.0.0.1:10809'], 'nbd_start_disk',
                {'bdev_name': 'M0', 'nbd_device': 'nbd://127.0.0.1:10809'},
                'nbd://127.0.0.1:10809\n')
    expect_call(stub, ['nbd_stop_disk', '/dev/nbd0'], 'nbd_stop_disk',
                {'nbd_device': '/dev/nbd0'}, '')
    stub.result('nbd_get_disks', [])
    expect_call(stub, ['nbd_get_disks', '-n', '/dev/nbd1'], 'nbd_get_disks',
                {'nbd_device': '/dev/nbd1'}, '[]\n')
    stub.result('bdev_null_create', 'N0')
    expect_call(stub, ['bdev_null_create', 'N0', '10', '512', '-u', uuid], 'bdev_null_create',
                {'name': 'N0', 'num_blocks': 20480, 'block_size': 512, 'uuid': uuid}, 'N0\n')
    expect_call(stub, ['bdev_null_delete', 'N0'], 'bdev_null_delete', {'name': 'N0'}, '')
    expect_call(stub, ['bdev_null_resize', 'N0', '20'], 'bdev_null_resize',
                {'name': 'N0', 'new_size': 20}, '')
    stub.result('bdev_aio_create', 'aio0')
    expect_call(stub, ['bdev_aio_create', '/dev/x', 'aio0', '4096', '-r', '--fallocate', '-u',
                       uuid], 'bdev_aio_create',
                {'filename': '/dev/x', 'name': 'aio0', 'block_size': 4096, 'readonly': True,
                 'fallocate': True, 'uuid': uuid}, 'aio0\n')
    expect_call(stub, ['bdev_aio_create', '/tmp/f', 'aio0'], 'bdev_aio_create',
                {'filename': '/tmp/f', 'name': 'aio0'}, 'aio0\n')
    expect_call(stub, ['bdev_aio_create', '/tmp/f', 'aio0', '--nowait'], 'bdev_aio_create',
                {'filename': '/tmp/f', 'name': 'aio0', 'nowait': True}, 'aio0\n')
    expect_call(stub, ['bdev_aio_delete', 'aio0'], 'bdev_aio_delete', {'name': 'aio0'}, '')
    expect_call(stub, ['bdev_aio_rescan', 'aio0'], 'bdev_aio_rescan', {'name': 'aio0'}, '')
    stub.result('bdev_uring_create', 'u0')
    expect_call(stub, ['bdev_uring_create', '/tmp/f', 'u0', '512', '-u', uuid],
                'bdev_uring_create',
                {'filename': '/tmp/f', 'name': 'u0', 'block_size': 512, 'uuid': uuid}, 'u0\n')
    expect_call(stub, ['bdev_uring_delete', 'u0'], 'bdev_uring_delete', {'name': 'u0'}, '')
    expect_call(stub, ['bdev_uring_rescan', 'u0'], 'bdev_uring_rescan', {'name': 'u0'}, '')

    stub.result('anything_else', {'y': [1, 2]})
    expect_call(stub, ['call', 'anything_else', '{"a": [1, 2], "b": "c"}'], 'anything_else',
                {'a': [1, 2], 'b': 'c'}, '{\n  "y": [\n    1,\n    2\n  ]\n}\n')
    expect_call(stub, ['call', 'anything_else', '[1]'], 'anything_else', [1])
    expect_call(stub, ['call', 'anything_else'], 'anything_else', None)
    stub.result('bool_method', True)
    expect_call(stub, ['call', 'bool_method'], 'bool_method', None, '')
    expect_call(stub, ['call', '--json', 'bool_method'], 'bool_method', None, 'true\n')


def test_errors(stub, tmp):
    stub.on('bdev_malloc_delete', lambda p: ('error', -19, 'No such device'))
    stdout, stderr = expect_call(stub, ['bdev_malloc_delete', 'nope'], 'bdev_malloc_delete',
                                 {'name': 'nope'}, '', rc=1)
    check('Got JSON-RPC error response' in stderr, 'error: no "Got JSON-RPC error response"')
    check('"code": -19' in stderr and 'No such device' in stderr,
          'error: code or message missing: ' + stderr)
    check('"method": "bdev_malloc_delete"' in stderr, 'error: the request is not shown')
    expect_call(stub, ['call', 'no_such_method'], 'no_such_method', None, '', rc=1)

    # Bad command lines: exit 2, nothing sent.
    stub.clear()
    for args in (['no_such_command'], ['bdev_malloc_create', '64'],
                 ['bdev_malloc_create', '64', 'big'], ['bdev_get_iostat', '--reset-mode', 'x'],
                 ['log_set_flag'], []):
        code, _, _ = run(['-s', stub.addr] + args)
        check(code == 2, 'usage %r: exit %d, expected 2' % (args, code))
    # Bad params for call, a zero block size: exit 1, nothing sent.
    for args in (['call', 'm', '[1'], ['call', 'm', '5'], ['bdev_malloc_create', '1', '0']):
        code, _, stderr = run(['-s', stub.addr] + args)
        check(code == 1 and stderr, 'bad params %r: exit %d, expected 1' % (args, code))
    check(stub.methods() == [], 'bad command lines sent requests: %r' % stub.methods())

    # Nobody listening.
    code, _, stderr = run(['-s', os.path.join(tmp, 'nobody.sock'), 'spdk_get_version'])
    check(code == 1 and 'Error while connecting' in stderr,
          'no server: exit %d, stderr %r' % (code, stderr))

    # No response in time.
    stub.on('slow', lambda p: None)
    t0 = time.monotonic()
    code, _, stderr = run(['-s', stub.addr, '-t', '0.5', 'call', 'slow'])
    check(code == 1 and 'Timeout' in stderr, 'timeout: exit %d, stderr %r' % (code, stderr))
    check(time.monotonic() - t0 < 10, 'timeout took too long')

    # --dry-run prints the request and needs no server.
    code, stdout, _ = run(['-s', os.path.join(tmp, 'nobody.sock'), '--dry-run',
                           'bdev_null_delete', 'N0'])
    check(code == 0 and json.loads(stdout)['params'] == {'name': 'N0'},
          'dry run: exit %d, %r' % (code, stdout))

    # -v shows the exchange on stderr.
    stub.result('spdk_get_version', {'version': 'v'})
    code, _, stderr = run(['-s', stub.addr, '-v', 'spdk_get_version'])
    check(code == 0 and 'request:' in stderr and 'response:' in stderr,
          'verbose: %r' % stderr)


def test_chunked_and_tcp(tmp):
    stub = Stub(os.path.join(tmp, 'chunked.sock'), chunked=True)
    stub.result('bdev_get_bdevs', [{'name': 'x' * 300, 'n': list(range(50))}])
    stdout, _ = expect_call(stub, ['bdev_get_bdevs'], 'bdev_get_bdevs', None)
    check(json.loads(stdout)[0]['n'][49] == 49, 'chunked response garbled')
    stub.close()

    stub = Stub()
    stub.result('spdk_get_version', {'version': 'tcp'})
    stub.clear()
    code, stdout, _ = run(['-s', '127.0.0.1', '-p', str(stub.port), 'spdk_get_version'])
    check(code == 0 and json.loads(stdout) == {'version': 'tcp'}, 'tcp -s IP -p PORT')
    code, stdout, _ = run(['-s', '127.0.0.1:%d' % stub.port, 'spdk_get_version'])
    check(code == 0 and json.loads(stdout) == {'version': 'tcp'}, 'tcp -s IP:PORT')
    stub.close()

    # The server appears while rpc.py retries.
    path = os.path.join(tmp, 'late.sock')
    later = {}

    def start_later():
        time.sleep(0.5)
        later['stub'] = Stub(path)
        later['stub'].result('spdk_get_version', {'version': 'late'})

    t = threading.Thread(target=start_later)
    t.start()
    code, stdout, stderr = run(['-s', path, '-r', '20', 'spdk_get_version'])
    t.join()
    check(code == 0 and 'late' in stdout, 'retries: exit %d %r' % (code, stderr))
    later['stub'].close()


def test_save_and_load_config(stub, tmp):
    bdev_config = [{'method': 'bdev_set_options', 'params': {'bdev_io_pool_size': 1024}},
                   {'method': 'bdev_malloc_create',
                    'params': {'name': 'M0', 'num_blocks': 32768, 'block_size': 512}},
                   {'method': 'bdev_wait_for_examine'}]
    stub.result('framework_get_subsystems', [{'subsystem': 'accel', 'depends_on': []},
                                             {'subsystem': 'bdev', 'depends_on': ['accel']}])
    stub.on('framework_get_config',
            lambda p: ('result', bdev_config if p == {'name': 'bdev'} else None))
    stub.clear()
    code, stdout, stderr = run(['-s', stub.addr, 'save_config'])
    check(code == 0, 'save_config: exit %d %s' % (code, stderr))
    saved = json.loads(stdout)
    check(saved == {'subsystems': [{'subsystem': 'accel', 'config': None},
                                   {'subsystem': 'bdev', 'config': bdev_config}]},
          'save_config: %r' % saved)
    check(stdout.startswith('{\n  "subsystems": [\n'), 'save_config is not indented by 2')
    check(stub.methods() == ['framework_get_subsystems', 'framework_get_config',
                             'framework_get_config'], 'save_config calls %r' % stub.methods())

    # load_config: startup methods, framework_start_init, then runtime methods.
    state = {'runtime': False}
    startup = ['bdev_set_options', 'framework_start_init', 'rpc_get_methods']
    runtime = ['bdev_malloc_create', 'bdev_wait_for_examine', 'rpc_get_methods']

    def get_methods(p):
        if p and p.get('current'):
            return ('result', runtime if state['runtime'] else startup)
        return ('result', sorted(set(startup + runtime)))

    def start_init(p):
        state['runtime'] = True
        return ('result', True)

    stub.on('rpc_get_methods', get_methods)
    stub.on('framework_start_init', start_init)
    for m in ('bdev_set_options', 'bdev_malloc_create', 'bdev_wait_for_examine'):
        stub.result(m, True)
    expected = ['bdev_set_options', 'framework_start_init', 'bdev_malloc_create',
                'bdev_wait_for_examine']

    for source in ('stdin', 'file'):
        state['runtime'] = False
        stub.clear()
        if source == 'stdin':
            code, _, stderr = run(['-s', stub.addr, 'load_config'], stdin=stdout)
        else:
            path = os.path.join(tmp, 'config.json')
            with open(path, 'w') as f:
                f.write(stdout)
            code, _, stderr = run(['-s', stub.addr, 'load_config', '-j', path])
        calls = [m for m in stub.methods() if m != 'rpc_get_methods']
        check(code == 0, 'load_config (%s): exit %d %s' % (source, code, stderr))
        check(calls == expected, 'load_config (%s) calls %r' % (source, calls))
        params = [r.get('params') for r in stub.requests if r['method'] == 'bdev_malloc_create']
        check(params == [bdev_config[1]['params']], 'load_config params %r' % params)

    # Unknown methods and bad text are refused before anything runs.
    state['runtime'] = False
    stub.clear()
    bad = json.dumps({'subsystems': [{'subsystem': 'bdev', 'config': [{'method': 'nope'}]}]})
    code, _, stderr = run(['-s', stub.addr, 'load_config'], stdin=bad)
    check(code == 1 and 'Unknown method nope' in stderr, 'load_config unknown: %r' % stderr)
    code, _, stderr = run(['-s', stub.addr, 'load_config'], stdin='{"subsystems": [')
    check(code == 1 and 'Cannot read' in stderr, 'load_config bad text: %r' % stderr)
    check('framework_start_init' not in stub.methods(), 'load_config ran a bad config')


def test_real_server(server_bin, tmp):
    path = os.path.join(tmp, 'real.sock')
    proc = subprocess.Popen([server_bin, path], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(path) and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        if not check(os.path.exists(path), 'real server did not start: %s' %
                     (proc.stderr.read() if proc.poll() is not None else '')):
            return
        check(os.stat(path).st_mode & 0o777 == 0o600, 'real server socket mode')

        code, stdout, stderr = run(['-s', path, 'spdk_get_version'])
        check(code == 0 and json.loads(stdout)['version'].startswith('updk v'),
              'real spdk_get_version: %d %r %r' % (code, stdout, stderr))
        code, stdout, _ = run(['-s', path, 'rpc_get_methods'])
        methods = json.loads(stdout) if code == 0 else []
        for m in ('rpc_get_methods', 'spdk_get_version', 'log_set_flag', 'log_get_flags',
                  'ut_record'):
            check(m in methods, 'real rpc_get_methods lacks ' + m)
        code, stdout, _ = run(['-s', path, 'log_set_print_level', 'INFO'])
        check(code == 0 and stdout == '', 'real log_set_print_level')
        code, stdout, _ = run(['-s', path, 'log_get_print_level'])
        check(code == 0 and stdout == 'INFO\n', 'real log_get_print_level: %r' % stdout)
        code, stdout, _ = run(['-s', path, 'log_set_print_level', 'ERROR'])
        code, stdout, _ = run(['-s', path, 'log_get_flags'])
        check(code == 0 and isinstance(json.loads(stdout), dict), 'real log_get_flags')
        code, _, stderr = run(['-s', path, 'log_set_print_level', 'LOUD'])
        check(code == 1 and '-32602' in stderr, 'real bad level: %r' % stderr)
        code, _, stderr = run(['-s', path, 'call', 'no_such_method'])
        check(code == 1 and '-32601' in stderr and 'Method not found' in stderr,
              'real unknown method: %r' % stderr)
        code, _, stderr = run(['-s', path, 'call', 'ut_record', '{"x": "one"}'])
        check(code == 1 and '-32602' in stderr, 'real invalid params: %r' % stderr)

        config = {'subsystems': [{'subsystem': 'ut', 'config': [
            {'method': 'ut_record', 'params': {'x': 1}},
            [{'method': 'ut_record', 'params': {'x': 2}},
             {'method': 'ut_record', 'params': {'x': 3}}]]},
            {'subsystem': 'none', 'config': None}]}
        code, _, stderr = run(['-s', path, 'load_config'], stdin=json.dumps(config))
        check(code == 0, 'real load_config: %r' % stderr)

        # Ten clients at once.
        procs = [subprocess.Popen([sys.executable, RPC_PY, '-s', path, 'call', 'ut_record',
                                   '{"x": %d}' % (100 + i)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for i in range(10)]
        codes = [p.wait(timeout=30) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        check(codes == [0] * 10, 'real parallel clients: %r' % codes)
        code, stdout, _ = run(['-s', path, 'call', 'ut_get_log'])
        log = json.loads(stdout) if code == 0 else []
        check(log[:3] == [1, 2, 3], 'real load_config order: %r' % log)
        check(sorted(log[3:]) == list(range(100, 110)), 'real parallel records: %r' % log)

        code, _, _ = run(['-s', path, 'call', 'ut_shutdown'])
        check(code == 0, 'real ut_shutdown')
        try:
            rc = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, 'real server exit status %r' % rc)
        check(not os.path.exists(path), 'real server left its socket file behind')
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def main():
    global RPC_PY
    ap = argparse.ArgumentParser()
    ap.add_argument('--rpc-py', required=True)
    ap.add_argument('--server', help='rpc_test_server binary for the end-to-end part')
    a = ap.parse_args()
    RPC_PY = a.rpc_py
    tmp = tempfile.mkdtemp(prefix='updk_rpc_py_')
    try:
        stub = Stub(os.path.join(tmp, 'stub.sock'))
        test_argument_shapes(stub)
        test_errors(stub, tmp)
        test_save_and_load_config(stub, tmp)
        stub.close()
        test_chunked_and_tcp(tmp)
        if a.server:
            test_real_server(a.server, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print('%d check(s) failed' % len(FAILURES))
        return 1
    print('rpc.py: all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
