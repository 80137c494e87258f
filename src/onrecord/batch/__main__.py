"""The file to give spark-submit (it needs one): `onrecord batch --engine spark ARGS...`."""

import sys

from onrecord.cli import main

if __name__ == "__main__":
    sys.exit(main(["batch", "--engine", "spark", *sys.argv[1:]]))
