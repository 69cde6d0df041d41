"""Validates a FHIR bundle file with the fhir.resources R4B models.

Usage: python validate_fhir.py BUNDLE.json
Prints one line per resource type and exits non-zero on the first error.
"""
import collections
import json
import sys

from fhir.resources.R4B.bundle import Bundle


def main(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        bundle = Bundle.model_validate_json(text)
    except Exception as error:  # the validator's own message is the point
        print(f"invalid bundle: {error}", file=sys.stderr)
        return 1
    kinds = collections.Counter(e.resource.get_resource_type() for e in bundle.entry or [])
    for kind, count in sorted(kinds.items()):
        print(f"{kind}: {count} valid")
    print(f"bundle type {bundle.type}: {sum(kinds.values())} resources valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
