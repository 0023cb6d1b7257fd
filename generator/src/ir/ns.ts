/** Namespace URIs the generator reads (the runtime keeps its own list of what it writes). */
export const XSD = "http://www.w3.org/2001/XMLSchema";
export const XSI = "http://www.w3.org/2001/XMLSchema-instance";
/** The XML namespace (the `xml` prefix: `xml:lang`, `xml:space`, `xml:base`, `xml:id`). */
export const XML_NS = "http://www.w3.org/XML/1998/namespace";
export const WSDL = "http://schemas.xmlsoap.org/wsdl/";
export const WSDL20 = "http://www.w3.org/ns/wsdl";
export const SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/";
export const SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/";
export const HTTP_BINDING = "http://schemas.xmlsoap.org/wsdl/http/";
export const SOAP_HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http";
/** WS-Addressing `Action` on portType messages: the 2006 WSDL binding and the 2007 metadata namespace. */
export const WSAW = "http://www.w3.org/2006/05/addressing/wsdl";
export const WSAM = "http://www.w3.org/2007/05/addressing/metadata";
/** WS-Policy 1.2 (the 2004/09 member submission, WCF's) and 1.5 (the W3C Recommendation): one grammar, two namespaces. */
export const WSP12 = "http://schemas.xmlsoap.org/ws/2004/09/policy";
export const WSP15 = "http://www.w3.org/ns/ws-policy";
/** WS-SecurityPolicy 1.1 (the 2005/07 draft WCF writes), 1.2 (OASIS), and the assertions 1.3 added in its own namespace. */
export const SP11 = "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy";
export const SP12 = "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702";
export const SP13 = "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200802";
/** WS-Security utility (`wsu:Id` names policies). */
export const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
