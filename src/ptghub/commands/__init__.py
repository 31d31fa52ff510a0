"""The one command language of ptghub: grammar, registry, handlers, and ``execute``."""
