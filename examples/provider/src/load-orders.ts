/**
 * Loading orders from a JSON file: each order must be shaped exactly like the generated
 * `OrderDetails` type (decimals and date-times as strings). The file is checked with the same
 * codec that writes the SOAP answers, so a bad file is refused at start-up, naming the order
 * and the member, instead of failing later on the wire.
 */
import { readFile } from "node:fs/promises";
import { CodecError, encodeElementToString } from "@mpay-kit/runtime";
import { OrderDetailsElement, type OrderDetails } from "@mpay-kit/mpay-service-provider";

export class OrdersFileError extends Error {
  override readonly name = "OrdersFileError";
}

export async function loadOrders(file: string): Promise<OrderDetails[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new OrdersFileError(`${file}: cannot read the orders file: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new OrdersFileError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new OrdersFileError(`${file}: expected a JSON array of OrderDetails objects`);
  const seen = new Set<string>();
  data.forEach((order: unknown, i) => {
    const key = typeof order === "object" && order !== null && typeof (order as { OrderKey?: unknown }).OrderKey === "string" ? (order as { OrderKey: string }).OrderKey : undefined;
    const which = key === undefined ? `order ${i + 1}` : `order ${i + 1} (OrderKey ${JSON.stringify(key)})`;
    try {
      encodeElementToString(OrderDetailsElement, order);
    } catch (error) {
      if (error instanceof CodecError) throw new OrdersFileError(`${file}: ${which}: ${error.path.replace(/^OrderDetails\.?/, "") || "the order"}: ${error.detail}`);
      throw error;
    }
    const o = order as OrderDetails;
    const id = `${o.ServiceID}/${o.OrderKey}`;
    if (seen.has(id)) throw new OrdersFileError(`${file}: ${which}: OrderKey ${JSON.stringify(o.OrderKey)} appears twice for service ${o.ServiceID}`);
    seen.add(id);
    if (o.Lines.length === 0) throw new OrdersFileError(`${file}: ${which}: Lines: an order needs at least one line`);
  });
  return data as OrderDetails[];
}
