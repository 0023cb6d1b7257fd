/** Namespace URIs the generator reads (the runtime keeps its own list of what it writes). */
export const XSD = "http://www.w3.org/2001/XMLSchema";
export const XSI = "http://www.w3.org/2001/XMLSchema-instance";
export const WSDL = "http://schemas.xmlsoap.org/wsdl/";
export const WSDL20 = "http://www.w3.org/ns/wsdl";
export const SOAP11_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/";
export const SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/";
export const HTTP_BINDING = "http://schemas.xmlsoap.org/wsdl/http/";
export const SOAP_HTTP_TRANSPORT = "http://schemas.xmlsoap.org/soap/http";
/** WS-Addressing `Action` on portType messages: the 2006 WSDL binding and the 2007 metadata namespace. */
export const WSAW = "http://www.w3.org/2006/05/addressing/wsdl";
export const WSAM = "http://www.w3.org/2007/05/addressing/metadata";
