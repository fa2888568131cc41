/** The payer's choice on the sandbox sheet. */
export type SheetChoice = "pay" | "cancel" | "fail";

const STYLE =
  "position:fixed;inset:auto 0 0 0;z-index:2147483647;padding:16px;background:#fff;" +
  "box-shadow:0 -2px 12px rgba(0,0,0,.25);font:16px/1.5 system-ui,sans-serif;text-align:center";

/** Shows a bottom sheet with Pay / Cancel / Fail (ids sandbox-pay, sandbox-cancel, sandbox-fail) and resolves with the click. */
export function askPayer(document: Document, title: string): Promise<SheetChoice> {
  const sheet = document.createElement("div");
  sheet.id = "sandbox-sheet";
  sheet.setAttribute("style", STYLE);
  const heading = document.createElement("p");
  heading.textContent = title;
  sheet.append(heading);
  return new Promise((resolve) => {
    for (const choice of ["pay", "cancel", "fail"] as const) {
      const button = document.createElement("button");
      button.id = `sandbox-${choice}`;
      button.type = "button";
      button.textContent = choice[0]!.toUpperCase() + choice.slice(1);
      button.style.margin = "0 8px";
      button.addEventListener("click", () => {
        sheet.remove();
        resolve(choice);
      });
      sheet.append(button);
    }
    document.body.append(sheet);
  });
}
