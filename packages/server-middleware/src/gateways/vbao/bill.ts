/**
 * vbao's bills (issue 20). The API (EVIDENCE.md, Additions, 对账文件下载):
 * `/api/vbdownload/order/standard/billDownload {customerNo, date (yyyyMMdd), type}`, `type`
 * PAY | REFUND | … (empty = PAY + REFUND); kept one year. It is sent like every vbao server call
 * (`{customerNo, reqmsg}`, the signed business JSON encrypted). What it answers is NOT public:
 * *assumed* here, the file itself as the HTTP body (CSV, UTF-8), a JSON `{code, msg}` being a
 * refusal. The file's columns are a setting (`bill.columns`, default the preset below, *assumed*).
 *
 * The adapter does not parse the file: `fetchBillFile` hands it to the engine, which reads it
 * with the one CSV reader (src/bills/), so a vbao file and a console file read the same way.
 */
import type { BillColumns, BillFetchInput, BillFile } from "../../bills/contract.js";
import { ConfigError, GatewayError, InvalidRequestError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp } from "../contract.js";
import { isJsonObject, nestedObject, type JsonObject } from "../kit/json.js";
import { JSON_HEADERS } from "../kit/request.js";
import { gatewayRefusal } from "../kit/response.js";
import { textOf } from "../kit/text.js";
import { joinUrl } from "../kit/urls.js";

/** vbao's bill settings: every one has a default, the ones no source shows are *assumed*. */
export interface VbaoBillConfig {
  bill?: {
    /** Default `/api/vbdownload/order/standard/billDownload`. */
    path?: string | undefined;
    /** `type`: `PAY`, `REFUND`, … or "" (default: payments and refunds). */
    type?: string | undefined;
    /** The downloaded file's columns; default VBAO_BILL_COLUMNS (*assumed*). */
    columns?: BillColumns | undefined;
    /** The largest file taken, in bytes; default 1 MiB (the default `maxGatewayResponseBytes` bounds it too). */
    maxBytes?: number | undefined;
  } | undefined;
}

const DEFAULT_PATH = "/api/vbdownload/order/standard/billDownload";
const DEFAULT_MAX_BYTES = 1024 * 1024;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The bill file's columns (vbao's billDownload file and its console's), *assumed*: no source
 * shows the layout, so vbao's own message fields name the same facts — `orderNo`, `vbOrderNo`,
 * `orderAmount` (fen), `payTime` (yyyy-MM-dd HH:mm:ss, as `refundTime`), `payStatus`, and
 * `type` PAY / REFUND (billDownload's own words) telling payments from refunds.
 */
export const VBAO_BILL_COLUMNS: BillColumns = Object.freeze({
  orderNo: "orderNo",
  gatewayOrderNo: "vbOrderNo",
  refundNo: "refundNo",
  amount: "orderAmount",
  amountUnit: "fen",
  time: "payTime",
  kind: Object.freeze({ column: "type", refund: Object.freeze(["REFUND"]) }),
  status: Object.freeze({ column: "payStatus", success: Object.freeze(["SUCCESS"]), failed: Object.freeze(["FAIL"]) }),
});

export interface VbaoBillContext {
  id: string;
  baseUrl: string;
  customerNo: string;
  /** `{customerNo, reqmsg}` of a server call: the signed business JSON, encrypted. */
  envelope(request: JsonObject): JsonObject;
  config: VbaoBillConfig["bill"];
  option(name: string): string;
}

/** The adapter's bill capabilities: the billDownload file and the console file's preset. */
export function vbaoBill(ctx: VbaoBillContext): Pick<GatewayAdapter, "fetchBillFile" | "billColumns"> {
  const { id } = ctx;
  const settings = ctx.config ?? {};
  if (!isJsonObject(settings as unknown)) throw new ConfigError(ctx.option("bill"), "must be an object");
  const path = settings.path ?? DEFAULT_PATH;
  if (typeof path !== "string" || path === "") throw new ConfigError(ctx.option("bill.path"), "must be a non-empty string");
  const type = settings.type ?? "";
  if (typeof type !== "string" || type.length > 16) throw new ConfigError(ctx.option("bill.type"), "must be a string of at most 16 characters");
  const columns = settings.columns ?? VBAO_BILL_COLUMNS;
  checkColumns(columns, ctx.option("bill.columns"));
  const maxBytes = settings.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new ConfigError(ctx.option("bill.maxBytes"), "must be a positive whole number of bytes");
  const fail = (message: string): GatewayError => new GatewayError(id, `${id} billDownload ${message}`);

  return {
    billColumns: columns,

    async fetchBillFile(input: BillFetchInput, http: GatewayHttp): Promise<BillFile> {
      const day = DAY.exec(input.date);
      if (!day) throw new InvalidRequestError("date must be yyyy-MM-dd", "date");
      input.signal?.throwIfAborted();
      const request = { customerNo: ctx.customerNo, date: `${day[1]}${day[2]}${day[3]}`, type };
      const url = joinUrl(ctx.baseUrl, path);
      const response = await http({ url, headers: JSON_HEADERS, body: JSON.stringify(ctx.envelope(request)) });
      // A JSON object is vbao's answer, not a file: a refusal (or an answer this setting does not read).
      const answer = response.body.trimStart().startsWith("{") ? nestedObject(response.body) : undefined;
      if (answer !== undefined) {
        throw textOf(answer.code) === "200" ? fail("answered JSON where a file was expected") : gatewayRefusal(id, response, answer.msg, textOf(answer.code));
      }
      if (response.status !== 200) throw fail(`answered HTTP ${response.status}`);
      const body = new TextEncoder().encode(response.body);
      if (body.byteLength === 0) throw fail("answered an empty file");
      if (body.byteLength > maxBytes) throw fail(`file is larger than bill.maxBytes (${maxBytes})`);
      return { format: "csv", columns, body };
    },
  };
}

/** A column mapping given in the settings: the three fields every row needs, and a known unit. */
function checkColumns(columns: BillColumns, option: string): void {
  if (!isJsonObject(columns as unknown)) throw new ConfigError(option, "must be an object");
  for (const name of ["orderNo", "amount", "time"] as const) {
    if (typeof columns[name] !== "string" || columns[name] === "") throw new ConfigError(`${option}.${name}`, "must be a column name");
  }
  if (columns.amountUnit !== "fen" && columns.amountUnit !== "yuan") throw new ConfigError(`${option}.amountUnit`, 'must be "fen" or "yuan"');
}
