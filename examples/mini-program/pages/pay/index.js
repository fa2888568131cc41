// The pay page of a WeChat mini-program, using @paybridge/client (Tools → Build npm in DevTools
// copies the package's "miniprogram" build: one CommonJS ES2017 file, no ky, no fetch needed).
//
// Opened two ways:
//  - `?orderNo=…` by the merchant's own pages, or by the client's hand-off from a web-view
//    (the client's default `miniProgramPayPage`): pay() posts the
//    order number to the merchant's paybridge server over wx.request, launches
//    wx.requestPayment, and shows the result the server confirmed;
//  - `?interfaceUrl=…&payInfo=…` by an app or H5 page through a gateway's mini-program launch
//    (vbao): the launch flow posts payInfo with a wx.login code to that interface, then
//    launches wx.requestPayment. Only the opener can confirm that payment (it holds the status
//    token), so this page reports "pending" and sends the payer back.
import { createPayClient, runLaunchFlow, wxTransport } from "@paybridge/client";

/** The merchant's paybridge mount; its host must be a request domain of the mini-program. */
const PAY_ENDPOINT = "https://shop.example.com/pay";

Page({
  data: { mode: "order", orderNo: "", status: "", message: "", busy: false },

  onLoad(query) {
    this.query = query;
    // `wx` is passed explicitly: a mini-program's globalThis is not where every base library puts it.
    this.globals = { wx };
    if (query.interfaceUrl && query.payInfo) {
      this.setData({ mode: "launch" });
      return this.onLaunch();
    }
    this.client = createPayClient({ endpoint: PAY_ENDPOINT, transport: wxTransport(wx), globals: this.globals });
    this.setData({ orderNo: query.orderNo || "" });
    return undefined;
  },

  async onPay() {
    await this.run(async () => {
      // The server reads the amount (and the payer's openId, from the session) itself.
      const result = await this.client.pay({ orderNo: this.data.orderNo });
      this.setData({ status: result.status, message: result.status === "pending" ? "Not confirmed yet: check the order later." : "" });
    });
  },

  async onLaunch() {
    await this.run(async () => {
      const result = await runLaunchFlow({ query: this.query, globals: this.globals });
      this.setData({ status: result.status, message: result.status === "pending" ? "Payment submitted: return to the app for the result." : "" });
    });
  },

  async run(pay) {
    this.setData({ busy: true, status: "", message: "" });
    try {
      await pay();
    } catch (error) {
      // PayError: `code` is a server error code or bridge_failed, network_error, …
      this.setData({ status: "error", message: `${error.code || "error"}: ${error.message}` });
    } finally {
      this.setData({ busy: false });
    }
  },
});
