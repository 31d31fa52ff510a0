"""The IRC adapter: ``adapter.IrcBot`` on a self-healing ``link.IrcLink``.

``config`` holds the settings, ``caps`` the CAP/SASL negotiation, ``roster`` who is in
the channel with which account and modes, ``wire`` how a text becomes one IRC line and
``backoff`` the delays between reconnection attempts. Nothing is imported here, so that
the command line loads jaraco's ``irc`` only when the IRC bot runs.
"""
