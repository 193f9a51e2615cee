"""newsbot core engine: article catalogue, reading the news, and answering questions.

The core is platform-neutral: it never imports an adapter, discord or slack_bolt.
"""

__version__ = "0.1.0"
