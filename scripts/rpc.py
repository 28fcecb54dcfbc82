#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# rpc.py: the command-line JSON-RPC client of updk (and SPDK) applications,
# with SPDK's conventions:
#
#   rpc.py [-s SOCK_OR_IP] [-p PORT] [-t TIMEOUT] [-r RETRIES] [-v] [--dry-run]
#          METHOD [ARGS...]
#
# Required parameters are positional, optional ones are --long-flags (dashes
# become underscores in the JSON parameter names). The result is printed:
# strings plainly, `true` not at all, anything else as indented JSON. Errors
# go to stderr and the exit status is 1 (2 for a bad command line).
#
# `rpc.py call METHOD ['{"json": "params"}']` calls any method. Adding a
# method is one call of method() below: its arguments become its parameters
# unless a build function computes them. Python 3 standard library only.

import argparse
import json
import os
import socket
import sys
import time

DEFAULT_SOCKET = '/var/tmp/spdk.sock'
DEFAULT_PORT = 5260
DEFAULT_TIMEOUT = 60.0


class RPCClientError(Exception):
    """The server could not be reached or did not answer properly."""


class JSONRPCError(Exception):
    """The server answered with an error object."""

    def __init__(self, request, error):
        super().__init__(error.get('message', '') if isinstance(error, dict) else str(error))
        self.request = request
        self.error = error


# --------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------

def _split_address(addr, port):
    """Return (family, sockaddr) for a Unix path, IP, IP:PORT or [IPv6]:PORT."""
    if os.path.exists(addr) or '/' in addr:
        return socket.AF_UNIX, addr
    host = addr
    if addr.startswith('['):
        close = addr.find(']')
        if close < 0:
            raise RPCClientError('Invalid address ' + addr)
        host = addr[1:close]
        rest = addr[close + 1:]
        if rest.startswith(':') and rest[1:].isdigit():
            port = int(rest[1:])
    elif addr.count(':') == 1:
        h, p = addr.split(':')
        if p.isdigit():
            host, port = h, int(p)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise RPCClientError('Cannot resolve %s: %s' % (host, e))
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


class Client:
    """A JSON-RPC 2.0 client over one stream socket, one request at a time."""

    def __init__(self, addr, port=DEFAULT_PORT, timeout=DEFAULT_TIMEOUT, retries=0,
                 verbose=False, dry_run=False):
        self.addr = addr
        self.timeout = timeout
        self.verbose = verbose
        self.dry_run = dry_run
        self.sock = None
        self.next_id = 1
        self.pending = b''
        if dry_run:
            return
        family, sockaddr = _split_address(addr, port)
        last = None
        for attempt in range(retries + 1):
            try:
                self.sock = socket.socket(family, socket.SOCK_STREAM)
                self.sock.settimeout(timeout)
                self.sock.connect(sockaddr)
                return
            except OSError as e:
                last = e
                self.sock.close()
                self.sock = None
                if attempt < retries:
                    time.sleep(0.2)
        raise RPCClientError('Error while connecting to %s\nIs the application running?\n'
                             'Error details: %s' % (addr, last))

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _read_value(self):
        """Read until one complete JSON value has arrived; keep what follows it."""
        decoder = json.JSONDecoder()
        buf = self.pending
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                text = buf.decode('utf-8').lstrip()
            except UnicodeDecodeError:
                text = ''
            if text:
                try:
                    value, end = decoder.raw_decode(text)
                    self.pending = text[end:].encode('utf-8')
                    return value
                except ValueError:
                    pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RPCClientError('Timeout while waiting for response')
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise RPCClientError('Timeout while waiting for response')
            except OSError as e:
                raise RPCClientError('Error while reading the response: %s' % e)
            if not chunk:
                if buf.strip():
                    raise RPCClientError('Connection closed with a partial or invalid '
                                         'response: %r' % buf[:200])
                raise RPCClientError('Connection closed before a response arrived')
            buf += chunk

    def call(self, method, params=None):
        """Call a method and return its result; raise JSONRPCError on an error response."""
        request = {'jsonrpc': '2.0', 'method': method, 'id': self.next_id}
        if params is not None:
            request['params'] = params
        self.next_id += 1
        if self.dry_run:
            print(json.dumps(request, indent=2))
            return None
        if self.verbose:
            print('request:\n' + json.dumps(request, indent=2), file=sys.stderr)
        try:
            self.sock.sendall(json.dumps(request).encode('utf-8'))
        except OSError as e:
            raise RPCClientError('Error while sending the request: %s' % e)
        response = self._read_value()
        if self.verbose:
            print('response:\n' + json.dumps(response, indent=2), file=sys.stderr)
        if not isinstance(response, dict):
            raise RPCClientError('Invalid response: %r' % (response,))
        if response.get('id') != request['id']:
            raise RPCClientError('Response id %r does not match request id %r' %
                                 (response.get('id'), request['id']))
        if 'error' in response:
            raise JSONRPCError(request, response['error'])
        return response.get('result')


# --------------------------------------------------------------------------
# Commands: method() registers one; main() builds the parser from them.
# --------------------------------------------------------------------------

COMMANDS = []


def arg(*flags, **kwargs):
    """One argparse argument of a command (same arguments as add_argument)."""
    return (flags, kwargs)


def method(name, help, *args, build=None, run=None, output='auto'):
    """Register a command.

    By default it calls the RPC method `name` with one parameter per argument
    that was given (positional arguments always are, options only when used).
    `build(a)` returns the params from the parsed arguments instead (None for
    none); `run(client, a)` replaces the whole call. `output` is 'auto' (true
    prints nothing, strings print plainly, the rest as JSON), 'json' or 'none'.
    """
    COMMANDS.append({'name': name, 'help': help, 'args': args, 'build': build,
                     'run': run, 'output': output})


def mb_to_blocks(size_mb, block_size):
    if block_size <= 0:
        raise ValueError('block size must be positive')
    return int(size_mb * 1024 * 1024) // block_size


def print_result(result, output):
    if output == 'none':
        return
    if output == 'auto':
        if result is None or result is True:
            return
        if isinstance(result, str):
            print(result)
            return
    print(json.dumps(result, indent=2))


# ---- framework, threads, logs ----

method('rpc_get_methods', 'List the methods the application offers',
       arg('--current', action='store_true', help='only those allowed in the current state'),
       arg('--include-aliases', action='store_true', help='include deprecated aliases'))
method('spdk_get_version', 'Get the application version')
method('spdk_kill_instance', 'Send a signal to the application',
       arg('sig_name', help='signal: SIGINT, SIGTERM, SIGQUIT, SIGHUP or SIGKILL'))
method('framework_start_init', 'Start initialising the subsystems (after --wait-for-rpc)')
method('framework_wait_init', 'Wait until the subsystems are initialised')
method('framework_get_subsystems', 'List the subsystems and their dependencies')
method('framework_get_config', 'Get the configuration of one subsystem',
       arg('name', help='subsystem name'))
method('framework_get_reactors', 'List the reactors and their threads')
method('thread_get_stats', 'Get the statistics of every thread')
method('thread_get_pollers', 'List the pollers of every thread')
method('thread_get_io_channels', 'List the I/O channels of every thread')
method('log_set_flag', 'Enable a log flag', arg('flag', help='flag name, glob or "all"'))
method('log_clear_flag', 'Disable a log flag', arg('flag', help='flag name, glob or "all"'))
method('log_get_flags', 'List the log flags and whether they are enabled')
method('log_set_print_level', 'Set the level of messages printed to stderr',
       arg('level', help='ERROR, WARNING, NOTICE, INFO or DEBUG'))
method('log_get_print_level', 'Get the level of messages printed to stderr')
method('log_set_level', 'Set the level of messages sent to syslog',
       arg('level', help='ERROR, WARNING, NOTICE, INFO or DEBUG'))
method('log_get_level', 'Get the level of messages sent to syslog')
method('log_enable_timestamps', 'Prefix log lines with the time',
       arg('-e', '--enable', dest='enabled', action='store_true', default=True,
           help='enable (default)'),
       arg('-d', '--disable', dest='enabled', action='store_false', help='disable'),
       build=lambda a: {'enabled': a.enabled})


def save_config(client, a):
    config = {'subsystems': []}
    for s in client.call('framework_get_subsystems'):
        name = s['subsystem']
        config['subsystems'].append({'subsystem': name,
                                     'config': client.call('framework_get_config',
                                                           {'name': name})})
    print(json.dumps(config, indent=a.indent))


def _config_entries(config_list):
    """Flatten a subsystem's config: batch entries (arrays) become their elements."""
    entries = []
    for entry in config_list:
        entries.extend(entry if isinstance(entry, list) else [entry])
    return entries


def load_config(client, a):
    try:
        if a.json_conf:
            with open(a.json_conf) as f:
                config = json.load(f)
        else:
            config = json.load(sys.stdin)
    except (OSError, ValueError) as e:
        raise RPCClientError('Cannot read the configuration: %s' % e)
    subsystems = config.get('subsystems') if isinstance(config, dict) else None
    if not isinstance(subsystems, list):
        raise RPCClientError('The configuration has no "subsystems" array')

    pending = []
    for s in subsystems:
        if not isinstance(s, dict):
            raise RPCClientError('A "subsystems" element is not an object')
        entries = _config_entries(s.get('config') or [])
        for e in entries:
            if not isinstance(e, dict) or not isinstance(e.get('method'), str):
                raise RPCClientError('Subsystem %s: an entry has no "method"' %
                                     s.get('subsystem'))
        if entries:
            pending.append(entries)

    aliases = {'include_aliases': True} if a.include_aliases else {}
    known = client.call('rpc_get_methods', aliases or None)
    for entries in pending:
        for e in entries:
            if e['method'] not in known:
                raise RPCClientError('Unknown method %s in the configuration' % e['method'])

    # Run what the current state allows; framework_start_init moves on to the
    # runtime state; repeat until nothing more can run.
    while True:
        current = client.call('rpc_get_methods', dict(aliases, current=True))
        progress = False
        for entries in pending:
            for e in list(entries):
                if e['method'] in current:
                    client.call(e['method'], e.get('params'))
                    entries.remove(e)
                    progress = True
        pending = [entries for entries in pending if entries]
        if 'framework_start_init' in current:
            client.call('framework_start_init')
            progress = True
        if not pending or not progress:
            break
    if pending:
        print('Some entries were skipped because the state in which they may run has passed:',
              ', '.join(e['method'] for entries in pending for e in entries), file=sys.stderr)


method('save_config', 'Print the configuration of every subsystem in JSON config format',
       arg('-i', '--indent', type=int, default=2, help='indentation (default 2)'),
       run=save_config)
method('load_config', 'Replay a JSON configuration (from stdin or -j FILE)',
       arg('-j', '--json-conf', help='configuration file (default: stdin)'),
       arg('--include-aliases', action='store_true', help='accept deprecated method names'),
       run=load_config)

# ---- bdev ----

method('bdev_get_bdevs', 'List bdevs, or one',
       arg('-b', '--name', help='bdev name'),
       arg('-t', '--timeout', type=int, help='ms to wait for the bdev to appear'))


def build_get_iostat(a):
    params = {}
    if a.name is not None:
        params['name'] = a.name
    if a.names is not None:
        params['names'] = [n for n in a.names.split(',') if n]
    if a.per_channel:
        params['per_channel'] = True
    if a.reset_mode is not None:
        params['reset_mode'] = a.reset_mode
    return params or None


method('bdev_get_iostat', 'Get I/O statistics of bdevs',
       arg('-b', '--name', default=None, help='one bdev'),
       arg('--names', default=None, help='comma-separated bdev names'),
       arg('-c', '--per-channel', action='store_true', help='per channel'),
       arg('--reset-mode', default=None, choices=['all', 'maxmin', 'error', 'none'],
           help='what to reset after reading'),
       build=build_get_iostat, output='json')
method('bdev_reset_iostat', 'Reset I/O statistics of bdevs',
       arg('-b', '--name', help='one bdev (default: all)'),
       arg('-m', '--mode', choices=['all', 'maxmin'], help='what to reset'))
method('bdev_enable_histogram', 'Enable or disable the latency histogram of a bdev',
       arg('name', help='bdev name'),
       arg('-e', '--enable', dest='enable', action='store_true', default=True,
           help='enable (default)'),
       arg('-d', '--disable', dest='enable', action='store_false', help='disable'),
       build=lambda a: {'name': a.name, 'enable': a.enable})
method('bdev_get_histogram', 'Get the latency histogram of a bdev',
       arg('name', help='bdev name'))
method('bdev_set_options', 'Set bdev layer options (startup only)',
       arg('-p', '--bdev-io-pool-size', type=int, help='spdk_bdev_io pool size'),
       arg('-c', '--bdev-io-cache-size', type=int, help='spdk_bdev_io cache per thread'),
       arg('-s', '--iobuf-small-cache-size', type=int, help='small buffers cached per thread'),
       arg('-l', '--iobuf-large-cache-size', type=int, help='large buffers cached per thread'),
       arg('-e', '--enable-auto-examine', dest='bdev_auto_examine', action='store_true',
           help='examine new bdevs automatically'),
       arg('-d', '--disable-auto-examine', dest='bdev_auto_examine', action='store_false',
           help='do not examine new bdevs automatically'))
method('bdev_wait_for_examine', 'Wait until every bdev has been examined')


method('bdev_reset', 'Reset a bdev and wait for the reset to complete (updk)',
       arg('name', help='bdev name'))


def build_malloc_create(a):
    params = {'num_blocks': mb_to_blocks(a.total_size, a.block_size),
              'block_size': a.block_size}
    for key in ('name', 'uuid', 'optimal_io_boundary', 'physical_block_size', 'md_size',
                'dif_type', 'numa_id'):
        if getattr(a, key) is not None:
            params[key] = getattr(a, key)
    if a.md_interleave:
        params['md_interleave'] = True
    if a.dif_is_head_of_md:
        params['dif_is_head_of_md'] = True
    return params


method('bdev_malloc_create', 'Create a RAM bdev; prints its name',
       arg('total_size', type=float, help='size in MiB'),
       arg('block_size', type=int, help='block size in bytes'),
       arg('-b', '--name', help='name (default: Malloc<N>)'),
       arg('-u', '--uuid', help='UUID'),
       arg('-o', '--optimal-io-boundary', type=int, help='split I/O at this many blocks'),
       arg('-p', '--physical-block-size', type=int, help='physical block size'),
       arg('-m', '--md-size', type=int, help='metadata size per block'),
       arg('-i', '--md-interleave', action='store_true', help='interleave metadata'),
       arg('-t', '--dif-type', type=int, help='protection information type (0-3)'),
       arg('-d', '--dif-is-head-of-md', action='store_true', help='PI at the head of metadata'),
       arg('-n', '--numa-id', type=int, help='NUMA node'),
       build=build_malloc_create)
method('bdev_malloc_delete', 'Delete a RAM bdev', arg('name', help='bdev name'))


def build_null_create(a):
    params = {'name': a.name, 'num_blocks': mb_to_blocks(a.total_size, a.block_size),
              'block_size': a.block_size}
    for key in ('uuid', 'md_size', 'dif_type'):
        if getattr(a, key) is not None:
            params[key] = getattr(a, key)
    if a.dif_is_head_of_md:
        params['dif_is_head_of_md'] = True
    return params


method('bdev_null_create', 'Create a null bdev; prints its name',
       arg('name', help='bdev name'),
       arg('total_size', type=float, help='size in MiB'),
       arg('block_size', type=int, help='block size in bytes'),
       arg('-u', '--uuid', help='UUID'),
       arg('-m', '--md-size', type=int, help='metadata size per block'),
       arg('-t', '--dif-type', type=int, help='protection information type (0-3)'),
       arg('-d', '--dif-is-head-of-md', action='store_true', help='PI at the head of metadata'),
       build=build_null_create)
method('bdev_null_delete', 'Delete a null bdev', arg('name', help='bdev name'))
method('bdev_null_resize', 'Resize a null bdev',
       arg('name', help='bdev name'),
       arg('new_size', type=int, help='new size in MiB'))
method('bdev_aio_create', 'Create a bdev on a file or block device with libaio; prints its name',
       arg('filename', help='file or block device'),
       arg('name', help='bdev name'),
       arg('block_size', type=int, nargs='?', help='block size (default: detected)'),
       arg('-r', '--readonly', action='store_true', help='open read-only'),
       arg('--fallocate', action='store_true', help='unmap and write zeroes with fallocate'),
       arg('--nowait', action='store_true', help='submit reads and writes with RWF_NOWAIT'),
       arg('-u', '--uuid', help='UUID'))
method('bdev_aio_delete', 'Delete an aio bdev', arg('name', help='bdev name'))
method('bdev_aio_rescan', 'Pick up the new size of an aio bdev\'s file',
       arg('name', help='bdev name'))
method('bdev_uring_create', 'Create a bdev on a file or block device with io_uring; '
       'prints its name',
       arg('filename', help='file or block device'),
       arg('name', help='bdev name'),
       arg('block_size', type=int, nargs='?', help='block size (default: detected)'),
       arg('-u', '--uuid', help='UUID'))
method('bdev_uring_delete', 'Delete a uring bdev', arg('name', help='bdev name'))
method('bdev_uring_rescan', 'Pick up the new size of a uring bdev\'s file',
       arg('name', help='bdev name'))


# ---- NBD exports ----

method('nbd_start_disk', 'Export a bdev over NBD: /dev/nbdN, nbd://HOST[:PORT] or '
       'nbd+unix:///PATH; prints where',
       arg('bdev_name', help='bdev name'),
       arg('nbd_device', nargs='?', help='where to export it (default: a free /dev/nbdN)'))
method('nbd_stop_disk', 'Stop an NBD export', arg('nbd_device', help='the export\'s path'))
method('nbd_get_disks', 'List the NBD exports',
       arg('-n', '--nbd-device', help='only this export'))


# ---- virtual bdevs: error injection, delay, passthru ----

method('bdev_error_create', 'Create the error-injection bdev EE_<base_name> on a base bdev',
       arg('base_name', help='base bdev name'),
       arg('-u', '--uuid', help='UUID'))
method('bdev_error_delete', 'Delete an error-injection bdev', arg('name', help='bdev name'))


def build_error_inject(a):
    params = {'name': a.name, 'io_type': a.io_type, 'error_type': a.error_type}
    for key in ('num', 'queue_depth', 'corrupt_offset', 'corrupt_value'):
        if getattr(a, key) is not None:
            params[key] = getattr(a, key)
    return params


method('bdev_error_inject_error', 'Inject errors into I/O of an error bdev',
       arg('name', help='error bdev name'),
       arg('io_type', help='read, write, unmap, flush, write_zeroes, all or clear'),
       arg('error_type', help='failure, pending, corrupt_data or nomem'),
       arg('-n', '--num', type=int, help='how many I/O to inject into (default 1)'),
       arg('-q', '--queue-depth', type=int,
           help='nomem: inject while at least this many I/O are at the base'),
       arg('-o', '--corrupt-offset', type=int, help='corrupt_data: byte offset'),
       arg('-v', '--corrupt-value', type=int, help='corrupt_data: XOR mask (1-255)'),
       build=build_error_inject)
method('bdev_delay_create', 'Create a delay bdev on a base bdev; prints its name (latencies in us)',
       arg('-b', '--base-bdev-name', required=True, help='base bdev name'),
       arg('-d', '--name', required=True, help='name of the delay bdev'),
       arg('-r', '--avg-read-latency', type=int, required=True, help='average read latency'),
       arg('-t', '--nine-nine-read-latency', dest='p99_read_latency', type=int, required=True,
           help='p99 read latency'),
       arg('-w', '--avg-write-latency', type=int, required=True, help='average write latency'),
       arg('-n', '--nine-nine-write-latency', dest='p99_write_latency', type=int,
           required=True, help='p99 write latency'),
       arg('-u', '--uuid', help='UUID'))
method('bdev_delay_delete', 'Delete a delay bdev', arg('name', help='bdev name'))
method('bdev_delay_update_latency', 'Change one latency of a delay bdev',
       arg('delay_bdev_name', help='delay bdev name'),
       arg('latency_type', help='avg_read, p99_read, avg_write or p99_write'),
       arg('latency_us', type=int, help='latency in microseconds'))
method('bdev_passthru_create', 'Create a passthru bdev on a base bdev; prints its name',
       arg('-b', '--base-bdev-name', required=True, help='base bdev name'),
       arg('-p', '--name', required=True, help='name of the passthru bdev'),
       arg('-u', '--uuid', help='UUID'))
method('bdev_passthru_delete', 'Delete a passthru bdev', arg('name', help='bdev name'))


def build_call(a):
    if a.params is None:
        return None
    try:
        params = json.loads(a.params)
    except ValueError as e:
        raise RPCClientError('The params are not valid JSON: %s' % e)
    if not isinstance(params, (dict, list)):
        raise RPCClientError('The params must be a JSON object or array')
    return params


def run_call(client, a):
    print_result(client.call(a.method, build_call(a)), 'json' if a.json else 'auto')


method('call', 'Call any method with JSON params',
       arg('method', help='method name'),
       arg('params', nargs='?', help='params as a JSON object or array'),
       arg('--json', action='store_true', help='print the result as JSON even if true'),
       run=run_call)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def build_parser():
    parser = argparse.ArgumentParser(
        description='JSON-RPC client of updk/SPDK applications',
        epilog='Use "%(prog)s METHOD -h" for the arguments of a method.')
    parser.add_argument('-s', '--server', dest='rpc_server', default=DEFAULT_SOCKET,
                        help='Unix socket path, IP address, or IP:PORT (default %s)' %
                        DEFAULT_SOCKET)
    parser.add_argument('-p', '--port', dest='rpc_port', type=int, default=DEFAULT_PORT,
                        help='TCP port when -s is an IP address (default %d)' % DEFAULT_PORT)
    parser.add_argument('-t', '--timeout', dest='rpc_timeout', type=float,
                        default=DEFAULT_TIMEOUT,
                        help='seconds to wait for a response (default %.0f)' % DEFAULT_TIMEOUT)
    parser.add_argument('-r', '--conn-retries', dest='rpc_retries', type=int, default=0,
                        help='times to retry connecting, 0.2 s apart (default 0)')
    parser.add_argument('-v', '--verbose', dest='rpc_verbose', action='store_true',
                        help='print requests and responses to stderr')
    parser.add_argument('--dry-run', dest='rpc_dry_run', action='store_true',
                        help='print the request instead of sending it')
    # Global options use rpc_* destinations so that a method's own options
    # (bdev_get_bdevs -t TIMEOUT) cannot overwrite them.
    sub = parser.add_subparsers(dest='command', metavar='METHOD')
    sub.required = True
    for cmd in COMMANDS:
        p = sub.add_parser(cmd['name'], help=cmd['help'], description=cmd['help'])
        dests = []
        for flags, kwargs in cmd['args']:
            kwargs = dict(kwargs)
            # Options not given stay out of the params.
            if flags[0].startswith('-') and 'default' not in kwargs:
                kwargs['default'] = None
            action = p.add_argument(*flags, **kwargs)
            if action.dest not in dests:
                dests.append(action.dest)
        p.set_defaults(_cmd=cmd, _dests=dests)
    return parser


def default_params(a):
    params = {}
    for dest in a._dests:
        value = getattr(a, dest)
        # Options that were not given are None (store_true ones included).
        if value is None:
            continue
        params[dest] = value
    return params or None


def main(argv=None):
    parser = build_parser()
    a = parser.parse_args(argv)
    cmd = a._cmd
    client = None
    try:
        if cmd['run'] is not None and a.rpc_dry_run and cmd['name'] != 'call':
            raise RPCClientError('--dry-run does not apply to %s' % cmd['name'])
        if cmd['build'] is not None:
            try:
                params = cmd['build'](a)
            except ValueError as e:
                raise RPCClientError(str(e))
        elif cmd['run'] is None:
            params = default_params(a)
        if cmd['name'] == 'call':
            build_call(a)
        client = Client(a.rpc_server, a.rpc_port, a.rpc_timeout, a.rpc_retries, a.rpc_verbose,
                        a.rpc_dry_run)
        if cmd['run'] is not None:
            cmd['run'](client, a)
        else:
            result = client.call(cmd['name'], params)
            if not a.rpc_dry_run:
                print_result(result, cmd['output'])
    except JSONRPCError as e:
        print('request:\n' + json.dumps(e.request, indent=2), file=sys.stderr)
        print('Got JSON-RPC error response', file=sys.stderr)
        print('response:\n' + json.dumps(e.error, indent=2), file=sys.stderr)
        return 1
    except RPCClientError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if client is not None:
            client.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
