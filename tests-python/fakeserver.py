"""A scripted PostgreSQL server on 127.0.0.1, for what a real one cannot be made to do: go
silent, send garbage, lie about lengths, miscount columns.

Each accepted connection runs ``script(peer)`` in a thread of its own; ``Peer`` reads the
client's messages and writes the server's. Every socket has a timeout and every thread is a
daemon, so a test that goes wrong cannot hang the run; ``FakeServer.close()`` ends it all.
"""
import socket
import struct
import threading

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
PROTOCOL_3 = 196608

# What a PostgreSQL 15 server reports at start-up, as psycopg2 expects to read it.
STARTUP_PARAMETERS = [
    ('server_version', '15.0'), ('server_encoding', 'UTF8'), ('client_encoding', 'UTF8'),
    ('standard_conforming_strings', 'on'), ('DateStyle', 'ISO, MDY'),
    ('integer_datetimes', 'on'), ('TimeZone', 'UTC'),
]


def message(kind, payload=b''):
    """One backend message: its type byte, its length (counting itself) and the payload."""
    return kind + struct.pack('!I', len(payload) + 4) + payload


def cstring(text):
    return text.encode('utf-8') + b'\x00'


def row_description(*names):
    """Text columns of type text (OID 25)."""
    fields = b''.join(cstring(n) + struct.pack('!IhIhih', 0, 0, 25, -1, -1, 0) for n in names)
    return message(b'T', struct.pack('!h', len(names)) + fields)


def data_row(*values):
    parts = [struct.pack('!h', len(values))]
    for v in values:
        if v is None:
            parts.append(struct.pack('!i', -1))
        else:
            data = v if isinstance(v, bytes) else str(v).encode('utf-8')
            parts.append(struct.pack('!i', len(data)) + data)
    return message(b'D', b''.join(parts))


def command_complete(tag):
    return message(b'C', cstring(tag))


def ready(status=b'I'):
    return message(b'Z', status)


def error_response(code, text, severity='ERROR'):
    fields = b'S' + cstring(severity) + b'V' + cstring(severity) + b'C' + cstring(code)
    raw = text if isinstance(text, bytes) else text.encode('utf-8')
    return message(b'E', fields + b'M' + raw + b'\x00\x00')


class Peer:
    """The server's end of one connection."""

    def __init__(self, sock):
        self.sock = sock

    def recv_exact(self, size):
        data = b''
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise EOFError('client closed the connection')
            data += chunk
        return data

    def read_startup(self):
        """The start-up packet's parameters; SSL and GSS encryption requests are declined."""
        while True:
            length, code = struct.unpack('!II', self.recv_exact(8))
            body = self.recv_exact(length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                self.sock.sendall(b'N')
                continue
            if code != PROTOCOL_3:
                raise ValueError('unexpected start-up code %d' % code)
            items = body.split(b'\x00')
            return {items[i].decode(): items[i + 1].decode() for i in range(0, len(items) - 2, 2)}

    def read_message(self):
        """The client's next message as (type, payload)."""
        kind = self.recv_exact(1)
        (length,) = struct.unpack('!I', self.recv_exact(4))
        return kind, self.recv_exact(length - 4)

    def read_query(self):
        """The SQL of the client's next simple query (b'X' Terminate: EOFError)."""
        kind, payload = self.read_message()
        if kind == b'X':
            raise EOFError('client sent Terminate')
        assert kind == b'Q', kind
        return payload.rstrip(b'\x00').decode('utf-8')

    def send(self, data):
        self.sock.sendall(data)

    def handshake(self):
        """Trust authentication and a ready session."""
        self.read_startup()
        out = message(b'R', struct.pack('!I', 0))
        out += b''.join(message(b'S', cstring(k) + cstring(v)) for k, v in STARTUP_PARAMETERS)
        out += message(b'K', struct.pack('!II', 4242, 1234)) + ready()
        self.send(out)

    def answer_queries(self, reply):
        """Answers every query with ``reply(sql)`` (bytes) until the client goes."""
        while True:
            try:
                sql = self.read_query()
            except (EOFError, OSError):
                return
            self.send(reply(sql))

    def wait_for_close(self):
        """Stays silent until the client hangs up (or the socket times out)."""
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass


class FakeServer:
    def __init__(self, script, timeout=30.0):
        self.script = script
        self.timeout = timeout
        self.errors = []
        self.peers = []
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def dsn(self, **extra):
        params = dict(host='127.0.0.1', port=self.port, user='fake', dbname='fake',
                      sslmode='disable', connect_timeout=10)
        params.update(extra)
        return ' '.join('%s=%s' % item for item in params.items())

    def _accept(self):
        while not self._closed:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            sock.settimeout(self.timeout)
            self.peers.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        try:
            self.script(Peer(sock))
        except (EOFError, OSError):
            pass
        except Exception as e:            # a broken script: the test reports it
            self.errors.append(e)
        finally:
            sock.close()

    def close(self):
        self._closed = True
        # shutdown() wakes a thread blocked in accept() or recv(); close() alone may not.
        for sock in [self.listener] + self.peers:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
