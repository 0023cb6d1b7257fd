/** Every namespace URI the runtime knows, in one place. */
export const SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
export const SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope";
export const XSD = "http://www.w3.org/2001/XMLSchema";
export const XSI = "http://www.w3.org/2001/XMLSchema-instance";
export const XML = "http://www.w3.org/XML/1998/namespace";
export const WSDL11 = "http://schemas.xmlsoap.org/wsdl/";
export const WSDL11_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/";
export const WSDL11_SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
export const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
export const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
export const DS = "http://www.w3.org/2000/09/xmldsig#";
