#!/usr/bin/env node
// The published entry point: runs the compiled CLI (`npm run build` / `prepack` writes dist/).
import { runCli } from "../dist/cli.js";

process.exitCode = await runCli(process.argv.slice(2));
