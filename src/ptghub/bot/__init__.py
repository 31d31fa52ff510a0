"""Chat adapters: text in with the sender's identity -> command -> result -> text out.

``conversation.BotCore`` holds every rule that is the same on IRC and Matrix (prefixes,
replies, identity, subscription notices); a network adapter (``irc/``, ``matrix/``) only
turns its protocol into ``Incoming`` values and implements ``Transport.send``.
``MemoryTransport`` is the in-process double, so the command behaviour is tested once
without a network.
"""
