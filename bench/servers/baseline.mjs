/**
 * The baseline: minimal hand-written Express routes for one gateway, doing the same wire work
 * paybridge does (build, sign, send to the sandbox, verify the response, answer the action;
 * verify a notify and reply), and nothing else. Same URLs as paybridge mounted at /pay, so the
 * requests are byte for byte alike. Config: { sandboxUrl, notifyUrl, amountFen }.
 */
import express from "express";
import { closeServer, listenOnLoopback, serveParent } from "../lib/child.mjs";
import { distFiles } from "../lib/paths.mjs";
import * as xiangma from "../lib/xiangma-wire.mjs";
import { sandboxCredentials } from "../lib/sandbox-credentials.mjs";

const { computeSign, verifySign } = await import(distFiles.signing);

serveParent(async ({ sandboxUrl, notifyUrl, amountFen }) => {
  const credentials = await sandboxCredentials(xiangma.GATEWAY_ID);
  const app = express();

  app.post("/pay/orders", express.json(), async (req, res) => {
    const orderNo = req.body?.orderNo;
    if (typeof orderNo !== "string") return res.status(400).json({ error: { code: "invalid_request", message: "orderNo", field: "orderNo" } });
    try {
      const fields = xiangma.createRequestFields(credentials, { orderNo, amountFen, notifyUrl }, computeSign);
      const response = await fetch(sandboxUrl + xiangma.CREATE_PATH, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(fields),
      });
      const { gatewayOrderNo, action } = xiangma.readCreateResponse(JSON.parse(await response.text()), credentials.key, verifySign);
      res.status(201).json({ orderNo, status: "pending", gateway: xiangma.GATEWAY_ID, gatewayOrderNo, amountFen, channel: "wechat", action });
    } catch (error) {
      res.status(502).json({ error: { code: "gateway_error", message: error.message } });
    }
  });

  app.post(`/pay/notify/${xiangma.GATEWAY_ID}`, express.raw({ type: () => true, limit: 16 * 1024 }), (req, res) => {
    let body;
    try {
      body = JSON.parse(req.body.toString("utf8"));
    } catch {
      body = null;
    }
    const paid = body !== null && typeof body === "object" && xiangma.isPaidNotify(body, credentials.key, verifySign);
    res.status(paid ? 200 : 400).type("application/json").send(paid ? xiangma.NOTIFY_SUCCESS : xiangma.NOTIFY_FAILURE);
  });

  const { server, url } = await listenOnLoopback(app);
  return { url: `${url}/pay`, close: () => closeServer(server) };
});
