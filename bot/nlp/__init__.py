"""Reading the news: sentences, summaries, attributions and entities, computed at ingestion."""
