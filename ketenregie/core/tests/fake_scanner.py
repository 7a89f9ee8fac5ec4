#!/usr/bin/env python3
"""A real scanner command for the tests: reads the file on stdin like `clamdscan -` and
exits 1 when it holds the EICAR test string, 0 otherwise; `--broken` exits 2 (an error)."""

import sys

EICAR = rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"

if __name__ == "__main__":
    data = sys.stdin.buffer.read()
    if "--broken" in sys.argv:
        sys.exit(2)
    if EICAR in data:
        print("stdin: Eicar-Test-Signature FOUND")
        sys.exit(1)
    print("stdin: OK")
    sys.exit(0)
