"""Tests of bot.nlp: sentences, summaries, attributions, analysis."""
