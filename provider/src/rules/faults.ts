/**
 * The documented fault codes (CONTRACT.md, "Fault codes") as typed builders with plain English
 * reasons. The generated `fault(code, reason)` already qualifies the code with MPay's namespace;
 * this layer fixes each code's wording and the values it names, so that handlers answer alike and
 * never put internal details into a reason. Use them with `throw`:
 *
 * ```ts
 * if (order === undefined) throw unknownOrder(query.ServiceID, query.OrderKey);
 * ```
 *
 * The contract lists the faults each operation answers: GetOrderDetails `InvalidParameter`,
 * `UnknownService`; ConfirmOrderPayment those and `UnknownOrder`. The other codes exist in the
 * guide's list without an operation named for them. MPay retries a ConfirmOrderPayment answered
 * with any fault.
 */
import { fault, type SoapFault } from "@mpay-kit/mpay-service-provider";
import { quote, type RuleProblem } from "./problems.ts";

/** How many problems an InvalidParameter reason names before saying how many more there are. */
const MAX_REASONS = 5;

/** `InternalError`: the provider failed; the reason says nothing about why (that goes to the log). */
export function internalError(): SoapFault<"InternalError"> {
  return fault("InternalError", "The service could not process the request; please retry later.") as SoapFault<"InternalError">;
}

/** `AuthenticationFailed`: the caller could not be authenticated (e.g. no or an unknown signer). */
export function authenticationFailed(reason = "The caller could not be authenticated."): SoapFault<"AuthenticationFailed"> {
  return fault("AuthenticationFailed", reason) as SoapFault<"AuthenticationFailed">;
}

/** `AuthorizationFailed`: the authenticated caller may not do this. */
export function authorizationFailed(reason = "The caller is not allowed to do this."): SoapFault<"AuthorizationFailed"> {
  return fault("AuthorizationFailed", reason) as SoapFault<"AuthorizationFailed">;
}

/**
 * `InvalidParameter`, whose reason "says which" parameter (CONTRACT.md): either a reason written by
 * the caller, or the problems a rule check found (the first five, then how many more).
 */
export function invalidParameter(problems: string | readonly RuleProblem[]): SoapFault<"InvalidParameter"> {
  let reason: string;
  if (typeof problems === "string") {
    reason = problems;
  } else {
    const shown = problems.slice(0, MAX_REASONS).map((p) => `${p.path}: ${p.message}`);
    const more = problems.length - shown.length;
    reason = `Invalid parameter: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}.`;
  }
  return fault("InvalidParameter", reason) as SoapFault<"InvalidParameter">;
}

/** `UnknownService`: the ServiceID is not one of this provider's services. */
export function unknownService(serviceId: string): SoapFault<"UnknownService"> {
  return fault("UnknownService", `The ServiceID ${quote(serviceId)} is unknown.`) as SoapFault<"UnknownService">;
}

/** `UnknownOrder`: no order with this OrderKey in the service. */
export function unknownOrder(serviceId: string, orderKey: string): SoapFault<"UnknownOrder"> {
  return fault("UnknownOrder", `The OrderKey ${quote(orderKey)} is unknown for service ${quote(serviceId)}.`) as SoapFault<"UnknownOrder">;
}

/** `UnknownInvoice`: no invoice with this InvoiceID. */
export function unknownInvoice(invoiceId: string): SoapFault<"UnknownInvoice"> {
  return fault("UnknownInvoice", `The InvoiceID ${quote(invoiceId)} is unknown.`) as SoapFault<"UnknownInvoice">;
}

/** `UknownPayment` (the code keeps the guide's misspelling, as it stands on the wire): no payment with this PaymentID. */
export function unknownPayment(paymentId: string): SoapFault<"UknownPayment"> {
  return fault("UknownPayment", `The PaymentID ${quote(paymentId)} is unknown.`) as SoapFault<"UknownPayment">;
}

/** `InvoiceAlreadyPaid`: the order (or its invoice) is already paid. */
export function invoiceAlreadyPaid(orderKey: string): SoapFault<"InvoiceAlreadyPaid"> {
  return fault("InvoiceAlreadyPaid", `The order ${quote(orderKey)} is already paid.`) as SoapFault<"InvoiceAlreadyPaid">;
}

/** `InvoiceExpired`: the order (or its invoice) can no longer be paid because its due date passed. */
export function invoiceExpired(orderKey: string, dueDate?: string): SoapFault<"InvoiceExpired"> {
  return fault("InvoiceExpired", `The order ${quote(orderKey)} has expired${dueDate === undefined ? "" : ` (due ${dueDate})`}.`) as SoapFault<"InvoiceExpired">;
}
