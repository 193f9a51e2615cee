"""Chat adapters. Each translates platform payloads to ``bot.messages.Query`` and renders
``bot.messages.Answer`` back. Adapters import ``bot``; ``bot`` never imports adapters."""
