# The channels ready to post to, shared with the publishing tests.
from safesocial.publishing.tests.conftest import channel_admin, colleague, facebook, sandbox  # noqa: F401
