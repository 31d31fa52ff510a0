"""The Matrix adapter: ``adapter.MatrixBot`` on a self-healing ``link.MatrixLink``.

``config`` holds the settings and their checks, ``gap`` reads back what a cut sync left
out. Nothing is imported here, so that the command line loads matrix-nio only when the
Matrix bot runs.
"""
