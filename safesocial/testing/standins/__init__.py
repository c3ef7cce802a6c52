"""Local stand-ins for the social networks' APIs, one module per API host, built from their public docs.

Each is a small threaded HTTP server on 127.0.0.1 that answers the endpoints our adapters use with the JSON the docs
show, keeps what was published so reads see it, records every request it received, and can be switched into the
failures the docs describe. The root conftest.py loads every module here through `pytest_plugins`; tests ask for
the fixtures (`graph`, `x_api`, `youtube`, ...) and import tokens and classes from the platform's module."""
