"""Mail servers outside our code, on 127.0.0.1: one that speaks just enough SMTP (and can refuse the
first messages, as a server that is briefly unavailable), and one that accepts and never answers."""

import socket
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server = self.server
        self._say("220 localhost test SMTP")
        data, in_data = [], False
        while line := self.rfile.readline():
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    with server.lock:
                        if server.refuse > 0:
                            server.refuse -= 1
                            self._say("451 4.3.0 try again later")
                        else:
                            server.messages.append(b"".join(data))
                            self._say("250 2.0.0 queued")
                    data = []
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self._say("250 localhost")
            elif verb == b"DATA":
                in_data = True
                self._say("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self._say("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self._say("250 OK")


class SmtpServer(socketserver.ThreadingTCPServer):
    """`with SmtpServer(refuse=1) as server:` server.port; server.messages (raw, as received)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, refuse: int = 0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.refuse, self.messages, self.lock = refuse, [], threading.Lock()
        self.port = self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class HangingServer:
    """Accepts connections and never says a word: the mail server that makes a sender wait."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(100)
        self.port = self.sock.getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()
