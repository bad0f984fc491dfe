"""pakn-bot bot."""
