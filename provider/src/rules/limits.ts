/**
 * The maximum lengths the contract documents ("`string (n)` is a maximum length", CONTRACT.md,
 * Structures), as the XSD of wsdl/mpay/ carries them in `xs:maxLength` facets. Lengths count
 * characters (Unicode code points), as XSD does, not UTF-16 units or bytes.
 */

export const MAX_LENGTHS = {
  OrderDetailsQuery: { Language: 2, OrderKey: 36, ServiceID: 36 },
  /**
   * `Reason` is 50 in the guide's table, but the guide's own 2025 GetOrderDetails answer carries 66
   * characters and our XSD has no facet there: the check reports a warning, not an error.
   */
  OrderDetails: { CustomerID: 13, CustomerName: 60, OrderKey: 36, Reason: 50, ServiceID: 36 },
  OrderLine: { LineID: 36, Reason: 50 },
  OrderProperty: { DisplayName: 36, Name: 36, Value: 255 },
  PaymentAccount: { BankAccount: 24, BankCode: 20, BankFiscalCode: 20, BeneficiaryName: 60, ConfigurationCode: 36 },
  PaymentConfirmation: { InvoiceID: 36, OrderKey: 36, PaymentID: 36, ServiceID: 36 },
  PaymentConfirmationLine: { LineID: 36 },
  PaymentProperty: { Name: 36, Value: 255 },
} as const;

/** Length of a string in characters (code points), as `xs:maxLength` counts. */
export function characterCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
