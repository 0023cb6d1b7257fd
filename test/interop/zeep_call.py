#!/usr/bin/python3
"""An independent SOAP peer: Debian's zeep, given only a ?wsdl URL, calls IServiceProvider.

Usage: zeep_call.py <wsdl-url> <operation> <json-arguments>
Prints one JSON object: {"ok": true, "result": ...} or {"ok": false, "fault": {"code", "message"}}.
Decimals are printed as strings so that nothing is rounded on the way to the test.
"""
import decimal
import json
import sys

import zeep
import zeep.helpers


def plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(repr(value))


def main():
    wsdl_url, operation, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    settings = zeep.Settings(strict=True, raw_response=False)
    client = zeep.Client(wsdl_url, settings=settings)
    try:
        result = getattr(client.service, operation)(**arguments)
    except zeep.exceptions.Fault as fault:
        print(json.dumps({"ok": False, "fault": {"code": fault.code, "message": fault.message}}))
        return
    print(json.dumps({"ok": True, "result": zeep.helpers.serialize_object(result, dict)}, default=plain))


if __name__ == "__main__":
    main()
