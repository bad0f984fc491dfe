"""pakn-bot handlers."""
