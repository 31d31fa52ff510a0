"""Live updates: follow the changes of events (from any process) and fan them out.

``Follower`` is the one loop per process that reads the audit log ("entries after id
N") for every subscriber: the web watcher, the bots' announcers, the coming mailer.
``Bus`` holds the web subscribers (one bounded queue each); ``Watcher`` follows every
viewed event and publishes one ``Message`` per change, rendered once for all.
"""

from ptghub.live.bus import Bus, Message, Subscription
from ptghub.live.follower import Change, Feed, Follower
from ptghub.live.watcher import Renderer, Watcher

__all__ = ["Bus", "Change", "Feed", "Follower", "Message", "Renderer", "Subscription", "Watcher"]
