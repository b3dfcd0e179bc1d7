import sys

from mesoclinic.cli.main import main

sys.exit(main())
