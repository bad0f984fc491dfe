"""pakn-bot models."""
