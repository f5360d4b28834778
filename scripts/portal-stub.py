#!/usr/bin/env python3
"""A stand-in for the Central Portal's upload endpoint, on loopback, for scripts/release-check.sh.

central-publishing-maven-plugin builds the bundle and then uploads it (POST
/api/v1/publisher/upload, a multipart form with the bundle); it has no switch that keeps the bundle
and skips only the upload (skipPublishing leaves everything out of the bundle). Pointed at this
stub (-DcentralBaseUrl=http://127.0.0.1:PORT -DwaitUntil=uploaded), the release build runs exactly
as it would against the Portal up to the upload, which lands here: the stub saves the request body
and answers with a deployment id. Nothing leaves the machine.

usage: portal-stub.py PORT_FILE BODY_FILE   (writes the port it listens on to PORT_FILE)
"""
import http.server
import sys
import uuid

port_file, body_file = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.startswith("/api/v1/publisher/upload"):
            with open(body_file, "wb") as f:
                f.write(body)
            answer = str(uuid.uuid4()).encode()
            self.send_response(201)
        else:
            answer = b"not served by the stub"
            self.send_response(404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        sys.stderr.write("portal-stub: %s %s, %d bytes\n" % (self.command, self.path, length))

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
