"""pakn-bot tests."""
