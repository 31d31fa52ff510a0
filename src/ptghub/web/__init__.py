"""The web front end: event pages, the live board, the JSON API and the exports."""
