"""The commands: the command line (`build`, `check`, `serve`, `new entry`, `cite`), the dev
server and the entry scaffold."""
