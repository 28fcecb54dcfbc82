# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# A small NBD client for the tests (the fixed newstyle handshake and simple
# replies), written from the protocol specification with the standard
# library only. It can pipeline: submit() sends a request and returns its
# cookie, reply() reads the next reply, whichever request it answers.

import socket
import struct

INIT_MAGIC = 0x4e42444d41474943
OPTS_MAGIC = 0x49484156454f5054
OPT_REPLY_MAGIC = 0x0003e889045565a9
REQ_MAGIC = 0x25609513
REPLY_MAGIC = 0x67446698

OPT_EXPORT_NAME, OPT_ABORT, OPT_LIST, OPT_STARTTLS, OPT_INFO, OPT_GO = 1, 2, 3, 5, 6, 7
OPT_STRUCTURED_REPLY = 8
REP_ACK, REP_SERVER, REP_INFO = 1, 2, 3
REP_ERR_UNSUP, REP_ERR_INVALID, REP_ERR_UNKNOWN = 2**31 + 1, 2**31 + 3, 2**31 + 6
INFO_EXPORT, INFO_NAME, INFO_BLOCK_SIZE = 0, 1, 3

CMD_READ, CMD_WRITE, CMD_DISC, CMD_FLUSH, CMD_TRIM, CMD_CACHE, CMD_WRITE_ZEROES = range(7)
CMD_FLAG_FUA = 1

TF_HAS_FLAGS, TF_READ_ONLY, TF_SEND_FLUSH, TF_SEND_FUA = 1, 2, 4, 8
TF_SEND_TRIM, TF_SEND_WRITE_ZEROES, TF_CAN_MULTI_CONN = 32, 64, 256

EPERM, EIO, ENOMEM, EINVAL, ENOSPC, ENOTSUP = 1, 5, 12, 22, 28, 95


class NbdError(Exception):
    pass


def connect(address, timeout=30):
    """Connect to 'nbd://HOST:PORT' or 'nbd+unix:///PATH'."""
    if address.startswith('nbd+unix://'):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(address[len('nbd+unix://'):])
        return s
    if not address.startswith('nbd://'):
        raise ValueError('not an NBD address: ' + address)
    host, _, port = address[len('nbd://'):].rpartition(':')
    s = socket.create_connection((host.strip('[]'), int(port)), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Client:
    def __init__(self, address, timeout=30):
        self.sock = connect(address, timeout)
        self.size = None
        self.tflags = None
        self.block_sizes = None
        self.next_cookie = 1
        # cookie -> (command, length) of requests without a reply yet
        self.pending = {}
        magic, opts, hflags = struct.unpack('>QQH', self.recv(18))
        if magic != INIT_MAGIC or opts != OPTS_MAGIC:
            raise NbdError('bad greeting %x %x' % (magic, opts))
        self.hflags = hflags
        # fixed newstyle, no zeroes
        self.sock.sendall(struct.pack('>I', hflags & 3))

    def recv(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise NbdError('connection closed after %d of %d bytes' % (len(buf), n))
            buf += chunk
        return bytes(buf)

    def close(self):
        self.sock.close()

    # ---- option haggling ----

    def option(self, opt, data=b''):
        self.sock.sendall(struct.pack('>QII', OPTS_MAGIC, opt, len(data)) + data)

    def option_reply(self):
        magic, opt, rtype, length = struct.unpack('>QIII', self.recv(20))
        if magic != OPT_REPLY_MAGIC:
            raise NbdError('bad option reply magic %x' % magic)
        return opt, rtype, self.recv(length)

    def list_exports(self):
        self.option(OPT_LIST)
        names = []
        while True:
            _, rtype, data = self.option_reply()
            if rtype == REP_ACK:
                return names
            if rtype != REP_SERVER:
                raise NbdError('LIST: reply type %x' % rtype)
            n, = struct.unpack('>I', data[:4])
            names.append(data[4:4 + n].decode())

    def info(self, name, go=False, requests=(INFO_BLOCK_SIZE,)):
        """OPT_INFO or OPT_GO. Returns the error reply type, or 0 on success."""
        nb = name.encode()
        data = struct.pack('>I', len(nb)) + nb + struct.pack('>H', len(requests))
        data += b''.join(struct.pack('>H', r) for r in requests)
        self.option(OPT_GO if go else OPT_INFO, data)
        self.info_name = None
        while True:
            _, rtype, data = self.option_reply()
            if rtype == REP_ACK:
                return 0
            if rtype & 2**31:
                return rtype
            if rtype != REP_INFO:
                raise NbdError('INFO: reply type %x' % rtype)
            itype, = struct.unpack('>H', data[:2])
            if itype == INFO_EXPORT:
                self.size, self.tflags = struct.unpack('>QH', data[2:12])
            elif itype == INFO_BLOCK_SIZE:
                self.block_sizes = struct.unpack('>III', data[2:14])
            elif itype == INFO_NAME:
                self.info_name = data[2:].decode()

    def go(self, name=''):
        rc = self.info(name, go=True, requests=(INFO_BLOCK_SIZE, INFO_NAME))
        if rc != 0:
            raise NbdError('GO %r refused: %x' % (name, rc))
        return self

    def export_name(self, name=''):
        self.option(OPT_EXPORT_NAME, name.encode())
        data = self.recv(10)
        self.size, self.tflags = struct.unpack('>QH', data)
        if not self.hflags & 2:
            self.recv(124)
        return self

    # ---- transmission ----

    def submit(self, cmd, offset=0, length=0, data=None, flags=0):
        cookie = self.next_cookie
        self.next_cookie += 1
        if cmd == CMD_WRITE:
            length = len(data)
        hdr = struct.pack('>IHHQQI', REQ_MAGIC, flags, cmd, cookie, offset, length)
        self.sock.sendall(hdr + (data or b''))
        self.pending[cookie] = (cmd, length)
        return cookie

    def reply(self):
        """The next reply: (cookie, error, data)."""
        magic, error, cookie = struct.unpack('>IIQ', self.recv(16))
        if magic != REPLY_MAGIC:
            raise NbdError('bad reply magic %x' % magic)
        if cookie not in self.pending:
            raise NbdError('reply for unknown cookie %d' % cookie)
        cmd, length = self.pending.pop(cookie)
        data = self.recv(length) if cmd == CMD_READ and error == 0 else b''
        return cookie, error, data

    def call(self, cmd, offset=0, length=0, data=None, flags=0):
        cookie = self.submit(cmd, offset, length, data, flags)
        got, error, data = self.reply()
        if got != cookie:
            raise NbdError('expected the reply to %d, got %d' % (cookie, got))
        return error, data

    def read(self, offset, length):
        error, data = self.call(CMD_READ, offset, length)
        if error:
            raise NbdError('read %d+%d: error %d' % (offset, length, error))
        return data

    def write(self, offset, data, flags=0):
        error, _ = self.call(CMD_WRITE, offset, data=data, flags=flags)
        if error:
            raise NbdError('write %d+%d: error %d' % (offset, len(data), error))

    def flush(self):
        error, _ = self.call(CMD_FLUSH)
        if error:
            raise NbdError('flush: error %d' % error)

    def disconnect(self):
        self.sock.sendall(struct.pack('>IHHQQI', REQ_MAGIC, 0, CMD_DISC, 0, 0, 0))
        self.sock.close()
