"""Article catalogue: the protocol and its backends, chosen by database URL."""
