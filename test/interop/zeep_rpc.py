#!/usr/bin/python3
"""An independent rpc/literal SOAP client: Debian's zeep, given only a ?wsdl URL, calls one
operation with keyword arguments (one per message part) and optional header values.

Usage: zeep_rpc.py <wsdl-url> <operation> <json-arguments> <json-soap-headers>
Prints one JSON object: {"ok": true, "body": ..., "request": ..., "response": ...} (`response` null
for a one-way operation) or {"ok": false, "fault": {"code", "message", "detail"}}. `request` and
`response` are the envelopes as sent and received.
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
    extra = {"_soapheaders": headers} if headers else {}
    try:
        result = getattr(client.service, operation)(**arguments, **extra)
    except zeep.exceptions.Fault as fault:
        detail = None if fault.detail is None else [etree.tostring(child).decode() for child in fault.detail]
        print(json.dumps({"ok": False, "fault": {"code": str(fault.code), "message": fault.message, "detail": detail}}))
        return
    sent = history.last_sent
    received = history.last_received
    print(json.dumps({
        "ok": True,
        "body": zeep.helpers.serialize_object(result, dict),
        "request": etree.tostring(sent["envelope"]).decode(),
        "response": None if received is None or received.get("envelope") is None else etree.tostring(received["envelope"]).decode(),
    }, default=str))


if __name__ == "__main__":
    main()
