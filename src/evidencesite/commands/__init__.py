"""The command line: `build`, `check`, `serve`, `new entry`, `cite`."""
