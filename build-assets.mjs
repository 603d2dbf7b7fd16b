// Builds static/ from node_modules: compiled CSS, GOV.UK Frontend's JS and
// the few assets the components use (icons are ours, not the crown).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static";
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });

const result = sass.compile("assets/scss/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/css/app.css`, result.css);

const dist = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${dist}/govuk-frontend.min.js`, `${out}/js/govuk-frontend.min.js`);
cpSync("assets/js/app.mjs", `${out}/js/app.mjs`);
cpSync("assets/js/audit-verify.mjs", `${out}/js/audit-verify.mjs`);
console.log(`built ${out}/css/app.css (${result.css.length} bytes) and ${out}/js/`);
