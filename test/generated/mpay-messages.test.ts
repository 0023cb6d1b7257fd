/**
 * The generated MPay package against real traffic: the four SOAP messages of MPay's 2025 guide
 * decode with every value typed and exact, every structure survives encode → decode, and
 * everything the encoder writes validates against our XSDs in libxml2.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { decodeElement, encodeElementToString, parseXml, readEnvelope, type UnknownContent } from "@mpay-kit/runtime";
import {
  ConfirmOrderPaymentElement,
  ConfirmOrderPaymentResponseElement,
  GetOrderDetailsElement,
  GetOrderDetailsResponseElement,
  type ConfirmOrderPayment,
  type GetOrderDetails,
  type GetOrderDetailsResponse,
  type OrderDetails,
} from "@mpay-kit/mpay-service-provider";
import { builtInOrders } from "../../examples/provider/src/orders.ts";

const root = resolve(import.meta.dirname, "../..");
const examples = resolve(root, "../shared/mpay/examples");
const haveShared = existsSync(examples);
if (!haveShared) console.warn(`MPay example messages skipped: ${examples} is absent (it is present in this project's CI)`);

function payloadOf(file: string) {
  const envelope = readEnvelope(parseXml(readFileSync(join(examples, file), "utf8")));
  return envelope.payload!;
}

describe.skipIf(!haveShared)("MPay's 2025 messages decode typed and exact", () => {
  it("GetOrderDetails request", () => {
    const value = decodeElement<GetOrderDetails>(payloadOf("GetOrderDetails.request.xml"), GetOrderDetailsElement);
    expect(value).toEqual({ query: { Language: "RO", OrderKey: "MDS02250710092629689", ServiceID: "MDS02" } });
  });

  it("GetOrderDetails response", () => {
    const value = decodeElement<GetOrderDetailsResponse>(payloadOf("GetOrderDetails.response.xml"), GetOrderDetailsResponseElement);
    const orders = value.GetOrderDetailsResult!;
    expect(orders).toHaveLength(1);
    const order = orders[0]!;
    expect(order.TotalAmountDue).toBe("9267.00");
    expect(order.IssuedAt).toBe("2025-07-10T09:26:29.463");
    expect(order.Reason).toBe("Agenția Moldsilva plata pentru arenda terenului fondului \nforestier");
    expect(order).toMatchObject({ Currency: "MDL", CustomerID: "2006022048426", CustomerName: "Nume Prenume", CustomerType: "Person", OrderKey: "MDS02250710092629689", ServiceID: "MDS02", Status: "Active" });
    expect(order.Lines).toEqual([
      {
        AllowAdvancePayments: false,
        AllowPartialPayments: false,
        AmountDue: "9267.00",
        DestinationAccount: { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Agenția Moldsilva" },
        LineID: "Base:1|Nb-1",
        Properties: [
          {
            DisplayName: "Descrierea plății",
            Id: "7254f94c-6da5-4b3e-be53-613b84c5ca96",
            IsVisible: true,
            Name: "Description",
            Required: true,
            Type: "LineDescription",
            Value: "Plata pentru arenda terenului fondului forestier",
          },
        ],
        Reason: "Agenția Moldsilva",
      },
    ]);
    expect(order.Properties!.map((p) => [p!.Name, p!.Type, p!.Value, p!.IsVisible])).toEqual([
      ["Telephone", "number", "060606060", true],
      ["Date", "string", "25.01.2025", true],
      ["IDNP", "idn", "2006022048426", undefined],
      ["Contract", "string", "23215", true],
      ["Name", "CustomerName", "Nume Prenume", undefined],
      ["PayerType", "CustomerType", "Person", true],
    ]);
  });

  it("ConfirmOrderPayment request (the guide elides properties with a literal '...', which lenient reading reports)", () => {
    const skipped: UnknownContent[] = [];
    const payload = payloadOf("ConfirmOrderPayment.request.xml");
    expect(() => decodeElement(payload, ConfirmOrderPaymentElement)).toThrow(/unexpected text "\.\.\."/);
    const value = decodeElement<ConfirmOrderPayment>(payload, ConfirmOrderPaymentElement, { strict: false, onUnknown: (c) => skipped.push(c) });
    expect(skipped.map((c) => `${c.kind} ${c.name} at ${c.path}`)).toEqual(["text ... at ConfirmOrderPayment.confirmation.Lines[0].Properties"]);
    expect(value).toEqual({
      confirmation: {
        Currency: "MDL",
        InvoiceID: "00069002233014",
        Lines: [
          {
            Amount: "9267.00",
            DestinationAccount: {},
            LineID: "Base:1|Nb-1",
            Properties: [
              { Name: "Cont beneficiar", Value: "MD77TRGAAA14153401000000" },
              { Name: "HO:Telephone", Value: "060606060" },
              { Name: "HO:Date", Value: "25.01.2025" },
            ],
          },
        ],
        OrderKey: "MDS02250710092629689",
        PaidAt: "2025-07-10T10:51:23",
        PaymentID: "79042133",
        Properties: [{ Name: "Bank", Value: "MAIB (Card)" }],
        ServiceID: "MDS02",
        TotalAmount: "9267.00",
      },
    });
  });

  it("ConfirmOrderPayment response", () => {
    expect(decodeElement(payloadOf("ConfirmOrderPayment.response.xml"), ConfirmOrderPaymentResponseElement)).toEqual({});
  });
});

// libxml2 validates what the encoder writes against our own XSDs.
const require = createRequire(import.meta.url);
const libxml = require("libxmljs2") as typeof import("libxmljs2");
const xsdPath = resolve(root, "wsdl/mpay/ServiceProvider.xsd");
const schema = libxml.parseXml(readFileSync(xsdPath, "utf8"), { baseUrl: xsdPath });

function validated(xml: string): void {
  const doc = libxml.parseXml(xml);
  const ok = doc.validate(schema);
  expect(doc.validationErrors.map((e) => e.message.trim()), xml).toEqual([]);
  expect(ok).toBe(true);
}

const fullOrder: OrderDetails = {
  AllowAdvancePayments: false,
  AllowPartialPayments: true,
  Currency: "EUR",
  CustomerID: "1003600000000",
  CustomerName: "SRL <Exemplu> & Fiii",
  CustomerType: "Organization",
  DueDate: "2025-12-31T23:59:59",
  IssuedAt: "2025-07-10T09:26:29.463",
  Lines: [
    {
      AllowAdvancePayments: true,
      AllowPartialPayments: false,
      AmountDue: "0.10",
      DestinationAccount: { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Beneficiar", ConfigurationCode: "CFG-1" },
      LineID: "L1",
      Properties: [{ DisplayName: "Cod fiscal", Id: "p1", IsVisible: false, Modifiable: true, Name: "Tax code", Required: false, Type: "tc", Value: "ABC12" }],
      Reason: "Linia întâi",
    },
    { AmountDue: "9999999999999999.99", DestinationAccount: {}, LineID: "L2", Reason: "Suma foarte mare" },
  ],
  OrderKey: "K-1",
  Properties: [{ DisplayName: "Telefon", Name: "Phone", Value: "060000000" }],
  Reason: "Comandă",
  ServiceID: "S-1",
  Status: "PartiallyPaid",
  TotalAmountDue: "10000000000000000.09",
};

describe("every MPay structure survives encode → decode and validates against our XSDs", () => {
  it.each([
    ["GetOrderDetails", GetOrderDetailsElement, { query: { Language: "ru", OrderKey: "K-1", ServiceID: "S-1" } }],
    ["GetOrderDetails without a query", GetOrderDetailsElement, {}],
    ["GetOrderDetailsResponse, full order", GetOrderDetailsResponseElement, { GetOrderDetailsResult: [fullOrder] }],
    ["GetOrderDetailsResponse, the example provider's orders", GetOrderDetailsResponseElement, { GetOrderDetailsResult: [...builtInOrders] }],
    ["GetOrderDetailsResponse, no orders", GetOrderDetailsResponseElement, { GetOrderDetailsResult: [] }],
    [
      "ConfirmOrderPayment",
      ConfirmOrderPaymentElement,
      {
        confirmation: {
          Currency: "MDL",
          InvoiceID: "00069002233014",
          Lines: [{ Amount: "9267.00", DestinationAccount: {}, LineID: "Base:1|Nb-1", Properties: [{ Name: "HO:Date", Value: "25.01.2025" }, { Name: "Empty" }] }],
          OrderKey: "MDS02250710092629689",
          PaidAt: "2025-07-10T10:51:23",
          PaymentID: "79042133",
          Properties: [{ Name: "Bank", Value: "MAIB (Card)" }],
          ServiceID: "MDS02",
          TotalAmount: "9267.00",
        },
      },
    ],
    ["ConfirmOrderPaymentResponse", ConfirmOrderPaymentResponseElement, {}],
  ])("%s", (_name, element, value) => {
    const xml = encodeElementToString(element, value);
    validated(xml);
    expect(decodeElement(parseXml(xml).root, element)).toEqual(value);
    // Encoding is deterministic.
    expect(encodeElementToString(element, value)).toBe(xml);
  });
});

it("decimals beyond what a double or libxml2 holds survive unchanged", () => {
  // libxml2 refuses decimals of more than 24 digits (XSD asks processors for at least 18), so this
  // one is checked by round trip only.
  const value = { GetOrderDetailsResult: [{ ...fullOrder, TotalAmountDue: "12345678901234567890.123456789000" }] };
  const xml = encodeElementToString(GetOrderDetailsResponseElement, value);
  expect(xml).toContain("<TotalAmountDue>12345678901234567890.123456789000</TotalAmountDue>");
  expect(decodeElement(parseXml(xml).root, GetOrderDetailsResponseElement)).toEqual(value);
});
