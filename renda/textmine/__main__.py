import sys

from renda.textmine.cli import main

sys.exit(main())
