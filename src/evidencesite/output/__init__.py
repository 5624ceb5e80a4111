"""What leaves the build: the one writer of the output folder, exports, static files, and
the search index."""
