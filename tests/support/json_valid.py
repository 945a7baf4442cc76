"""Validate picket's JSON output against one definition of docs/schemas/picket.schema.json.

usage: json_valid.py DEFINITION FILE [--lines]
--lines: FILE holds one JSON document a line (replay --format jsonl).
Exit 0 valid, 1 invalid (the first error printed), 2 usage.
"""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "schemas", "picket.schema.json")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = json.load(open(SCHEMA))
    one = dict(schema, **{"$ref": "#/definitions/" + argv[1]})
    validator = jsonschema.Draft7Validator(one)
    with open(argv[2]) as f:
        docs = [json.loads(line) for line in f if line.strip()] if "--lines" in argv else [json.load(f)]
    if not docs:
        print(f"{argv[2]}: no JSON", file=sys.stderr)
        return 1
    for n, doc in enumerate(docs, 1):
        err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        if err:
            print(f"{argv[2]}: document {n}: {err.message} at /{'/'.join(map(str, err.absolute_path))}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
