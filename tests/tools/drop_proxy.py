#!/usr/bin/env python3
# drop_proxy.py — an HTTP proxy on loopback between a station and the real
# forecourt-hq that can lose head office's answer: while the file DROP
# exists, the next POST is forwarded and applied by head office, but its
# reply never reaches the station (the connection is closed instead), and
# DROP is removed.  Prints its port on stdout.
#   drop_proxy.py TARGET_PORT DROP_FILE
import http.client, os, socketserver, sys, threading
from http.server import BaseHTTPRequestHandler

TARGET = int(sys.argv[1])
DROP = sys.argv[2]
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        up = http.client.HTTPConnection("127.0.0.1", TARGET, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        up.request(self.command, self.path, body, headers)
        r = up.getresponse()
        data = r.read()
        up.close()
        if self.command == "POST":
            with lock:
                drop = os.path.exists(DROP)
                if drop:
                    os.unlink(DROP)
            if drop:  # head office applied it; the station never hears so
                self.close_connection = True
                self.wfile.flush()
                self.connection.shutdown(2)
                return
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = forward
    do_POST = forward


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
