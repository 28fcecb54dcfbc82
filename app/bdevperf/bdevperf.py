#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# Client of bdevperf's perform_tests RPC, for a bdevperf started with -z:
# sends one JSON-RPC 2.0 request over the Unix socket (or TCP address) and
# prints the JSON result. Same command line as SPDK's bdevperf.py; needs only
# the Python standard library.

import argparse
import json
import socket
import sys

WORKLOADS = ("read", "write", "randread", "randwrite", "rw", "randrw", "verify", "reset",
             "unmap", "flush", "write_zeroes")


class RpcError(Exception):
    pass


def rpc_call(addr, port, timeout, method, params):
    if addr.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = addr
    else:
        sock = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                             socket.SOCK_STREAM)
        target = (addr, port)
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except OSError as e:
        raise RpcError(f"cannot connect to {addr}: {e.strerror or e}")
    request = {"jsonrpc": "2.0", "method": method, "id": 1}
    if params:
        request["params"] = params
    sock.sendall(json.dumps(request).encode())

    decoder = json.JSONDecoder()
    buf = ""
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise RpcError(f"no response from {addr} within {timeout:g} s")
        if not chunk:
            raise RpcError("connection closed before a complete response arrived")
        buf += chunk.decode()
        try:
            response, _ = decoder.raw_decode(buf.lstrip())
            break
        except ValueError:
            continue
    sock.close()
    if "error" in response:
        err = response["error"]
        raise RpcError(f"{err.get('message', 'error')} (code {err.get('code')})")
    return response.get("result")


def main():
    parser = argparse.ArgumentParser(description="Run a test in a bdevperf started with -z.")
    parser.add_argument("-s", dest="server_addr", default="/var/tmp/spdk.sock",
                        help="RPC Unix socket path or IP address (default /var/tmp/spdk.sock)")
    parser.add_argument("-p", dest="port", type=int, default=5260,
                        help="RPC port when the address is an IP address (default 5260)")
    parser.add_argument("-t", dest="timeout", type=float, default=60.0,
                        help="seconds to wait for the response (default 60, at least the "
                             "test time plus 5)")
    parser.add_argument("-v", dest="verbose", action="store_true",
                        help="print the request sent")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("perform_tests",
                       help="run a test; parameters given replace those of earlier runs")
    p.add_argument("-q", dest="queue_depth", type=int, help="queue depth")
    p.add_argument("-o", dest="io_size", type=str, help="I/O size in bytes (4k, 1m allowed)")
    p.add_argument("-t", dest="time_in_sec", type=int, help="run time in seconds")
    p.add_argument("-M", dest="rw_percentage", type=int, choices=range(0, 101),
                   metavar="[0-100]", help="share of reads for rw and randrw")
    p.add_argument("-w", dest="workload_type", type=str.lower, choices=WORKLOADS,
                   help="workload")
    args = parser.parse_args()
    if args.command != "perform_tests":
        parser.print_help()
        return 1

    params = {}
    for name in ("queue_depth", "time_in_sec", "workload_type", "io_size", "rw_percentage"):
        value = getattr(args, name)
        if value is not None:
            params[name] = value
    timeout = args.timeout
    if args.time_in_sec is not None:
        timeout = max(timeout, float(args.time_in_sec + 5))
    if args.verbose:
        print(json.dumps({"method": "perform_tests", "params": params}), file=sys.stderr)
    try:
        result = rpc_call(args.server_addr, args.port, timeout, "perform_tests", params)
    except RpcError as e:
        print(e, file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
