"""SafeSocial behind Python's own WSGI server (wsgiref with ThreadingMixIn: one thread per connection).

No production server (gunicorn, waitress) is installed in the project, and the benchmarks add no dependency.
wsgiref speaks HTTP/1.0 and closes each connection after one response, so a load generator reconnects for
every request. Settings come from the environment, as always. Prints `listening <host>:<port>` once ready.

    .venv/bin/python benchmarks/wsgi_server.py --port 8001
"""

from __future__ import annotations

import argparse
import os
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # the default of 5 refuses connections under a burst of 16


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per request would cost more than some pages
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safesocial.settings")
    from safesocial.wsgi import application

    with make_server(args.host, args.port, application, ThreadingWSGIServer, QuietHandler) as server:
        host, port = server.server_address[:2]
        print(f"listening {host}:{port}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
