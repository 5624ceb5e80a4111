import sys

from evidencesite.commands.cli import main

sys.exit(main())
