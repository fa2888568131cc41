/**
 * The command's report as a library: a page of the shop's own (the demo's reconciliation page)
 * shows a reconciliation exactly as `paybridge reconcile --report day.html` writes it.
 */
export { htmlReport } from "./html-report.js";
