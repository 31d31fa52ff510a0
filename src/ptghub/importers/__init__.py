"""Importers: turn other tools' data into the domain events that create a ptghub event."""
