"""The pure domain of ptghub: entities, domain events, validation. No I/O here."""
