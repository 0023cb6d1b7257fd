/**
 * Reading MPay's GetOrderDetails query, and whether an order can be paid now.
 */
import { toDate, type OrderDetails, type OrderDetailsQuery } from "@mpay-kit/mpay-service-provider";
import { isPayableStatus } from "./order.ts";

/** The languages CONTRACT.md names for the localizable texts (Reason, DisplayName). */
export const ORDER_LANGUAGES = ["ro", "ru", "en"] as const;
export type OrderLanguage = (typeof ORDER_LANGUAGES)[number];

/**
 * The language MPay asks for, lower-cased: `ro` when `Language` is absent (the contract's default),
 * otherwise `ro`, `ru` or `en` whatever its case (real 2025 requests carry `RO`). A language the
 * contract does not name gives `undefined`: the contract does not say whether to answer it in
 * Romanian or to refuse it with InvalidParameter, so the handler decides.
 */
export function queryLanguage(query: Pick<OrderDetailsQuery, "Language">): OrderLanguage | undefined {
  if (query.Language === undefined || query.Language === "") return "ro";
  const language = query.Language.toLowerCase();
  return (ORDER_LANGUAGES as readonly string[]).includes(language) ? (language as OrderLanguage) : undefined;
}

/**
 * Whether the order can be paid at `at`: its status is Active or PartiallyPaid, and its DueDate (read
 * in Moldovan time, as MPay writes it) has not passed; no DueDate means it never expires.
 */
export function isPayable(order: Pick<OrderDetails, "Status" | "DueDate">, at: Date = new Date()): boolean {
  if (!isPayableStatus(order.Status)) return false;
  return order.DueDate === undefined || toDate(order.DueDate, { disambiguation: "later" }).getTime() >= at.getTime();
}
