#!/usr/bin/env node
// The published entry point: runs the compiled CLI (`npm run build` / `prepack` writes dist/).
import { runCli, tuneProcess } from "../dist/cli.js";

tuneProcess();
process.exitCode = await runCli(process.argv.slice(2));
