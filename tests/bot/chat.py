"""The people and the channel of the bot core's tests, and how they talk to the bot: said
in the channel (``say``) or told in private (``tell``)."""

from __future__ import annotations

from ptghub.bot.conversation import BotCore
from ptghub.bot.transport import Incoming, Sender

CHANNEL = "#openstack-ptg"
CHAIR = Sender("nchair", host="nc@chair.example.org")
ALICE = Sender("alice", host="alice@example.org")
BOB = Sender("bob", host="bob@impostor.example.org")
ORGANIZER = Sender("olivia", host="olivia@example.org")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def say(bot: BotCore, sender: Sender, text: str) -> None:
    bot.handle(Incoming(sender, text, CHANNEL))


def tell(bot: BotCore, sender: Sender, text: str) -> None:
    bot.handle(Incoming(sender, text))
