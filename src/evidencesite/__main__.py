import sys

from evidencesite.cli import main

sys.exit(main())
