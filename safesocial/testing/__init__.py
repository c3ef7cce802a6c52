"""What the tests share, kept out of any one app.

Fixtures live in the modules the root conftest.py lists in `pytest_plugins`, so pytest finds them for every test;
plain helpers (a channel made ready to post to, a photo, a family, a stand-in's token) are imported from
`safesocial.testing.<module>`. Nothing here is imported by the running application."""
