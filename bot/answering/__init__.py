"""The engine's answers, one module per intent, sharing story resolution and card building."""
