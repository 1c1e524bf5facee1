import sys

from kpi_core.cli import main

sys.exit(main())
