"""The slot a higher floor fills: publishing listens for withdrawals to open a decision on each affected post."""

from django.dispatch import Signal

# Sent inside the withdrawal's transaction with consent=<the new Consent row>, pupil, posts=<published posts that
# relied on the withdrawn consent>.
consent_withdrawn = Signal()
