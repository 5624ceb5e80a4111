"""Entry point: python3 build.py build | check | serve | new | cite  (see README).

Works with any Python 3: when the one running this file lacks the dependencies, the command
runs again with the project's `.venv` (made by the README's set-up), or says in one line
what to run to make it.
"""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGAIN = "EVIDENCESITE_IN_VENV"  # set when re-running, so that a broken .venv cannot loop
SETUP = "python3 -m venv .venv && .venv/bin/pip install -e ."


def _venv_python() -> Path:
    if os.name == "nt":
        return HERE / ".venv" / "Scripts" / "python.exe"
    return HERE / ".venv" / "bin" / "python"


def _run_in_venv(missing: str) -> int:
    venv = _venv_python()
    if venv.is_file() and os.environ.get(AGAIN) != "1":
        os.environ[AGAIN] = "1"
        argv = [str(venv), str(HERE / "build.py"), *sys.argv[1:]]
        if os.name != "nt":
            os.execv(argv[0], argv)
        return subprocess.call(argv)
    where = f" (in {HERE})" if Path.cwd().resolve() != HERE else ""
    fix = ".venv/bin/pip install -e ." if venv.is_file() else SETUP
    print(f"build.py: this Python ({sys.executable}) lacks the module `{missing}`; "
          f"set up once with `{fix}`{where}, then run the command again", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.path.insert(0, str(HERE / "src"))
    try:
        from evidencesite.commands.cli import main
        code = main()  # which loads the modules a command needs when it needs them
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] == "evidencesite":
            raise
        code = _run_in_venv(exc.name or "?")
    sys.exit(code)
