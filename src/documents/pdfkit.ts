/**
 * pdfkit (and fontkit under it, about 20 MB once loaded) is required on the first document, not at
 * start-up: an idle service renders nothing.
 */
let loaded: typeof import("pdfkit") | undefined;
export function pdfkit(): typeof import("pdfkit") {
  loaded ??= require("pdfkit") as typeof import("pdfkit");
  return loaded;
}
