from django.dispatch import Signal

# kwargs: subscription (an email alert waiting for its confirmation link); sent after commit.
subscription_needs_confirmation = Signal()
