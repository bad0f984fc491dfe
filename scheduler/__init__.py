"""pakn-bot scheduler."""
