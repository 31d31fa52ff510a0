"""ptghub: runs a Project Teams Gathering from first announcement to the last session."""

__version__ = "0.1.0"
