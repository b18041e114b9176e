#!/usr/bin/env node
// The operators' CLI. Runs the TypeScript sources through tsx, like `npm start`.
require("tsx/cjs");
require("../src/cli/main.ts");
