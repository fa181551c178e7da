#!/usr/bin/python3
"""Validates a JSON document against a vendored JSON schema, offline.

Usage: validate_json_schema.py SCHEMA DOCUMENT
Prints every error (path: message) and exits 1 when the document is invalid, 0 when it
is valid, 2 on usage errors. Uses Debian's python3-jsonschema. The OSCAL schemas use the
regular-expression classes \\p{L} and \\p{N}, which Python's `re` does not know; they are
rewritten in memory to [^\\W\\d_] (a letter) and \\d (a decimal digit) before validating.
No network access: every $ref in these schemas is local.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    text = text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d")
    schema = json.loads(text)
    with open(sys.argv[2], encoding="utf-8") as f:
        doc = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:50]:
        path = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: {e.message[:300]}")
    if errors:
        print(f"{len(errors)} schema error(s)")
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
