"""Question understanding helpers: typo-tolerant intent words and quote phrasings."""
