#!/usr/bin/python3
"""Exclusive C14N oracle for test/security/c14n.test.ts: libxml2's implementation through lxml.

One process serves a whole test file. Protocol: one JSON request per stdin line, one JSON answer
per stdout line.
  {"xml": "<document text>", "prefixLists": [null | ["p", "#default", ...], ...], "full": bool}
    -> {"ok": true, "results": [[answer for element i under prefixLists[k], for each i], for each k]}
       Elements are numbered in document order (comments and PIs skipped). An answer is the
       canonical text when "full" is true, otherwise the SHA-256 (hex) of its UTF-8 bytes; it is
       null when libxml2 refuses to canonicalize the element (e.g. a relative namespace URI).
    -> {"ok": false, "error": "..."} when lxml does not parse the document.

lxml quirk worked around here: tostring() passes to libxml2 only the PrefixList entries that are
already interned in the parser dictionary (serializer.pxi, _convert_ns_prefixes), so "#default",
which is never a name in a document, would be dropped without a word. Parsing one throwaway
document whose DTD gives an attribute the default value "#default" interns that string in the
thread's shared parser dictionary; a self-check below proves it took effect.
"""
import hashlib
import json
import sys

from lxml import etree


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                           remove_blank_text=False, remove_comments=False, remove_pis=False)


def intern_default(parser: etree.XMLParser) -> None:
    etree.fromstring(b'<!DOCTYPE x [<!ATTLIST x a CDATA "#default">]><x/>', parser)
    probe = etree.fromstring(b'<a xmlns="urn:d" xmlns:p="urn:p"><p:b/></a>', parser)
    got = etree.tostring(probe[0], method="c14n", exclusive=True, with_comments=False,
                         inclusive_ns_prefixes=["#default"])
    if got != b'<p:b xmlns="urn:d" xmlns:p="urn:p"></p:b>':
        sys.exit(f"c14n_oracle: lxml ignores '#default' in the PrefixList (got {got!r})")


def main() -> None:
    parser = make_parser()
    intern_default(parser)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            root = etree.fromstring(request["xml"].encode("utf-8"), parser)
        except etree.XMLSyntaxError as e:
            print(json.dumps({"ok": False, "error": str(e)}), flush=True)
            continue
        elements = list(root.iter(etree.Element))
        full = request.get("full", False)
        results = []
        for prefixes in request["prefixLists"]:
            out = []
            for el in elements:
                try:
                    c14n = etree.tostring(el, method="c14n", exclusive=True, with_comments=False,
                                          inclusive_ns_prefixes=prefixes)
                except etree.C14NError:
                    out.append(None)
                    continue
                out.append(c14n.decode("utf-8") if full else hashlib.sha256(c14n).hexdigest())
            results.append(out)
        print(json.dumps({"ok": True, "results": results}), flush=True)


if __name__ == "__main__":
    main()
