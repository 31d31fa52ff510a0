"""Live updates: notice changes of an event (from any process) and fan them out.

``Bus`` holds the subscribers (one bounded queue each); ``Watcher`` polls the version of
every viewed event and publishes one ``Message`` per change, rendered once for all.
"""

from ptghub.live.bus import Bus, Message, Subscription
from ptghub.live.watcher import Renderer, Watcher

__all__ = ["Bus", "Message", "Renderer", "Subscription", "Watcher"]
