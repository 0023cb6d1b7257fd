#!/usr/bin/python3
"""An independent SOAP peer for operations with declared header blocks, in SOAP 1.1 or 1.2:
Debian's zeep, given only a ?wsdl URL, calls one operation with header values.

Usage: zeep_headers.py <wsdl-url> <operation> <json-arguments> <json-soap-headers>
Prints one JSON object: {"ok": true, "body": ..., "headers": ..., "contentType": ..., "request": ...}
or {"ok": false, "fault": {"code", "message", "detail"}} (detail: the detail's children as XML). `request` is the envelope zeep sent.
"""
import json
import sys

import zeep
import zeep.helpers
from zeep.plugins import HistoryPlugin
from lxml import etree


def main():
    wsdl_url, operation, arguments, headers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
    history = HistoryPlugin()
    client = zeep.Client(wsdl_url, settings=zeep.Settings(strict=True), plugins=[history])
    try:
        result = getattr(client.service, operation)(**arguments, _soapheaders=headers)
    except zeep.exceptions.Fault as fault:
        detail = None if fault.detail is None else [etree.tostring(child).decode() for child in fault.detail]
        print(json.dumps({"ok": False, "fault": {"code": str(fault.code), "message": fault.message, "detail": detail}}))
        return
    sent = history.last_sent
    received = history.last_received
    value = zeep.helpers.serialize_object(result, dict)
    body, header = value, None
    if isinstance(value, dict) and set(value.keys()) == {"body", "header"}:
        body, header = value["body"], value["header"]
    print(json.dumps({
        "ok": True,
        "body": body,
        "headers": header,
        "contentType": sent["http_headers"].get("Content-Type"),
        "request": etree.tostring(sent["envelope"]).decode(),
        "response": etree.tostring(received["envelope"]).decode(),
    }, default=str))


if __name__ == "__main__":
    main()
