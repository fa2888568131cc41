// The script-tag build (window.PayBridge): what an H5 page uses. Mini-program pieces (the launch
// flow, wx / my / uni / Taro transports) are in the package's module and mini-program builds.
export { PayClient } from "./pay-client.js";
export { createPayClient } from "./runtimes/browser.js";
export { PayError } from "./errors.js";
export { detectEnvironment } from "./environment.js";
export { kyTransport } from "./transports/ky.js";
