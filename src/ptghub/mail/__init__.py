"""Mail delivery: the outbox's sender worker, over real SMTP.

``config`` (the SMTP settings, checked once), ``message`` (an outbox row as a MIME
message), ``sender`` (``MailWorker``: claims due rows through ``store.mail_delivery`` and
sends each over SMTP with aiosmtplib; in ``ptghub serve`` and ``ptghub mail worker``).
Imports ``store`` and below; only ``cli`` imports it. docs/mail.md says how it behaves.
"""
