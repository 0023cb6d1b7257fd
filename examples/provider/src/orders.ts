/**
 * The example provider's built-in orders: one of each situation a provider meets.
 */
import type { OrderDetails, PaymentAccount } from "@mpay-kit/mpay-service-provider";

export const DEMO_SERVICE_ID = "DEMO01";

const treasury: PaymentAccount = {
  BankAccount: "MD77TRGAAA14153401000000",
  BankCode: "TREZMD2X",
  BankFiscalCode: "1006601000255",
  BeneficiaryName: "Agenția Demo",
};

/** Built-in orders. `ORD-UNKNOWN` (or any other key) is unknown. */
export const builtInOrders: readonly OrderDetails[] = [
  {
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Ion Popescu",
    CustomerType: "Person",
    IssuedAt: "2025-07-10T09:26:29.463",
    Lines: [
      { AmountDue: "100.00", DestinationAccount: treasury, LineID: "L1", Reason: "Taxa de stat" },
      { AmountDue: "50.00", DestinationAccount: treasury, LineID: "L2", Reason: "Taxa de serviciu" },
    ],
    OrderKey: "ORD-1001",
    Reason: "Eliberarea certificatului",
    ServiceID: DEMO_SERVICE_ID,
    Status: "Active",
    TotalAmountDue: "150.00",
  },
  {
    AllowPartialPayments: true,
    Currency: "MDL",
    CustomerID: "1003600000000",
    CustomerName: "SRL Exemplu",
    CustomerType: "Organization",
    Lines: [{ AllowPartialPayments: true, AmountDue: "9267.00", DestinationAccount: treasury, LineID: "Base:1|Nb-1", Reason: "Arenda terenului" }],
    OrderKey: "ORD-1002",
    Properties: [
      { DisplayName: "Nr. contract", Name: "Contract", Required: true, Type: "string", Value: "23215" },
      { DisplayName: "Nr. de telefon", Modifiable: true, Name: "Telephone", Required: false, Type: "number", Value: "060606060" },
    ],
    Reason: "Plata pentru arenda terenului fondului forestier",
    ServiceID: DEMO_SERVICE_ID,
    Status: "Active",
    TotalAmountDue: "9267.00",
  },
  {
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Ion Popescu",
    CustomerType: "Person",
    Lines: [{ AmountDue: "0.00", DestinationAccount: treasury, LineID: "L1", Reason: "Taxa de stat" }],
    OrderKey: "ORD-PAID",
    Reason: "Comandă achitată",
    ServiceID: DEMO_SERVICE_ID,
    Status: "Paid",
    TotalAmountDue: "0.00",
  },
  {
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Ion Popescu",
    CustomerType: "Person",
    DueDate: "2025-01-31T23:59:59",
    Lines: [{ AmountDue: "75.50", DestinationAccount: treasury, LineID: "L1", Reason: "Amendă" }],
    OrderKey: "ORD-EXPIRED",
    Reason: "Comandă expirată",
    ServiceID: DEMO_SERVICE_ID,
    Status: "Active",
    TotalAmountDue: "75.50",
  },
  {
    AllowAdvancePayments: true,
    Currency: "MDL",
    CustomerID: "2006022048426",
    CustomerName: "Ion Popescu",
    CustomerType: "Person",
    Lines: [{ AllowAdvancePayments: true, AllowPartialPayments: true, DestinationAccount: treasury, LineID: "ADV", Reason: "Avans la contul personal" }],
    OrderKey: "ORD-ADVANCE",
    Reason: "Plată în avans (suma o alege plătitorul)",
    ServiceID: DEMO_SERVICE_ID,
    Status: "Active",
  },
];
