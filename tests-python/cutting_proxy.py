"""A TCP proxy on 127.0.0.1 that passes bytes between a client and a real server, and can cut
or stall one connection at an exact byte offset of one direction.

``CuttingProxy(host, port)`` listens on ``proxy.port``. ``proxy.arm(direction, offset, mode)``
sets what happens to the next connection it accepts (later ones pass through untouched, so that
a cancel request or a second connection is not disturbed):

- ``direction``: ``'c2s'`` (client to server) or ``'s2c'`` (server to client);
- ``offset``: how many bytes of that direction pass, counted from the connection's first byte;
  the fault happens when byte ``offset + 1`` arrives (so an offset at or past the end of a
  stream is never reached and changes nothing);
- ``mode``: ``'cut'`` closes both sides at once (each is shut down for writing, then read and
  discarded until it closes or for a few seconds, then closed: a FIN, not an RST that could
  throw away bytes already passed); ``'stall'`` stops passing (and reading) that direction,
  then cuts after ``close_after`` seconds.

Each accepted connection is a ``Link``; ``proxy.links`` lists them, and a link counts the bytes
it passed each way (``link.passed``); armed with ``record``, it also keeps them
(``link.recorded``: every byte passed, up to the fault). Every socket has a timeout and every thread is a daemon;
``proxy.close()`` cuts every link, closes every socket and waits for the threads.
"""
import socket
import threading
import time

DIRECTIONS = ('c2s', 's2c')
POLL = 0.05          # how often a blocked thread looks whether it should stop
DRAIN = 3.0          # how long a cut link reads and discards before closing regardless


class Plan(tuple):
    """(direction, offset, mode, close_after, record); ``plan.link`` is the Link it was given
    to, once accepted."""

    def __new__(cls, *fields):
        plan = super().__new__(cls, fields)
        plan.link = None
        plan.accepted = threading.Event()
        return plan


class Link:
    """One client connection and its connection to the server."""

    def __init__(self, proxy, client, server, plan):
        self.proxy = proxy
        self.client = client
        self.server = server
        # None or (direction, offset, mode, close_after, record)
        self.plan = plan
        self.recorded = ({'c2s': bytearray(), 's2c': bytearray()}
                         if plan is not None and plan[4] else None)
        self.passed = {'c2s': 0, 's2c': 0}
        self.faulted = threading.Event()      # the planned fault happened
        self.cut_event = threading.Event()
        self.closed = threading.Event()
        self._lock = threading.Lock()
        self._cut_at = None
        self._pumps_done = 0
        if plan is not None:
            plan.link = self
            plan.accepted.set()
        self.threads = [
            threading.Thread(target=self._pump, args=('c2s', client, server), daemon=True),
            threading.Thread(target=self._pump, args=('s2c', server, client), daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def cut(self):
        """Shut both sides down for writing; the pumps then drain and close them."""
        with self._lock:
            if self._cut_at is not None:
                return
            self._cut_at = time.monotonic()
        for sock in (self.client, self.server):
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        self.cut_event.set()

    def _limit(self, direction):
        if self.plan is None or self.plan[0] != direction:
            return None
        return self.plan[1]

    def _send(self, target, data):
        """All of data, however slowly the peer reads (a socket timeout is not an error
        here), unless the link is cut meanwhile."""
        view = memoryview(data)
        while view:
            if self.cut_event.is_set():
                return
            try:
                sent = target.send(view)
            except socket.timeout:
                continue
            view = view[sent:]

    def _pump(self, direction, source, target):
        limit = self._limit(direction)
        try:
            while True:
                if self.cut_event.is_set() and time.monotonic() - self._cut_at > DRAIN:
                    break
                try:
                    data = source.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    break
                if not data:
                    if not self.cut_event.is_set():
                        try:
                            target.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                    break
                if self.cut_event.is_set():
                    continue                  # draining: discard
                if limit is not None and self.passed[direction] + len(data) > limit:
                    keep = limit - self.passed[direction]
                    if keep > 0:
                        self._send(target, data[:keep])
                        self.passed[direction] += keep
                        if self.recorded is not None:
                            self.recorded[direction] += data[:keep]
                    self.faulted.set()
                    if self.plan[2] == 'stall':
                        # Stop reading this side; cut when the time comes (or when closed).
                        self.cut_event.wait(self.plan[3])
                        self.cut()
                    else:
                        self.cut()
                    limit = None
                    continue
                self._send(target, data)
                self.passed[direction] += len(data)
                if self.recorded is not None:
                    self.recorded[direction] += data
        except OSError:
            pass
        finally:
            with self._lock:
                self._pumps_done += 1
                last = self._pumps_done == 2
            if not last:
                # The other direction may still be blocked in its peer: end it.
                self.cut()
            else:
                for sock in (self.client, self.server):
                    try:
                        sock.close()
                    except OSError:
                        pass
                self.closed.set()

    def close(self):
        self.cut()
        for thread in self.threads:
            thread.join(DRAIN + 2)
        for sock in (self.client, self.server):
            try:
                sock.close()
            except OSError:
                pass


class CuttingProxy:
    def __init__(self, host, port):
        self.target = (host, int(port))
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(64)
        self.listener.settimeout(POLL)
        self.port = self.listener.getsockname()[1]
        self.links = []
        self._plan = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.errors = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def dsn(self, **extra):
        params = {'host': '127.0.0.1', 'port': self.port, 'sslmode': 'disable'}
        params.update(extra)
        return ' '.join('%s=%s' % item for item in params.items())

    def arm(self, direction, offset, mode='cut', close_after=5.0, record=False):
        """The fault for the next connection accepted; direction None for none (with record,
        to keep the bytes it passes in ``link.recorded``)."""
        assert direction in DIRECTIONS + (None,) and mode in ('cut', 'stall')
        plan = Plan(direction, offset, mode, close_after, record)
        with self._lock:
            self._plan = plan
        return plan

    def forget_closed(self):
        """Drop the links that have ended (a long sweep need not keep them)."""
        with self._lock:
            self.links[:] = [link for link in self.links if not link.closed.is_set()]

    def disarm(self):
        with self._lock:
            self._plan = None

    def _accept(self):
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError as error:
                self.errors.append('cannot reach the server: %r' % (error,))
                client.close()
                continue
            for sock in (client, server):
                sock.settimeout(POLL)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                plan, self._plan = self._plan, None
                self.links.append(Link(self, client, server, plan))

    def close(self):
        self._stop.set()
        self._acceptor.join(2)
        self.listener.close()
        with self._lock:
            links = list(self.links)
        for link in links:
            link.close()
