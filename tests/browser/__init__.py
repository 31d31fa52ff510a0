"""Browser tests: the real server in a subprocess, driven by headless Chromium."""
