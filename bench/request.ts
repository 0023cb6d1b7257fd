/** The request every benchmark sends: GetOrderDetails for ORD-1001, as MPay would (minus WS-Security). */
export const REQUEST_BODY =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
  '<GetOrderDetails xmlns="https://mpay.gov.md"><query><Language>ro</Language><OrderKey>ORD-1001</OrderKey><ServiceID>DEMO01</ServiceID></query></GetOrderDetails>' +
  "</s:Body></s:Envelope>";

export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/xml; charset=utf-8",
  soapaction: '"https://mpay.gov.md/IServiceProvider/GetOrderDetails"',
};
