"""The demo trust, on the top floor: it builds one fictional trust through every app's services (builder.py) and
offers `safesocial demo` to load it and print the accounts (management/commands/demo.py)."""
