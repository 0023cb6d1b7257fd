#!/usr/bin/python3
"""Signs and verifies SOAP messages with the harness's independent WS-Security code
(../shared/harness/wssec.py: lxml + python3-xmlsec, libxmlsec1), for our interop tests.

Reads a JSON list of jobs on stdin, writes a JSON list of results on stdout, one process for
all of them. Jobs:
  {"op": "sign", "envelope": "<xml>", "cert": path, "key": path, "key_info": "bst|ski|x509",
   "alg": "sha1|sha256", "style": "mpay|wss4j", "must_understand": bool, "ttl": seconds}
     -> {"ok": true, "message": "<signed xml>"}
  {"op": "verify", "message": "<xml>", "peer_certs": [paths], "ca": path|null,
   "accept_keyinfo": [...]} -> {"ok": true, "info": {...}} | {"ok": false, "error": "..."}
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "harness")))

import wssec  # noqa: E402
from lxml import etree  # noqa: E402


def run(job):
    if job["op"] == "sign":
        root = wssec.parse_xml(job["envelope"].encode("utf-8"))
        ident = wssec.Identity(job["cert"], job["key"])
        wssec.sign_envelope(root, ident, key_info=job.get("key_info", "bst"), alg=job.get("alg", "sha1"),
                            ttl=job.get("ttl", 300), style=job.get("style", "mpay"),
                            must_understand=job.get("must_understand", False))
        return {"ok": True, "message": etree.tostring(root, encoding="unicode")}
    if job["op"] == "verify":
        peers = [wssec.Certificate.from_file(p) for p in job.get("peer_certs", [])]
        try:
            info = wssec.verify_envelope(job["message"].encode("utf-8"), peer_certs=peers, ca_path=job.get("ca"),
                                         accept_keyinfo=tuple(job.get("accept_keyinfo", wssec.KEYINFO_FORMS)))
            return {"ok": True, "info": json.loads(json.dumps(info, default=str))}
        except wssec.WsSecError as e:
            return {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    raise ValueError("unknown op %r" % job["op"])


def main():
    jobs = json.load(sys.stdin)
    out = []
    for job in jobs:
        try:
            out.append(run(job))
        except Exception as e:  # reported per job; the test decides
            out.append({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
